import LuaKit
import PaymentsCore

/// The config file: a Lua chunk returning a table of profiles. It runs in a
/// fresh state of its own, with the standard libraries and the `env` and
/// `command` helpers, and what it returns is read into a ``ConfigDocument``.
public enum ConfigFile {
    /// Run `source` (the file's bytes) and read the table it returns. `path`
    /// names the file in messages and is the chunk's name (`@path`), so Lua's
    /// own errors say `path:line: message`.
    public static func parse(_ source: [UInt8], path: String) throws(PaymentsError) -> ConfigDocument {
        let lua: LuaState
        do {
            lua = try LuaState()
            try SecretMarker.install(in: lua)
        } catch {
            throw ConfigDocument.error("\(path): cannot start Lua to read it: \(error)")
        }
        let stack = lua.stack
        do {
            try source.withUnsafeBytes { try stack.load($0, name: "@" + path, mode: "t") }
            try stack.call(nargs: 0, nresults: 1)
        } catch let error as LuaError {
            throw ConfigDocument.error(message(of: error, path: path))
        } catch {
            throw ConfigDocument.error("\(path): \(error)")
        }
        let profiles = try ProfileTableReader(stack: stack, path: path).profiles(at: stack.top)
        let document = ConfigDocument(path: path, profiles: profiles)
        try document.validate()
        return document
    }

    /// Lua's message, always starting with the file's name. Lua shortens long
    /// chunk names to `...` and their last characters; the full name is put back.
    static func message(of error: LuaError, path: String) -> String {
        let name = Array(path.utf8), dots = Array("...".utf8), colon = UInt8(ascii: ":")
        var bytes = error.messageBytes
        if bytes.starts(with: dots) {
            for length in stride(from: name.count, to: 0, by: -1)
            where bytes.starts(with: dots + name.suffix(length) + [colon]) {
                bytes = name + bytes.dropFirst(dots.count + length)
                break
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.hasPrefix(path + ":") ? text : "\(path): \(text)"
    }
}
