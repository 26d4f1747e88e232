import LuaKit
import PaymentsCore

/// `env "NAME"` and `command "shell command"` in the config file: each returns
/// a marker userdata that the reader turns into a ``Secret``, so that the
/// variable is read, or the command run, only when the secret is needed.
final class SecretMarker {
    let origin: Secret.Origin
    init(_ origin: Secret.Origin) { self.origin = origin }

    /// `env "LUMEN_API_KEY"`, `command "pass show lumen"`: how the file wrote it.
    var written: String {
        switch origin {
        case .literal(let text): return Secret.mask(text)
        case .environment(let name): return "env \"\(name)\""
        case .command(let command): return "command \"\(command)\""
        }
    }

    static let metatable = "paysh.config.secret"

    /// Define `env` and `command` as globals of `lua`. They are written in
    /// Lua so that a bad argument is reported at the caller's line
    /// (`error(..., 2)`); only the marker itself is made in Swift.
    static func install(in lua: LuaState) throws {
        let stack = lua.stack
        stack.defineMetatable(metatable, metamethods: [
            "__tostring": { s in
                s.push((s.toObject(at: 1, as: SecretMarker.self)?.written ?? "secret"))
                return 1
            },
        ])
        try stack.load(prelude, name: "=(paysh config helpers)", mode: "t")
        stack.push(function: { s in
            guard let kind = s.toString(at: 1), let text = s.toString(at: 2) else {
                throw LuaError(message: "env and command take UTF-8 text")
            }
            s.push(object: SecretMarker(kind == "environment" ? .environment(text) : .command(text)), metatable: metatable)
            return 1
        })
        try stack.call(nargs: 1, nresults: 0)
    }

    private static let prelude = """
        local make = ...
        function env(name)
          if type(name) ~= "string" or name == "" or name:find("[=%z]") then
            error('env expects the name of an environment variable, as in env "LUMEN_API_KEY"', 2)
          end
          return make("environment", name)
        end
        function command(text)
          if type(text) ~= "string" or text == "" then
            error('command expects a shell command, as in command "pass show lumen/staging"', 2)
          end
          return make("command", text)
        end
        """
}
