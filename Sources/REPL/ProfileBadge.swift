import PaymentsCore

/// What the interactive shell shows of the profile in use: the prompt
/// (`sandbox> `, the name coloured — red for a production profile) and the
/// banner printed when it starts.
public struct ProfileBadge: Sendable {
    public let name: String
    public let production: Bool
    public let sandbox: Bool
    /// Services the profile configures, and those it does not.
    public let configured: [String]
    public let unconfigured: [String]
    /// Why the profile could not be read, when it could not.
    public let problem: String?

    public init(profile: ResolvedProfile) {
        name = profile.name
        production = profile.production
        sandbox = profile.isSandbox
        configured = Service.allCases.filter { profile.isConfigured($0) }.map(\.rawValue)
        unconfigured = Service.allCases.filter { !profile.isConfigured($0) }.map(\.rawValue)
        problem = nil
    }

    /// A badge for a profile that failed to load: the shell still starts, for Lua.
    public init(failure: String) {
        name = "paysh"
        production = false
        sandbox = false
        configured = []
        unconfigured = []
        problem = failure
    }

    /// SGR colour of the name: red and bold for production, green for the sandbox, yellow otherwise.
    var colour: String {
        if production { return "1;31" }
        return sandbox ? "32" : "33"
    }

    /// `NAME> ` (continuation `NAME>> `). Colour sequences are wrapped in
    /// readline's invisible markers (\001, \002) so that it measures the
    /// prompt right.
    public func prompt(continuation: Bool, color: Bool) -> [UInt8] {
        let mark = continuation ? ">> " : "> "
        guard color else { return Array((name + mark).utf8) }
        return Array(("\u{1}\u{1b}[\(colour)m\u{2}" + name + "\u{1}\u{1b}[0m\u{2}" + mark).utf8)
    }

    /// The lines printed when the shell starts: version, profile, services,
    /// whether money is real, how to get help.
    public func banner(version: String, color: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1b}[\(code)m\(text)\u{1b}[0m" : text }
        var lines = [version]
        if let problem {
            lines.append(paint("no profile: \(problem)", "31"))
            lines.append("Lua works; the payment modules will say what is wrong when used.")
        } else {
            var profile = "profile " + paint(name, colour)
            if sandbox {
                profile += " — the built-in sandbox: simulated APIs, no real money moves"
            } else if production {
                profile += " — " + paint("PRODUCTION: real money moves", "1;31") + "; money-moving calls ask first"
            }
            lines.append(profile)
            var services = "services: " + (configured.isEmpty ? "none configured" : configured.joined(separator: ", "))
            if !configured.isEmpty, !unconfigured.isEmpty { services += " (not configured: " + unconfigured.joined(separator: ", ") + ")" }
            lines.append(services)
        }
        lines.append(paint("help() lists the modules, ?name shows one function, Tab completes, Ctrl-D exits", "2"))
        return lines.joined(separator: "\n") + "\n"
    }
}
