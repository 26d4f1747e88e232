import CLuaShim

/// Writes to the process's stdout and stderr through C's streams, the same
/// ones Lua's `print` and `io.write` use, so that output interleaves in order.
enum Console {
    static func out(_ bytes: [UInt8]) { bytes.withUnsafeBytes { luakit_write_stdout($0.baseAddress, $0.count) } }
    static func out(_ text: String) { out(Array(text.utf8)) }
    static func error(_ bytes: [UInt8]) { bytes.withUnsafeBytes { luakit_write_stderr($0.baseAddress, $0.count) } }
    static func error(_ text: String) { error(Array(text.utf8)) }

    /// lua.c's `l_message`: `progname: message` on stderr (no prefix when `program` is nil).
    /// The message stops at its first NUL byte, as it does when C prints it.
    static func message(_ program: [UInt8]?, _ message: [UInt8]) {
        var line: [UInt8] = []
        if let program { line += program + Array(": ".utf8) }
        line += message.prefix(while: { $0 != 0 })
        line.append(UInt8(ascii: "\n"))
        error(line)
    }
}
