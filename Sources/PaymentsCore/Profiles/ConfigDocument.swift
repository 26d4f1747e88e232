/// A config file once read: its profiles and what each one sets.
///
/// `PayshConfig` builds one from `config.lua`; a Swift program can build one
/// itself and resolve profiles with ``ProfileResolver`` without any Lua.
public struct ConfigDocument: Sendable, Equatable {
    /// The file as messages and sources name it (`~/.config/paysh/config.lua`).
    public var path: String
    /// In name order.
    public var profiles: [ProfileDocument]

    public init(path: String, profiles: [ProfileDocument]) {
        self.path = path
        self.profiles = profiles.sorted { $0.name < $1.name }
    }

    public func profile(named name: String) -> ProfileDocument? { profiles.first { $0.name == name } }

    /// The profile used when none is named: the one marked `default = true`,
    /// else the only one; nil when there are several and none is marked.
    public var defaultProfile: ProfileDocument? {
        profiles.first(where: \.isDefault) ?? (profiles.count == 1 ? profiles[0] : nil)
    }

    /// Whether any profile writes a secret's value in the file itself (not `env`, not `command`).
    public var holdsLiteralSecrets: Bool {
        profiles.contains { profile in
            profile.settings.values.contains {
                if case .secret(let secret) = $0, case .literal = secret.origin { return true }
                return false
            }
        }
    }

    /// Check what Lua's syntax cannot: names, the one default, each value's kind.
    /// Errors name the file and the place: `config.lua: profile "staging": lumen: base_url: …`.
    public func validate() throws(PaymentsError) {
        var seen: Set<String> = []
        for profile in profiles {
            let place = "\(path): profile \"\(profile.name)\""
            if let problem = ProfileDocument.problem(withName: profile.name) {
                throw ConfigDocument.error("\(place): \(problem)")
            }
            guard seen.insert(profile.name).inserted else {
                throw ConfigDocument.error("\(place): defined twice")
            }
            for (key, value) in profile.settings.sorted(by: { $0.key < $1.key }) {
                if let problem = key.problem(with: value) {
                    throw ConfigDocument.error("\(place): \(key.service.rawValue): \(key.name): \(problem)")
                }
            }
        }
        let defaults = profiles.filter(\.isDefault).map { "\"\($0.name)\"" }
        if defaults.count > 1 {
            throw ConfigDocument.error(
                "\(path): more than one profile is marked default = true (\(defaults.joined(separator: ", "))); mark only one")
        }
    }

    /// A mistake in the configuration: refused before any request is made.
    public static func error(_ message: String) -> PaymentsError {
        PaymentsError(kind: .validation, service: "config", operation: "config", message: message)
    }
}

/// One profile of a config file: only what the file says, before precedence.
public struct ProfileDocument: Sendable, Equatable {
    public var name: String
    /// Money-moving calls ask for confirmation on a production profile.
    public var production: Bool
    /// `default = true`: the profile used when none is named.
    public var isDefault: Bool
    public var settings: [SettingKey: SettingValue]

    public init(name: String, production: Bool = false, isDefault: Bool = false, settings: [SettingKey: SettingValue] = [:]) {
        self.name = name
        self.production = production
        self.isDefault = isDefault
        self.settings = settings
    }

    /// Why `name` cannot name a profile, or nil when it can.
    /// Names are typed after `--profile`, so they stay plain words.
    public static func problem(withName name: String) -> String? {
        if name == BuiltInProfiles.sandboxName {
            return "the name is reserved for the built-in sandbox profile; choose another name"
        }
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)
        }
        if !name.isEmpty, allowed { return nil }
        return "the name is not valid (use letters, digits, \"_\", \"-\" and \".\")"
    }
}

extension SettingKey {
    /// Why `value` cannot be this setting's value, or nil when it can.
    /// Values are never quoted back, in case a secret landed in the wrong place.
    func problem(with value: SettingValue) -> String? {
        switch value {
        case .secret(let secret):
            guard isSecret else { return "expected a string, got a secret" }
            switch secret.origin {
            case .literal(let text): return text.isEmpty ? "must not be empty" : nil
            case .environment(let name): return name.isEmpty ? "the environment variable's name must not be empty" : nil
            case .command(let command): return command.isEmpty ? "the command must not be empty" : nil
            }
        case .text(let text):
            if isSecret { return "expected a secret, got plain text" }
            if text.isEmpty { return "must not be empty" }
            if isURL, !Self.isHTTPURL(text) { return "\"\(text)\" is not an http or https URL" }
            return nil
        }
    }

    /// `http(s)://host[...]`, nothing else: credentials must go where the user meant.
    static func isHTTPURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        guard let scheme = ["http://", "https://"].first(where: lowered.hasPrefix) else { return false }
        let rest = text.dropFirst(scheme.count)
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !host.isEmpty && !text.contains(where: \.isWhitespace)
    }
}
