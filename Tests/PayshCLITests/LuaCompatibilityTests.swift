import Foundation
import Testing

/// paysh must behave exactly like the standard `lua5.4` for every `lua`
/// option and convention. Each case runs the same command line under both,
/// with the same program name (`prog`), directory, environment and input,
/// and compares stdout, stderr and the exit status.
@Suite struct LuaCompatibilityTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Arguments as bash words, appended to `exec -a prog "$BIN"`; or a whole snippet using "$BIN".
        var command: String
        var stdin: String? = nil
        var environment: [String: String] = [:]
        var wholeSnippet = false
        /// Text paysh's stderr must contain (so that a case cannot pass by both failing the same way).
        var payshErrorContains: String? = nil
        /// A deliberate difference: lua.c's stderr, paysh's stderr.
        var deviation: (lua: String, paysh: String)? = nil
        var testDescription: String { name }
    }

    static let files: [String: String] = [
        "script.lua": #"print("script", ...); print(arg[0], arg[-1], arg[-2], #arg, select('#', ...))"#,
        "mod.lua": #"return {name = "mod", args = select('#', ...), first = ...}"#,
        "nested.lua": "local function inner(x)\n  return x.field\nend\nlocal function outer() return inner(nil) end\nouter()\n",
        "syntax.lua": "local x = = 1\n",
        "shebang.lua": "#!/usr/bin/env lua\nprint('shebang ok', ...)\n",
        "init.lua": "print('from init file'); initialised = true\n",
        "gc.lua": "setmetatable({}, {__gc = function() print('collected at close') end})\nprint('end of script')\n",
        "exit3.lua": "io.write('partial'); os.exit(3)\n",
        "exitfalse.lua": "os.exit(false)\n",
        "warn.lua": "warn('first'); warn('@on'); warn('second ', 'part')\n",
        "errtable.lua": "error({code = 1})\n",
        "errtostring.lua": "error(setmetatable({}, {__tostring = function() return 'custom error' end}))\n",
        "bytes.lua": "io.write('a\\0b\\255\\n')\n",
        "prompt.lua": "_PROMPT = 'P> '; _PROMPT2 = setmetatable({}, {__tostring = function() return 'more> ' end})\n",
        "badprint.lua": "print = function() error('print broke') end\n",
        "returns.lua": "return 1, 2\n",
        "gcmode.lua": "print(collectgarbage('incremental'), collectgarbage('generational'), collectgarbage('isrunning'))\n",
        "globals.lua": "local names = {}\nfor k in pairs(_G) do names[#names + 1] = k end\ntable.sort(names)\nprint(table.concat(names, ' '))\nprint(getmetatable('').__index == string, package.path ~= nil)\n",
        "deep.lua": "local function f(n) if n == 0 then error('deep') end return f(n - 1) end\nf(30)\n",
    ]

    static let cases: [Case] = [
        // Options and their order
        Case(name: "version", command: "-v"),
        Case(name: "version then code", command: "-v -e 'print(2)'"),
        Case(name: "-e", command: "-e 'print(1 + 1)'"),
        Case(name: "-e attached", command: "-e'print(\"attached\")'"),
        Case(name: "several -e in order", command: "-e 'x = 1' -e 'x = x * 10' -e 'print(x)'"),
        Case(name: "-e before script sees script args", command: "-e 'print(#arg, arg[1])' script.lua a b"),
        Case(name: "arg without script", command: "-e 'print(arg[0], arg[1], arg[2], arg[-1], #arg)'"),
        Case(name: "script with arguments", command: "script.lua one two 'three four'"),
        Case(name: "script args after options", command: "-E -W script.lua -e x"),
        Case(name: "-- ends options", command: "-- script.lua -v"),
        Case(name: "-- alone reads stdin", command: "--", stdin: "print('stdin after --', ...)"),
        Case(name: "- runs stdin with arguments", command: "- x y", stdin: "print('stdin', arg[0], ...)"),
        Case(name: "-- - is a file named -", command: "-- - x"),
        Case(name: "stdin when not a terminal", command: "", stdin: "print('piped', #arg)"),
        Case(name: "-v does not read stdin", command: "-v", stdin: "print('should not run')"),
        Case(name: "-e does not read stdin", command: "-e 'print(1)'", stdin: "print('should not run')"),
        Case(name: "-l module", command: "-l mod -e 'print(mod.name, mod.args, mod.first)'"),
        Case(name: "-l attached", command: "-lmod -e 'print(mod.name)'"),
        Case(name: "-l g=mod", command: "-l m=mod -e 'print(m.name, mod)'"),
        Case(name: "-l missing module", command: "-l nosuchmodule"),
        Case(name: "-l system C module", command: "-l cjson -e 'print(cjson.encode({1, 2, 3}))'"),
        Case(name: "-l stops at failure", command: "-l nosuchmodule -e 'print(\"not reached\")'"),
        Case(name: "-W turns warnings on", command: "-W warn.lua"),
        Case(name: "warnings off by default", command: "warn.lua"),
        Case(name: "shebang line is skipped", command: "shebang.lua arg1"),
        // Usage errors
        Case(name: "unknown option", command: "-x"),
        Case(name: "unknown long option", command: "--nonsense"),
        Case(name: "option with extra characters", command: "-ix"),
        Case(name: "-E with extra characters", command: "-Ex"),
        Case(name: "-e without argument", command: "-e"),
        Case(name: "-e followed by an option", command: "-e -i"),
        Case(name: "-l without argument", command: "-l"),
        Case(name: "usage error before anything runs", command: "-e 'print(1)' -z"),
        // LUA_INIT and -E
        Case(name: "LUA_INIT code", command: "-e 'print(initialised)'", environment: ["LUA_INIT": "initialised = 'yes'"]),
        Case(name: "LUA_INIT_5_4 wins", command: "-e 'print(initialised)'",
             environment: ["LUA_INIT": "initialised = 'plain'", "LUA_INIT_5_4": "initialised = 'versioned'"]),
        Case(name: "LUA_INIT @file", command: "-e 'print(initialised)'", environment: ["LUA_INIT": "@init.lua"]),
        Case(name: "LUA_INIT error", command: "-e 'print(1)'", environment: ["LUA_INIT": "error('in init')"]),
        Case(name: "LUA_INIT syntax error", command: "-e 'print(1)'", environment: ["LUA_INIT_5_4": "x = = 2"]),
        Case(name: "LUA_INIT missing file", command: "-e 'print(1)'", environment: ["LUA_INIT": "@missing.lua"]),
        Case(name: "-E ignores LUA_INIT", command: "-E -e 'print(initialised)'", environment: ["LUA_INIT": "initialised = 1"]),
        Case(name: "-E ignores LUA_PATH", command: "-E -e 'print(package.path == \"custom\")'", environment: ["LUA_PATH": "custom"]),
        Case(name: "LUA_PATH applies", command: "-e 'print(package.path)'", environment: ["LUA_PATH": "custom;;"]),
        // Errors and exit statuses
        Case(name: "runtime error in -e", command: "-e 'error(\"boom\")'"),
        Case(name: "syntax error in -e", command: "-e 'x ='"),
        Case(name: "runtime error with traceback", command: "nested.lua"),
        // Chunks run as host coroutines; to Lua code they are the main thread.
        Case(name: "yield at top level", command: "-e 'coroutine.yield(1)'"),
        Case(name: "pcall of yield at top level", command: "-e 'print(pcall(coroutine.yield))'"),
        Case(name: "main thread is not yieldable", command: "-e 'print(coroutine.isyieldable(), select(2, coroutine.running()))'"),
        Case(name: "user coroutines yield", command: "-e 'local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) print(co(1), co(5))'"),
        Case(name: "traceback of the main chunk", command: "-e 'print(debug.traceback(\"here\"))'"),
        Case(name: "to-be-closed on error", command: "-e 'do local x <close> = setmetatable({}, {__close = function() print(\"closed\") end}) error(\"boom\") end'"),
        Case(name: "deep traceback is elided", command: "deep.lua"),
        Case(name: "syntax error in script", command: "syntax.lua"),
        Case(name: "missing script", command: "nosuchfile.lua"),
        Case(name: "error with a table value", command: "errtable.lua"),
        Case(name: "error with __tostring", command: "errtostring.lua"),
        Case(name: "error with nil", command: "-e 'error()'"),
        Case(name: "error with a number", command: "-e 'error(42)'"),
        Case(name: "error after output", command: "-e 'print(\"before\") error(\"after\")'"),
        Case(name: "arg not a table", command: "-e 'arg = nil' script.lua"),
        Case(name: "arg with __len", command: "-e 'arg = setmetatable({\"x\"}, {__len = function() return 3 end})' script.lua"),
        Case(name: "os.exit with status", command: "exit3.lua"),
        Case(name: "os.exit(false)", command: "exitfalse.lua"),
        Case(name: "os.exit(true, true)", command: "-e 'os.exit(true, true)'"),
        Case(name: "finalizers run at close", command: "gc.lua"),
        Case(name: "script returning values", command: "returns.lua"),
        // The environment a program sees
        Case(name: "bytes pass through unchanged", command: "bytes.lua"),
        Case(name: "non-UTF-8 argument bytes", command: #"-e 'print(#arg[1], arg[1]:byte(1, -1))' -- $'\xff\xfe'"#),
        Case(name: "generational collector as in lua.c", command: "gcmode.lua"),
        Case(name: "globals are exactly Lua's", command: "globals.lua"),
        Case(name: "require of a missing module lists the same places", command: "-e 'require \"json_nowhere\"'"),
        // Interactive mode with input that is not a terminal
        Case(name: "-i prints expression values", command: "-i", stdin: "1 + 1\nprint('x')\nreturn 1, nil, 'three'\n"),
        Case(name: "-i continues incomplete chunks", command: "-i", stdin: "for i = 1, 2 do\nprint(i)\nend\nlocal t = {\n1,\n2}\n"),
        Case(name: "-i =expr shorthand", command: "-i", stdin: "=10 * 2\n"),
        Case(name: "-i errors without program name", command: "-i", stdin: "error('oops')\nx = = 1\nprint('still here')\n"),
        // lua.c 5.4.4 drops the message of a chunk cut short by the end of input and prints "(null)".
        Case(name: "-i incomplete chunk at end of input", command: "-i", stdin: "if true then\n",
             deviation: (lua: "(null)\n", paysh: "stdin:1: 'end' expected near <eof>\n")),
        Case(name: "-i after script and -e", command: "-e 'y = 5' -i script.lua a", stdin: "y\n"),
        Case(name: "-i with _PROMPT and _PROMPT2", command: "-i prompt.lua", stdin: "1\nfunction f()\nend\n"),
        Case(name: "-i print failing", command: "-i badprint.lua", stdin: "1\n"),
        Case(name: "-i with no input", command: "-i"),
        Case(name: "-i with table results", command: "-i", stdin: "{}\n"),
        // Ctrl-C
        Case(name: "SIGINT interrupts a running loop",
             command: interrupting("local function spin() while true do end end spin()"),
             wholeSnippet: true, payshErrorContains: "interrupted!"),
        Case(name: "SIGINT interrupts a loop in the main chunk",
             command: interrupting("while true do end"),
             wholeSnippet: true, payshErrorContains: "interrupted!"),
    ]

    /// Run `chunk` with `-e`, after it has created a file of its own to say
    /// it is running, and send SIGINT once that file is there (a fixed pause
    /// could end before a loaded machine had started the chunk, and the
    /// signal would then find no handler); a watchdog kills it after 20 s.
    static func interrupting(_ chunk: String) -> String {
        #"m=$(mktemp -u); (MARK=$m exec -a prog "$BIN" -e 'io.open(os.getenv("MARK"), "w"):close() "# + chunk + #"') & p=$!; "#
            + #"(sleep 20; kill -KILL $p) >/dev/null 2>&1 & w=$!; "#
            + #"while [ ! -e "$m" ] && kill -0 $p 2>/dev/null; do sleep 0.02; done; "#
            + #"kill -INT $p; wait $p; s=$?; kill $w 2>/dev/null; rm -f "$m"; exit $s"#
    }

    static let directory: String = try! fixtureDirectory("compat", files: files)

    @Test(arguments: cases)
    func behavesLikeLua(_ c: Case) throws {
        let snippet = c.wholeSnippet ? c.command : #"exec -a prog "$BIN" "# + c.command
        let lua = try runShell(snippet, binary: "/usr/bin/lua5.4", directory: Self.directory,
                               environment: c.environment, stdin: c.stdin)
        let paysh = try runShell(snippet, binary: payshBinary, directory: Self.directory,
                                 environment: c.environment, stdin: c.stdin)
        var expected = lua.normalised
        if let deviation = c.deviation {
            #expect(lua.stderr == deviation.lua, "lua5.4 no longer behaves as this deviation says: \(lua)")
            expected.stderr = deviation.paysh
        }
        #expect(paysh.normalised == expected, "\(c.name)\n=== lua5.4:\n\(lua)\n=== paysh:\n\(paysh)")
        if let text = c.payshErrorContains { #expect(paysh.stderr.contains(text)) }
    }
}
