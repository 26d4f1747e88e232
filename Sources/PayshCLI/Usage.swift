import LuaKit

/// Usage and version text.
enum Usage {
    static let version = "0.1.0"
    static var versionLine: String { "paysh \(version) (\(LuaVersion.release))" }

    /// lua.c's usage error, word for word, with paysh's own options noted after it.
    static func printError(program: [UInt8], badOption: [UInt8]) {
        let name = String(decoding: program, as: UTF8.self)
        let bad = String(decoding: badOption.prefix(while: { $0 != 0 }), as: UTF8.self)
        let kind = badOption.count > 1 ? badOption[1] : 0
        let needsValue: Set<UInt8> = [UInt8(ascii: "e"), UInt8(ascii: "l"), UInt8(ascii: "p"), UInt8(ascii: "o")]
        let problem = (needsValue.contains(kind) && badOption.count == 2) || Arguments.valued[bad] != nil
            ? "'\(bad)' needs argument" : "unrecognized option '\(bad)'"
        Console.error("\(name): \(problem)\n" + luaUsage(name))
    }

    /// The option list of the standard interpreter.
    static func luaUsage(_ name: String) -> String {
        """
        usage: \(name) [options] [script [args]]
        Available options are:
          -e stat   execute string 'stat'
          -i        enter interactive mode after executing 'script'
          -l mod    require library 'mod' into global 'mod'
          -l g=mod  require library 'mod' into global 'g'
          -v        show version information
          -E        ignore environment variables
          -W        turn warnings on
          --        stop handling options
          -         stop handling options and execute stdin

        """
    }

    /// `paysh --help`: the Lua options, then paysh's own.
    static func printHelp(program: [UInt8]) {
        let name = String(decoding: program, as: UTF8.self)
        Console.out(luaUsage(name) + """
        paysh options:
          --help          show this help and exit
          --version       show paysh's and Lua's versions and exit
          --profile NAME  use the profile NAME (else $PAYSH_PROFILE, else the default)
          --debug         trace every HTTP exchange on stderr, redacted ($PAYSH_DEBUG=1)
          --dry-run       print mutations as curl commands instead of sending them
          --yes           let money-moving calls on a production profile go ahead without asking
          --sandbox       use a sandbox inside this process, whatever the profile
          --report FILE   paysh.batch writes one CSV row per item to FILE
          -p expr         evaluate expr and print its values (then exit, like -e)
          -o format       how -p prints: pretty, json, table, csv or lua
                          (default: pretty on a terminal, json otherwise)

        exit statuses: 0 done, 1 Lua error, 2 paysh usage error, 3 API client error
        (bad arguments, 4xx, declines), 4 API server or network error

        paysh subcommands:
          paysh sandbox   run the local simulator of the three APIs
          paysh config    show the resolved profile, secrets masked, and where each setting came from
          paysh journal   show the journal of mutating calls
          paysh batch     show the ledgers of paysh.batch (list, status NAME)

        paysh runs any Lua 5.4 program exactly as the standard 'lua' command does.
        A script whose name is also a paysh subcommand is run as './NAME' or '-- NAME'.

        """)
    }
}
