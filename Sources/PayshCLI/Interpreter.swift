import CLuaShim
import Foundation
import Glibc
import LuaKit
import PaymentsCore
import PayshConfig
import PayshLua

/// The `lua`-compatible command line: options, `arg`, `LUA_INIT`, scripts,
/// stdin and the interactive loop, with the standard interpreter's messages
/// and exit statuses.
///
/// Like `lua.c`, the whole run happens inside one protected call of a C
/// function (here the LuaKit trampoline running ``run(_:)``), so tracebacks
/// end with the same `[C]: in ?` frame and an error raised outside any
/// chunk (`'arg' is not a table`) is reported the same way.
public final class Interpreter {
    let lua: LuaState
    /// Runs every chunk as a coroutine, so that bindings can wait for I/O by yielding.
    let scheduler = LuaScheduler()
    /// The bindings' options, profile and session.
    let runtime: PayshRuntime
    var args: Arguments
    /// Prefix for error messages; nil inside the interactive loop, as in lua.c.
    var programName: [UInt8]?
    /// The exit status of the last failure reported (by its class).
    var failureStatus = ExitStatus.luaError

    public init(arguments: Arguments) throws {
        self.args = arguments
        self.programName = arguments.programName
        self.lua = try LuaState(openLibraries: false)
        var options = RuntimeOptions()
        options.profile = arguments.profile
        options.debug = arguments.debug
        options.dryRun = arguments.dryRun
        options.yes = arguments.yes
        options.forceSandbox = arguments.sandbox
        options.report = arguments.report
        self.runtime = PayshRuntime(options: options, scheduler: scheduler)
    }

    /// paysh's subcommands by name. Each gets the arguments after its name and returns the exit status.
    /// (See docs/command-line.md for how names are recognised.)
    static let subcommands: [String: @Sendable ([[UInt8]]) -> Int32] = [
        "sandbox": { runSubcommand(SandboxCommand.self, $0) },
        "config": { runSubcommand(ConfigCommand.self, $0) },
        "journal": { runSubcommand(JournalCommand.self, $0) },
        "batch": { runSubcommand(BatchCommand.self, $0) },
    ]

    /// Run a command line (argv[0] included) and return the process exit status.
    public static func main(_ argv: [[UInt8]]) -> Int32 {
        switch Arguments.parse(argv, subcommands: Set(subcommands.keys)) {
        case .subcommand(let name, let arguments):
            return subcommands[name]!(arguments)
        case .usageError(let bad, let args):
            Usage.printError(program: args.programName, badOption: bad)
            return EXIT_FAILURE
        case .run(let args):
            if args.payshHelp { Usage.printHelp(program: args.programName); return EXIT_SUCCESS }
            if args.payshVersion { Console.out(Usage.versionLine + "\n"); return EXIT_SUCCESS }
            guard let interpreter = try? Interpreter(arguments: args) else {
                Console.message(args.programName, Array("cannot create state: not enough memory".utf8))
                return EXIT_FAILURE
            }
            if let refusal = interpreter.refuseUnsafeArguments() {
                Console.message(args.programName, Array(refusal.utf8))
                return ExitStatus.usage
            }
            let status = interpreter.execute()
            interpreter.runtime.shutdown()
            return status
        }
    }

    /// lua.c's `main`: run everything protected, report a failure, close the state.
    func execute() -> Int32 {
        let stack = lua.stack
        luakit_gc_stop(lua.L)
        stack.push(function: { [unowned self] frame in
            frame.push(try self.run(frame))
            return 1
        })
        let status = luakit_pcall(lua.L, 0, 1, LUAKIT_HANDLER_NONE)
        let succeeded = status == LUA_OK && stack.toBoolean(at: -1)
        _ = report(status)
        return succeeded ? EXIT_SUCCESS : failureStatus
    }

    /// paysh's checks of the command line before anything runs: a known
    /// `-o` format, and no card number in `-e`/`-p` text (it would stay in
    /// the shell's history and the process list). The message, or nil.
    func refuseUnsafeArguments() -> String? {
        if let format = args.outputFormat, !OutputFormat.names.contains(format) {
            return "unknown output format '\(format)' for -o; expected one of \(OutputFormat.names.joined(separator: ", "))"
        }
        for action in args.actions {
            switch action {
            case .execute(let code), .print(let code):
                if Redactor.containsCardNumber(String(decoding: code, as: UTF8.self)) { return Self.cardAdvice }
            case .require, .warningsOn:
                continue
            }
        }
        return nil
    }

    static let cardAdvice = "refusing to run: the code given with -e/-p holds what looks like a card number, which would stay in "
        + "your shell history and the process list. Leave info.cardNumber and info.cvv out of lumyri.create_card{...} and "
        + "paysh asks for them without echo, or read them in a script from a file or the environment (os.getenv)."

    /// lua.c's `pmain`: everything after option parsing. Returns false after a reported failure.
    func run(_ stack: LuaStack) throws -> Bool {
        if args.showVersion { printVersion() }
        if args.ignoreEnvironment {
            stack.push(true)
            stack.rawSet(at: luaRegistryIndex, "LUA_NOENV") // read by the package library when it opens
        }
        try lua.openLibraries()
        try scheduler.install(on: stack)
        try BuiltinModules.install(on: stack, runtime: runtime)
        try extendPackagePath(stack)
        if args.profile != nil || args.sandbox {
            do throws(PaymentsError) { try runtime.validateProfile() } catch {
                Console.message(programName, Array(error.description.utf8))
                failureStatus = ExitStatus.of(error)
                return false
            }
        }
        try createArgTable(stack)
        luakit_gc_restart_generational(lua.L)
        if !args.ignoreEnvironment, !runInitialization(stack) { return false }
        if !runActions(stack) { return false }
        if args.scriptIndex > 0, try !runScript(stack) { return false }
        if args.interactive {
            try interact(stack)
        } else if args.scriptIndex == 0, !args.hasExecute, !args.showVersion {
            if luakit_stdin_is_tty() != 0 {
                try interact(stack)
            } else if report(runFile(stack, path: nil)) != LUA_OK {
                return false
            }
        }
        return true
    }

    func printVersion() { Console.out(LuaVersion.copyright + "\n") }

    /// The interactive loop: paysh's shell on a terminal (its banner stands
    /// for lua.c's version line), lua.c's loop when stdin is not one.
    func interact(_ stack: LuaStack) throws {
        if luakit_stdin_is_tty() != 0 {
            TerminalShell(interpreter: self).run(stack)
        } else {
            try LuaLoop(interpreter: self).run(stack)
        }
    }

    // MARK: Running chunks

    /// lua.c's `docall`: call the function below `nargs` arguments with the
    /// traceback handler, Ctrl-C raising "interrupted!" meanwhile. Leaves the
    /// results, or the error message, and returns the status. The function
    /// runs as a coroutine of the scheduler, so bindings can yield for I/O.
    func call(_ stack: LuaStack, nargs: Int32, nresults: Int32) -> Int32 {
        let status = scheduler.call(stack, nargs: nargs, nresults: nresults, handler: LUAKIT_HANDLER_KEEP)
        if status != LUA_OK { shapeError(stack) }
        return status
    }

    /// Turn the error value on top (with the traceback the scheduler kept)
    /// into what lua.c's message handler makes of it: a string or number gets
    /// the traceback appended; a value with `__tostring` becomes that text;
    /// anything else is named. A paysh API error (`paysh.error`) stays a
    /// table: the report prints it as one line, with the traceback on --debug.
    func shapeError(_ stack: LuaStack) {
        luakit_push_last_traceback(stack.L)
        let traceback = stack.toString(at: -1)
        stack.pop()
        if LuaAPIError.read(stack, at: -1) != nil {
            lastTraceback = traceback
            return
        }
        var message: [UInt8]
        if stack.type(at: -1) == .string || stack.type(at: -1) == .number {
            message = (try? stack.tostring(at: -1)) ?? []
        } else if hasToString(stack, at: -1), let text = try? stack.tostring(at: -1) {
            stack.pop()
            stack.push(bytes: text)
            return
        } else {
            message = Array("(error object is a \(stack.typeName(at: -1)) value)".utf8)
        }
        if let traceback { message += Array(("\n" + traceback).utf8) }
        stack.pop()
        stack.push(bytes: message)
    }

    /// The traceback of the last paysh API error, shown with --debug.
    var lastTraceback: String?

    /// Whether the value at `idx` has a `__tostring` metamethod (read raw).
    func hasToString(_ stack: LuaStack, at idx: Int32) -> Bool {
        guard stack.getMetatable(at: idx) else { return false }
        defer { stack.pop(2) }
        return stack.rawGet(at: -1, "__tostring") != .nil
    }

    /// lua.c's `report`: print and pop the message of a failed status.
    @discardableResult
    func report(_ status: Int32) -> Int32 {
        guard status != LUA_OK else { return status }
        let stack = lua.stack
        if let error = LuaAPIError.read(stack, at: -1) {
            var line = error.description
            if args.debug, let lastTraceback { line += "\n" + lastTraceback }
            Console.message(programName, Array(line.utf8))
            failureStatus = ExitStatus.of(error)
            stack.pop()
            return status
        }
        failureStatus = ExitStatus.luaError
        let message = stack.toBytes(at: -1)
            ?? (stack.type(at: -1) == .number ? (try? stack.tostring(at: -1)) : nil)
            ?? Array("(error object is a \(stack.typeName(at: -1)) value)".utf8)
        Console.message(programName, message)
        stack.pop()
        return status
    }

    /// Compile and run a string; `name` is its chunk name.
    func runString(_ stack: LuaStack, _ code: [UInt8], name: String) -> Int32 {
        var status = code.withUnsafeBytes { luakit_loadbuffer(stack.L, $0.baseAddress, strnlen(code), name, nil) }
        if status == LUA_OK { status = call(stack, nargs: 0, nresults: 0) }
        return report(status)
    }

    /// Compile and run a file (`nil` for stdin), without reporting.
    func runFile(_ stack: LuaStack, path: [UInt8]?) -> Int32 {
        var status = loadFile(stack, path: path)
        if status == LUA_OK { status = call(stack, nargs: 0, nresults: 0) }
        return status
    }

    func loadFile(_ stack: LuaStack, path: [UInt8]?) -> Int32 {
        guard let path else { return luakit_loadfile(stack.L, nil, nil) }
        return (path.prefix(while: { $0 != 0 }) + [0]).withUnsafeBytes {
            luakit_loadfile(stack.L, $0.baseAddress!.assumingMemoryBound(to: CChar.self), nil)
        }
    }

    // MARK: The steps of a run

    /// lua.c's `createargtable`: script name at 0, its arguments at 1..n, the
    /// interpreter and its options at negative indices.
    func createArgTable(_ stack: LuaStack) throws {
        let script = args.scriptIndex
        stack.newTable(array: Int32(max(0, args.argv.count - script - 1)), hash: Int32(script + 1))
        for (i, arg) in args.argv.enumerated() {
            stack.push(bytes: arg)
            stack.rawSet(at: -2, index: Int64(i - script))
        }
        try stack.setGlobal("arg")
    }

    /// `LUA_INIT_5_4`, else `LUA_INIT`: `@file` runs a file, anything else is code.
    func runInitialization(_ stack: LuaStack) -> Bool {
        for name in ["LUA_INIT_5_4", "LUA_INIT"] {
            guard let raw = getenv(name) else { continue }
            let value = Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
            if value.first == UInt8(ascii: "@") {
                return report(runFile(stack, path: Array(value.dropFirst()))) == LUA_OK
            }
            return runString(stack, value, name: "=" + name) == LUA_OK
        }
        return true
    }

    /// lua.c's `runargs`: every `-e`, `-l` and `-W`, in order; stops at the first failure.
    func runActions(_ stack: LuaStack) -> Bool {
        for action in args.actions {
            switch action {
            case .execute(let code):
                if runString(stack, code, name: "=(command line)") != LUA_OK { return false }
            case .require(let spec):
                if requireLibrary(stack, spec) != LUA_OK { return false }
            case .warningsOn:
                try? stack.warn("@on")
            case .print(let code):
                if evaluateAndPrint(stack, code) != LUA_OK { return false }
            }
        }
        return true
    }

    /// `-l mod` sets global `mod` to `require("mod")`; `-l g=mod` sets global `g`.
    func requireLibrary(_ stack: LuaStack, _ spec: [UInt8]) -> Int32 {
        let spec = Array(spec.prefix(while: { $0 != 0 }))
        var global = spec, module = spec
        if let eq = spec.firstIndex(of: UInt8(ascii: "=")) {
            global = Array(spec[..<eq])
            module = Array(spec[(eq + 1)...])
        }
        do { try stack.getGlobal("require") } catch {
            Console.message(programName, Array("\(error)".utf8))
            return LUA_ERRRUN
        }
        stack.push(bytes: module)
        let status = call(stack, nargs: 1, nresults: 1)
        if status == LUA_OK {
            stack.push(bytes: global)
            stack.insert(at: -2)
            stack.pushGlobalTable()
            stack.insert(at: -3)
            do { try stack.setTable(at: -3) } catch { Console.message(programName, Array("\(error)".utf8)) }
            stack.pop()
        }
        return report(status)
    }

    /// lua.c's `handle_script`: load the script, pass it `arg[1..n]`, run it.
    func runScript(_ stack: LuaStack) throws -> Bool {
        var status = loadFile(stack, path: args.scriptIsStdin ? nil : args.script)
        if status == LUA_OK {
            let n = try pushScriptArguments(stack)
            status = call(stack, nargs: n, nresults: LUA_MULTRET)
        }
        return report(status) == LUA_OK
    }

    /// Push `arg[1]..arg[#arg]` (whatever `arg` holds by now); `arg` must still be a table.
    func pushScriptArguments(_ stack: LuaStack) throws -> Int32 {
        try stack.getGlobal("arg")
        guard stack.type(at: -1) == .table else { throw LuaError(message: "'arg' is not a table") }
        try stack.length(at: -1)
        let count = stack.toInteger(at: -1) ?? 0
        stack.pop()
        guard count < 1_000_000, stack.ensure(Int32(count) + 3) else {
            throw LuaError(message: "stack overflow (too many arguments to script)")
        }
        let table = stack.top
        for i in 0 ..< Int32(count) { stack.rawGet(at: table, index: Int64(i + 1)) }
        stack.remove(at: table)
        return Int32(count)
    }
}

private func strnlen(_ bytes: [UInt8]) -> Int { bytes.firstIndex(of: 0) ?? bytes.count }

// MARK: -p and package.path

extension Interpreter {
    /// `-p EXPR`: evaluate `return EXPR` and print its values in the `-o`
    /// format (pretty on a terminal, JSON otherwise). A cursor among the
    /// values is printed as all its items. Only data goes to stdout.
    func evaluateAndPrint(_ stack: LuaStack, _ code: [UInt8]) -> Int32 {
        let source = Array("return ".utf8) + code.prefix(while: { $0 != 0 })
        var status = source.withUnsafeBytes { luakit_loadbuffer(stack.L, $0.baseAddress, $0.count, "=(command line)", nil) }
        guard status == LUA_OK else { return report(status) }
        let printer = Array(OutputFormat.printer.utf8)
        status = printer.withUnsafeBytes { luakit_loadbuffer(stack.L, $0.baseAddress, $0.count, "=(paysh -p)", nil) }
        guard status == LUA_OK else { return report(status) }
        stack.insert(at: -2) // [printer, chunk]
        stack.push(args.outputFormat ?? (isatty(1) != 0 ? "pretty" : "json"))
        stack.push(isatty(1) != 0)
        status = call(stack, nargs: 3, nresults: 1)
        guard status == LUA_OK else { return report(status) }
        if let text = stack.toBytes(at: -1) { text.withUnsafeBytes { luakit_write_stdout($0.baseAddress, $0.count) } }
        stack.pop()
        return LUA_OK
    }

    /// Let `require` also find modules in `~/.config/paysh/lua/` and, for a
    /// script, in the script's folder: a searcher placed after Lua's own
    /// (so what a program loads today does not change) and before the
    /// built-in modules'. It adds nothing to the message of a module found
    /// nowhere, so Lua's own message is unchanged, and `package.path` stays
    /// what `LUA_PATH` made it.
    func extendPackagePath(_ stack: LuaStack) throws {
        var folders: [String] = []
        let environment = ProcessInfo.processInfo.environment
        folders.append(ConfigLocation.directory(environment: environment) + "/lua")
        if let script = args.script, !args.scriptIsStdin {
            let path = String(decoding: script, as: UTF8.self)
            folders.append(path.lastIndex(of: "/").map { String(path[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? ".")
        }
        let patterns = folders.flatMap { [$0 + "/?.lua", $0 + "/?/init.lua"] }.joined(separator: ";")
        try stack.load(Self.folderSearcher, name: "=(paysh searcher)")
        stack.push(patterns)
        try stack.call(nargs: 1, nresults: 0)
    }

    /// Installs the searcher of `extendPackagePath`; its argument is the path patterns.
    static let folderSearcher = """
    local patterns = ...
    local searchpath, loadfile, insert = package.searchpath, loadfile, table.insert
    local searchers = package.searchers
    if type(searchers) ~= "table" or type(searchpath) ~= "function" then return end
    insert(searchers, math.min(#searchers, 4) + 1, function(name)
      local file = searchpath(name, patterns)
      if not file then return nil end
      local loader, problem = loadfile(file)
      if not loader then
        error(("error loading module '%s' from file '%s':\\n\\t%s"):format(name, file, problem), 2)
      end
      return loader, file
    end)
    """
}
