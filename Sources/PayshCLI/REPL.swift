import CLuaShim
import Glibc
import LuaKit
import REPL

/// The interactive loop when stdin is not a terminal, exactly as lua.c runs
/// it (so that a piped `paysh -i` behaves as `lua -i`): read a line with
/// readline, try it as an expression (`return <line>;`), else as a
/// statement, asking for more lines while the chunk is incomplete; run it;
/// print what it returned with the global `print`. On a terminal,
/// ``TerminalShell`` runs instead.
struct LuaLoop {
    let interpreter: Interpreter

    /// lua.c's `doREPL`. Errors are printed without the program name.
    func run(_ stack: LuaStack) throws {
        let savedName = interpreter.programName
        interpreter.programName = nil
        defer { interpreter.programName = savedName }
        LineEditor.prepare()
        while let status = try readChunk(stack) {
            var result = status
            if result == LUA_OK { result = interpreter.call(stack, nargs: 0, nresults: LUA_MULTRET) }
            if result == LUA_OK { printResults(stack) } else { interpreter.report(result) }
        }
        stack.top = 0
        Console.out("\n")
    }

    /// lua.c's `loadline`: read and compile one chunk. Returns nil at end of
    /// input, else the compile status with the function (or message) on top.
    func readChunk(_ stack: LuaStack) throws -> Int32? {
        stack.top = 0
        guard var line = try readLine(stack, first: true) else { return nil }
        if line.first == UInt8(ascii: "=") { line = Array("return ".utf8) + line.dropFirst() } // Lua 5.2's "=expr"
        if let status = compileAsExpression(stack, line) { return status }
        return try compileStatements(stack, line)
    }

    /// lua.c's `addreturn`: compile `return <line>;`; nil when that does not compile.
    func compileAsExpression(_ stack: LuaStack, _ line: [UInt8]) -> Int32? {
        let code = Array("return ".utf8) + line + [UInt8(ascii: ";")]
        let status = code.withUnsafeBytes { luakit_loadbuffer(stack.L, $0.baseAddress, $0.count, "=stdin", nil) }
        guard status == LUA_OK else {
            stack.pop()
            return nil
        }
        if !line.isEmpty { LineEditor.remember(String(decoding: line, as: UTF8.self)) }
        return status
    }

    /// lua.c's `multiline`: compile, reading more lines while the only error is an unexpected end.
    func compileStatements(_ stack: LuaStack, _ first: [UInt8]) throws -> Int32 {
        var chunk = first
        while true {
            let status = chunk.withUnsafeBytes { luakit_loadbuffer(stack.L, $0.baseAddress, $0.count, "=stdin", nil) }
            guard isIncomplete(stack, status), let more = try readLine(stack, first: false) else {
                LineEditor.remember(String(decoding: chunk, as: UTF8.self))
                return status
            }
            stack.pop() // the "<eof>" message
            chunk += [UInt8(ascii: "\n")] + more
        }
    }

    /// A syntax error that ends at `<eof>` means the chunk is not finished yet.
    func isIncomplete(_ stack: LuaStack, _ status: Int32) -> Bool {
        guard status == LUA_ERRSYNTAX, let message = stack.toBytes(at: -1) else { return false }
        return message.suffix(5).elementsEqual("<eof>".utf8)
    }

    /// One line from the user, prompted by `_PROMPT` / `_PROMPT2` (through `tostring`) or the defaults.
    func readLine(_ stack: LuaStack, first: Bool) throws -> [UInt8]? {
        let prompt = try self.prompt(stack, first: first)
        return LineEditor.readPlain(prompt: prompt)
    }

    /// lua.c's `get_prompt`.
    func prompt(_ stack: LuaStack, first: Bool) throws -> [UInt8] {
        try stack.getGlobal(first ? "_PROMPT" : "_PROMPT2")
        defer { stack.pop() }
        if stack.type(at: -1) == .nil { return Array((first ? "> " : ">> ").utf8) }
        return try stack.tostring(at: -1)
    }

    /// lua.c's `l_print`: pass every result to the global `print`.
    func printResults(_ stack: LuaStack) {
        let count = stack.top
        guard count > 0 else { return }
        guard stack.ensure(LUA_MINSTACK) else {
            Console.message(interpreter.programName, Array("too many results to print".utf8))
            return
        }
        do { try stack.getGlobal("print") } catch {
            Console.message(interpreter.programName, Array("error calling 'print' (\(error))".utf8))
            return
        }
        stack.insert(at: 1)
        if luakit_pcall(stack.L, count, 0, LUAKIT_HANDLER_NONE) != LUA_OK {
            let message = stack.toBytes(at: -1) ?? Array("(error object is a \(stack.typeName(at: -1)) value)".utf8)
            Console.message(interpreter.programName, Array("error calling 'print' (".utf8) + message + Array(")".utf8))
            stack.pop()
        }
    }
}
