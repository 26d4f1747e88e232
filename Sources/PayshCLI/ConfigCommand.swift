import ArgumentParser
import Foundation
import PaymentsCore
import PayshConfig

/// `paysh config`: the profile paysh would use, each setting and where it
/// came from. Secrets are shown masked and commands are never run, so the
/// output is safe to paste into an issue.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paysh config",
        abstract: "Show the resolved profile: each setting and where it came from.",
        discussion: """
            The config file is $PAYSH_CONFIG, else $XDG_CONFIG_HOME/paysh/config.lua, else ~/.config/paysh/config.lua. \
            Each setting comes from a flag, else the environment, else the file, else paysh's built-in default. \
            Secrets are masked. See docs/configuration.md.
            """)

    @Option(help: "The profile to show (default: $PAYSH_PROFILE, else the file's default, else sandbox).")
    var profile: String?

    @Flag(help: "List the profiles instead, marking the default.")
    var list = false

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader.load(profile: profile, environment: environment)
        } catch {
            throw ConfigCommandError(message: error.message)
        }
        for warning in loaded.warnings { Console.error(warning + "\n") }
        let report = ConfigReport(loaded: loaded, environment: environment)
        if json {
            Console.out(try (list ? report.listJSON() : report.profileJSON()) + "\n")
        } else {
            Console.out(list ? report.listText() : report.profileText())
        }
    }
}

/// A failure printed as `paysh config: <message>`, exit status 1.
struct ConfigCommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// What `paysh config` prints, as text or JSON.
struct ConfigReport {
    let loaded: LoadedConfig
    let environment: [String: String]

    var profile: ResolvedProfile { loaded.profile }

    /// The setting's value as it may be shown: text as is, secrets masked.
    func shown(_ value: SettingValue) -> String {
        guard case .secret(let secret) = value, case .environment(let name) = secret.origin,
              environment[name]?.isEmpty ?? true else { return value.description }
        return "(from $\(name), which is not set)"
    }

    var fileLine: String {
        loaded.path == nil ? "none (no file at \(loaded.displayPath))" : loaded.displayPath
    }

    // MARK: Text

    func profileText() -> String {
        let header = Self.columns([
            ["profile", "\(profile.name) (\(profile.choice))"],
            ["production", profile.production ? "yes" : "no"],
            ["config", fileLine],
        ])
        var lines: [[String]] = []
        for key in SettingKey.allCases {
            if let value = profile[key] {
                lines.append([key.rawValue, shown(value), profile.sources[key.rawValue]?.description ?? ""])
            } else {
                lines.append([key.rawValue, "(not set)"])
            }
        }
        var text = header + "\n" + Self.columns(lines)
        for service in Service.allCases where !profile.missing(for: service).isEmpty {
            let missing = profile.missing(for: service).map(\.name).joined(separator: ", ")
            text += "\(service.rawValue) is not configured: missing \(missing)\n"
        }
        return text
    }

    func listText() -> String {
        var lines: [[String]] = []
        for name in loaded.profileNames {
            var notes: [String] = []
            if name == loaded.defaultProfile { notes.append("default") }
            if loaded.document?.profile(named: name)?.production == true { notes.append("production") }
            if name == profile.name, name != loaded.defaultProfile { notes.append("selected by \(profile.choice)") }
            let origin = name == BuiltInProfiles.sandboxName ? "built-in" : loaded.displayPath
            lines.append([name, origin, notes.joined(separator: ", ")])
        }
        return Self.columns(lines)
    }

    /// Rows of cells, each column as wide as its widest cell.
    static func columns(_ rows: [[String]]) -> String {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated() {
                if i == widths.count { widths.append(0) }
                widths[i] = max(widths[i], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }.joined().trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    func profileJSON() throws -> String {
        var settings: [String: Any] = [:]
        for key in SettingKey.allCases {
            settings[key.rawValue] = [
                "value": profile[key].map(shown) ?? NSNull(),
                "source": profile.sources[key.rawValue]?.description ?? NSNull(),
                "secret": key.isSecret,
            ] as [String: Any]
        }
        var notConfigured: [String: [String]] = [:]
        for service in Service.allCases where !profile.missing(for: service).isEmpty {
            notConfigured[service.rawValue] = profile.missing(for: service).map(\.rawValue)
        }
        return try Self.encode([
            "profile": profile.name,
            "chosen_by": profile.choice.description,
            "production": profile.production,
            "sandbox": profile.isSandbox,
            "config_file": loaded.path ?? NSNull(),
            "settings": settings,
            "not_configured": notConfigured,
        ])
    }

    func listJSON() throws -> String {
        let profiles = loaded.profileNames.map { name -> [String: Any] in
            [
                "name": name,
                "built_in": name == BuiltInProfiles.sandboxName,
                "default": name == loaded.defaultProfile,
                "production": loaded.document?.profile(named: name)?.production ?? false,
                "selected": name == profile.name,
            ]
        }
        return try Self.encode(["config_file": loaded.path ?? NSNull(), "profiles": profiles])
    }

    static func encode(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
