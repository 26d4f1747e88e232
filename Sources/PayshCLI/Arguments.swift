/// The command line, read the way the standard `lua` interpreter reads it,
/// plus paysh's own options.
///
/// Lua's rules: options come first; the first argument that does not start
/// with `-` is the script and everything after it belongs to the script;
/// `--` ends the options, `-` runs standard input as the script; `-e` and `-l`
/// take their value attached (`-eprint(1)`) or as the next argument, which
/// must not start with `-`. paysh's own options are all spellings that `lua`
/// rejects as unrecognised (`--help`, `--version`, `--profile NAME`,
/// `--debug`, `--dry-run`, `--yes`, `--sandbox`, `-p EXPR`, `-o FORMAT`), so
/// no command line that `lua` accepts means anything different to paysh.
///
/// Subcommands (`paysh sandbox ...`) are recognised only when their name is
/// the very first argument, exactly; anywhere else a word is what `lua`
/// makes of it. A script whose file name is a subcommand's name therefore
/// runs as `paysh ./NAME` or `paysh -- NAME`.
///
/// Arguments are bytes, not Swift strings: `-e` code and script arguments may
/// hold any byte.
public struct Arguments: Equatable {
    /// One `-e`, `-l` or `-W`, in command-line order (they run in that order).
    public enum Action: Equatable {
        case execute([UInt8])
        case require([UInt8])
        case warningsOn
        /// `-p EXPR`: evaluate and print the values.
        case print([UInt8])
    }

    /// `argv[0]`: used as the prefix of error messages, as `lua` does.
    public var programName: [UInt8]
    public var argv: [[UInt8]]
    public var actions: [Action] = []
    public var interactive = false
    public var showVersion = false
    public var ignoreEnvironment = false
    /// True when some `-e` was given (then stdin is not read as a script).
    public var hasExecute = false
    /// Index in `argv` of the script, or 0 when there is none.
    public var scriptIndex = 0
    /// paysh's own `--help` / `--version`.
    public var payshHelp = false
    public var payshVersion = false
    /// `--profile NAME` (or `--profile=NAME`): the profile to use instead of the default.
    public var profile: String?
    /// `--debug`: a redacted trace line per HTTP exchange on stderr, tracebacks for errors.
    public var debug = false
    /// `--dry-run`: mutations are printed as `curl` commands instead of being sent.
    public var dryRun = false
    /// `--yes`: money-moving calls on a production profile go ahead without asking.
    public var yes = false
    /// `--sandbox`: use a sandbox served inside this process, whatever the profile.
    public var sandbox = false
    /// `-o FORMAT`: how `-p` prints (pretty, json, table, csv, lua); nil for the default.
    public var outputFormat: String?
    /// `--report FILE.csv` (or `--report=FILE.csv`): where `paysh.batch` writes one row per item.
    public var report: String?

    /// The outcome of reading a command line.
    public enum Parsed: Equatable {
        case run(Arguments)
        /// `lua`'s usage error, naming the offending argument.
        case usageError(badOption: [UInt8], Arguments)
        /// A paysh subcommand and the arguments after its name.
        case subcommand(String, arguments: [[UInt8]])
    }

    /// Read `argv` (argv[0] included); `subcommands` are the names that take the first argument.
    public static func parse(_ argv: [[UInt8]], subcommands: Set<String> = []) -> Parsed {
        if argv.count > 1, let name = String(validating: argv[1], as: UTF8.self), subcommands.contains(name) {
            return .subcommand(name, arguments: Array(argv.dropFirst(2)))
        }
        var args = Arguments(programName: argv.first.flatMap { $0.isEmpty ? nil : $0 } ?? Array("paysh".utf8), argv: argv)
        var i = 1
        while i < argv.count {
            let arg = argv[i]
            args.scriptIndex = i
            guard arg.first == UInt8(ascii: "-") else { return .run(args) }
            let rest = arg.dropFirst(2)
            switch arg.count > 1 ? arg[1] : 0 {
            case 0: // "-": the script is stdin
                return .run(args)
            case UInt8(ascii: "-"):
                if rest.isEmpty { // "--"
                    args.scriptIndex = i + 1 < argv.count ? i + 1 : 0
                    return .run(args)
                }
                if let option = Self.valued[String(decoding: arg, as: UTF8.self)] {
                    i += 1
                    guard i < argv.count, !argv[i].isEmpty, argv[i].first != UInt8(ascii: "-") else { return .usageError(badOption: arg, args) }
                    args[keyPath: option] = String(decoding: argv[i], as: UTF8.self)
                } else if !args.readPayshOption(String(decoding: arg, as: UTF8.self)) {
                    return .usageError(badOption: arg, args)
                }
            case UInt8(ascii: "E"):
                guard rest.isEmpty else { return .usageError(badOption: arg, args) }
                args.ignoreEnvironment = true
            case UInt8(ascii: "W"):
                guard rest.isEmpty else { return .usageError(badOption: arg, args) }
                args.actions.append(.warningsOn)
            case UInt8(ascii: "i"), UInt8(ascii: "v"):
                guard rest.isEmpty else { return .usageError(badOption: arg, args) }
                if arg[1] == UInt8(ascii: "i") { args.interactive = true }
                args.showVersion = true // -i implies -v
            case UInt8(ascii: "e"), UInt8(ascii: "l"), UInt8(ascii: "p"), UInt8(ascii: "o"):
                var value = Array(rest)
                if value.isEmpty {
                    i += 1
                    guard i < argv.count, argv[i].first != UInt8(ascii: "-") || arg[1] == UInt8(ascii: "p") else {
                        return .usageError(badOption: arg, args)
                    }
                    value = argv[i]
                }
                switch arg[1] {
                case UInt8(ascii: "e"):
                    args.hasExecute = true
                    args.actions.append(.execute(value))
                case UInt8(ascii: "p"):
                    args.hasExecute = true
                    args.actions.append(.print(value))
                case UInt8(ascii: "o"):
                    args.outputFormat = String(decoding: value, as: UTF8.self)
                default:
                    args.actions.append(.require(value))
                }
            default:
                return .usageError(badOption: arg, args)
            }
            i += 1
        }
        args.scriptIndex = 0
        return .run(args)
    }

    /// paysh's long options; false when `option` is not one of them.
    private mutating func readPayshOption(_ option: String) -> Bool {
        switch option {
        case "--help": payshHelp = true
        case "--version": payshVersion = true
        case "--debug": debug = true
        case "--dry-run": dryRun = true
        case "--yes": yes = true
        case "--sandbox": sandbox = true
        default:
            guard let equals = option.firstIndex(of: "="), let field = Self.valued[String(option[..<equals])],
                  option.index(after: equals) < option.endIndex else { return false }
            self[keyPath: field] = String(option[option.index(after: equals)...])
        }
        return true
    }

    /// paysh's long options that take a value (`--profile NAME`, `--profile=NAME`).
    nonisolated(unsafe) static let valued: [String: WritableKeyPath<Arguments, String?>] = ["--profile": \.profile, "--report": \.report]

    /// The script's path, `nil` for none; `-` (not after `--`) means stdin.
    public var script: [UInt8]? { scriptIndex > 0 ? argv[scriptIndex] : nil }

    /// True when the script is standard input.
    public var scriptIsStdin: Bool {
        guard scriptIndex > 0 else { return false }
        return argv[scriptIndex] == [UInt8(ascii: "-")] && argv[scriptIndex - 1] != Array("--".utf8)
    }
}
