import CLuaShim
import Foundation
import Glibc
import LuaKit
import PaymentsCore
import PayshLua
import REPL

/// paysh's interactive shell, when stdin is a terminal.
///
/// The loop of lua.c — read a chunk (more lines while it is incomplete),
/// try it as an expression, else as statements, run it, show its results —
/// with what a person at a terminal needs on top:
///
/// - a banner and a prompt naming the profile (red for production);
/// - history kept across sessions, masked (``HistoryFile``);
/// - Tab completion that runs no user code (``Completer``);
/// - top-level locals kept from line to line (``LocalScope``);
/// - results shown readably (`paysh.repl`: cursors' first items, records as
///   tables, the rest through `inspect`) and kept in `_`, `_1`, `_2`, ...;
/// - errors as one line (the traceback with `--debug`);
/// - `?name` (and a bare `help`) for help; Ctrl-C abandons the line being
///   typed, or interrupts the chunk running; Ctrl-D exits.
final class TerminalShell {
    let interpreter: Interpreter
    let scope = LocalScope()
    let history: HistoryFile
    let badge: ProfileBadge
    /// Colour on stdout (results, prompt): a terminal, and no `NO_COLOR`.
    let color: Bool
    /// Colour on stderr (errors, banner).
    let errorColor: Bool
    /// How many `_1`, `_2`, ... the last results set.
    private var kept = 0
    private var historyWarned = false

    init(interpreter: Interpreter) {
        self.interpreter = interpreter
        let environment = ProcessInfo.processInfo.environment
        history = HistoryFile(path: HistoryFile.defaultPath(environment: environment))
        do throws(PaymentsError) { badge = ProfileBadge(profile: try interpreter.runtime.peekProfile()) } catch {
            badge = ProfileBadge(failure: error.message)
        }
        let colourless = environment["NO_COLOR"].map { !$0.isEmpty } ?? false || environment["TERM"] == "dumb"
        color = !colourless && isatty(1) != 0
        errorColor = !colourless && isatty(2) != 0
    }

    /// The loop, until Ctrl-D or the end of input.
    func run(_ stack: LuaStack) {
        let savedName = interpreter.programName
        interpreter.programName = nil
        defer { interpreter.programName = savedName }
        let (scope, runtime) = (self.scope, interpreter.runtime)
        LineEditor.prepare { text in Completer(stack: stack, scope: scope, runtime: runtime).complete(text) }
        LineEditor.limitHistory(to: history.limit)
        for entry in history.load() { LineEditor.remember(entry) }
        Console.error(badge.banner(version: Usage.versionLine, color: errorColor))
        loop: while true {
            switch readChunk(stack) {
            case .end: break loop
            case .interrupted: continue
            case .compiled(let text, let expression, let typed):
                remember(typed)
                if scope.load(text, expression: expression, on: stack) { stack.remove(at: -2) }
                execute(stack)
            case .failed(let typed):
                remember(typed)
                showError(stack)
            }
        }
        stack.top = 0
        do { try history.compact() } catch { warnAboutHistory(error) }
        Console.out("\n")
    }

    // MARK: Reading

    enum Chunk {
        case end, interrupted
        /// Compiled (as an expression or as statements); the function is on
        /// the stack. `typed` is what the person typed (what history keeps).
        case compiled([UInt8], expression: Bool, typed: [UInt8])
        /// A syntax error; its message is on the stack.
        case failed(typed: [UInt8])
    }

    /// Read and compile one chunk, as lua.c's `loadline` does, with paysh's
    /// help shortcuts: `?` and `help` alone give `help()`, `?name` gives `help "name"`.
    func readChunk(_ stack: LuaStack) -> Chunk {
        stack.top = 0
        let typed: [UInt8]
        switch LineEditor.read(prompt: prompt(stack, first: true)) {
        case .end: return .end
        case .interrupted: return .interrupted
        case .line(let text): typed = text
        }
        var line = Self.helpShortcut(typed) ?? typed
        if line.first == UInt8(ascii: "=") { line = Array("return ".utf8) + line.dropFirst() }
        if load(stack, Array("return ".utf8) + line + Array(";".utf8)) == LUA_OK { return .compiled(line, expression: true, typed: typed) }
        stack.pop()
        var (chunk, entry) = (line, typed)
        while true {
            let status = load(stack, chunk)
            if status == LUA_OK { return .compiled(chunk, expression: false, typed: entry) }
            guard isIncomplete(stack, status) else { return .failed(typed: entry) }
            stack.pop()
            switch LineEditor.read(prompt: prompt(stack, first: false)) {
            case .line(let more):
                chunk += [UInt8(ascii: "\n")] + more
                entry += [UInt8(ascii: "\n")] + more
            case .interrupted: return .interrupted
            case .end:
                _ = load(stack, chunk)
                return .failed(typed: entry)
            }
        }
    }

    /// `help()` for `?` and a bare `help`, `help "name"` for `?name`.
    static func helpShortcut(_ line: [UInt8]) -> [UInt8]? {
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
        if text == "?" || text == "help" { return Array("help()".utf8) }
        guard text.hasPrefix("?") else { return nil }
        let name = text.dropFirst().trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == ":" }) else { return nil }
        return Array("help \"\(name.replacingOccurrences(of: ":", with: "."))\"".utf8)
    }

    private func load(_ stack: LuaStack, _ code: [UInt8]) -> Int32 {
        code.withUnsafeBytes { luakit_loadbuffer(stack.L, $0.baseAddress, $0.count, "=stdin", nil) }
    }

    /// A syntax error that ends at `<eof>` means the chunk is not finished yet.
    private func isIncomplete(_ stack: LuaStack, _ status: Int32) -> Bool {
        guard status == LUA_ERRSYNTAX, let message = stack.toBytes(at: -1) else { return false }
        return message.suffix(5).elementsEqual("<eof>".utf8)
    }

    /// `_PROMPT` / `_PROMPT2` when the user set them, else the profile's prompt.
    private func prompt(_ stack: LuaStack, first: Bool) -> [UInt8] {
        let base = stack.top
        defer { stack.top = base }
        if (try? stack.getGlobal(first ? "_PROMPT" : "_PROMPT2")) != nil, stack.type(at: -1) != .nil,
           let text = try? stack.tostring(at: -1) {
            return text
        }
        return badge.prompt(continuation: !first, color: color)
    }

    // MARK: History

    /// Keep a chunk in the history (in memory and on disk), masked.
    private func remember(_ chunk: [UInt8]) {
        let entry = String(decoding: chunk, as: UTF8.self)
        let masked = HistoryFile.mask(entry)
        guard !masked.allSatisfy(\.isWhitespace) else { return }
        LineEditor.remember(masked, distinct: true)
        do { try history.append(entry) } catch { warnAboutHistory(error) }
    }

    private func warnAboutHistory(_ problem: PrivateFiles.Problem) {
        guard !historyWarned else { return }
        historyWarned = true
        Console.error("paysh: warning: history not saved: \(problem.sentence)\n")
    }

    // MARK: Running

    /// Run the function on top; keep and show its results, or show its error.
    private func execute(_ stack: LuaStack) {
        let base = stack.top - 1
        let status = interpreter.scheduler.call(stack, nargs: 0, nresults: LUA_MULTRET, handler: LUAKIT_HANDLER_KEEP)
        guard status == LUA_OK else {
            scope.discard(on: stack)
            showError(stack)
            return
        }
        scope.commit()
        let count = stack.top - base
        guard count > 0 else { return }
        keepResults(stack, count: count)
        show(stack, count: count)
        stack.top = base
    }

    /// `_` is the first result, `_1`, `_2`, ... each of them.
    private func keepResults(_ stack: LuaStack, count: Int32) {
        let first = stack.top - count + 1
        stack.pushGlobalTable()
        stack.pushValue(at: first)
        stack.rawSet(at: -2, "_")
        for i in 0 ..< max(Int(count), kept) {
            if i < Int(count) { stack.pushValue(at: first + Int32(i)) } else { stack.pushNil() }
            stack.rawSet(at: -2, "_\(i + 1)")
        }
        kept = Int(count)
        stack.pop()
    }

    /// Print the `count` values on top through `paysh.repl`'s `show`, run as a
    /// chunk of the scheduler (showing a cursor fetches its first page).
    private func show(_ stack: LuaStack, count: Int32) {
        let first = stack.top - count + 1
        guard (try? BuiltinModules.pushModule("paysh.repl", on: stack, runtime: interpreter.runtime)) == true,
              stack.rawGet(at: -1, "show") == .function else { return }
        stack.remove(at: -2)
        stack.newTable(array: count, hash: 1)
        for i in 0 ..< count {
            stack.pushValue(at: first + i)
            stack.rawSet(at: -2, index: Int64(i + 1))
        }
        stack.push(Int64(count))
        stack.rawSet(at: -2, "n")
        stack.newTable(hash: 3)
        stack.push(color)
        stack.rawSet(at: -2, "color")
        stack.push(Int64(Self.terminalWidth()))
        stack.rawSet(at: -2, "width")
        let status = interpreter.scheduler.call(stack, nargs: 2, nresults: 1, handler: LUAKIT_HANDLER_KEEP)
        guard status == LUA_OK else {
            showError(stack)
            return
        }
        if let text = stack.toBytes(at: -1) { Console.out(text) }
        stack.pop()
    }

    /// The error value on top as one line (red on a terminal), with the
    /// traceback under `--debug`; pops it.
    private func showError(_ stack: LuaStack) {
        var line: String
        if let error = LuaAPIError.read(stack, at: -1) {
            line = error.description
        } else if stack.type(at: -1) == .string || stack.type(at: -1) == .number || interpreter.hasToString(stack, at: -1) {
            line = (try? stack.tostring(at: -1)).map { String(decoding: $0, as: UTF8.self) } ?? "(error object cannot be shown)"
        } else {
            line = "(error object is a \(stack.typeName(at: -1)) value)"
        }
        stack.pop()
        if errorColor { line = "\u{1b}[31m" + line + "\u{1b}[0m" }
        if interpreter.args.debug {
            luakit_push_last_traceback(stack.L)
            if let traceback = stack.toString(at: -1) { line += "\n" + traceback }
            stack.pop()
        }
        Console.error(line + "\n")
    }

    /// The terminal's width in columns (100 when it cannot be told).
    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }
}
