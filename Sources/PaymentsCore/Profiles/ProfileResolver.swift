/// What the command line says about profiles: `--profile`, and per-setting
/// flags (none exist yet; a flag for `lumen.base_url` would be `--lumen-base-url`).
public struct ProfileFlags: Sendable, Equatable {
    /// `--profile NAME`.
    public var profile: String?
    /// Values given as flags, shown with the source `flag <key.flagName>`.
    public var settings: [SettingKey: String]

    public init(profile: String? = nil, settings: [SettingKey: String] = [:]) {
        self.profile = profile
        self.settings = settings
    }
}

/// How the profile in use was chosen, strongest first.
public enum ProfileChoice: Sendable, Equatable, CustomStringConvertible {
    /// `--profile NAME`.
    case flag(String)
    /// `PAYSH_PROFILE`.
    case environment(String)
    /// The file's profile marked `default = true`.
    case markedDefault(path: String)
    /// The file's only profile.
    case onlyProfile(path: String)
    /// Nothing chose another profile, so the sandbox.
    case builtInDefault

    /// The choice of `profile` as ``ResolvedProfile/sources`` records it under `profile`.
    public func source(choosing profile: String) -> SettingSource {
        switch self {
        case .flag(let name): return .flag(name)
        case .environment(let name): return .environment(name)
        case .markedDefault(let path), .onlyProfile(let path): return .file(path: path, profile: profile)
        case .builtInDefault: return .builtIn
        }
    }

    public var description: String {
        switch self {
        case .flag(let name): return "flag \(name)"
        case .environment(let name): return "env \(name)"
        case .markedDefault(let path): return "default = true in \(path)"
        case .onlyProfile(let path): return "the only profile in \(path)"
        case .builtInDefault: return "built-in default"
        }
    }
}

/// Profile selection and precedence, in plain Swift over a ``ConfigDocument``.
///
/// The profile: `--profile` > `PAYSH_PROFILE` > the file's `default = true` >
/// the file's only profile > `sandbox`. Each setting: flag > environment >
/// file > built-in. The environment is a parameter, so nothing here reads
/// the process's own.
public enum ProfileResolver {
    /// The variable that names the profile when `--profile` does not.
    public static let profileVariable = "PAYSH_PROFILE"

    /// Every profile that can be chosen: `sandbox`, then the file's in name order.
    public static func profileNames(in document: ConfigDocument?) -> [String] {
        [BuiltInProfiles.sandboxName] + (document?.profiles.map(\.name) ?? [])
    }

    /// The profile used when neither `--profile` nor `PAYSH_PROFILE` names one.
    public static func defaultChoice(in document: ConfigDocument?) -> (name: String, choice: ProfileChoice) {
        guard let document, let profile = document.defaultProfile else { return (BuiltInProfiles.sandboxName, .builtInDefault) }
        return (profile.name, profile.isDefault ? .markedDefault(path: document.path) : .onlyProfile(path: document.path))
    }

    /// The profile to use and why, or an error naming the profiles there are.
    public static func choose(flags: ProfileFlags, environment: [String: String],
                              document: ConfigDocument?) throws(PaymentsError) -> (name: String, choice: ProfileChoice) {
        let named: (String, ProfileChoice)?
        if let name = flags.profile {
            named = (name, .flag("--profile"))
        } else if let name = environment[profileVariable], !name.isEmpty {
            named = (name, .environment(profileVariable))
        } else {
            named = nil
        }
        guard let (name, choice) = named else { return defaultChoice(in: document) }
        let known = profileNames(in: document)
        guard known.contains(name) else {
            var message = "unknown profile \"\(name)\" (from \(choice)); the profiles are \(known.joined(separator: ", "))"
            if document == nil { message += " (there is no config file)" }
            throw ConfigDocument.error(message)
        }
        return (name, choice)
    }

    /// The chosen profile with every setting resolved and its source recorded.
    /// The document is validated first, so a Swift-built one gets the file's checks.
    public static func resolve(flags: ProfileFlags = ProfileFlags(), environment: [String: String],
                               document: ConfigDocument?) throws(PaymentsError) -> ResolvedProfile {
        try document?.validate()
        let (name, choice) = try choose(flags: flags, environment: environment, document: document)
        let isSandbox = name == BuiltInProfiles.sandboxName
        let file = isSandbox ? nil : document.flatMap { document in document.profile(named: name).map { ($0, document.path) } }

        var profile = ResolvedProfile(name: name, production: file?.0.production ?? false, isSandbox: isSandbox, choice: choice)
        profile.sources["profile"] = choice.source(choosing: name)
        for key in SettingKey.allCases {
            guard let (value, source) = try layer(for: key, flags: flags, environment: environment, file: file, isSandbox: isSandbox)
            else { continue }
            profile[key] = value
            profile.sources[key.rawValue] = source
        }
        // The built-in profile with an address moved off this machine (by the environment)
        // talks to a real service: its money-moving calls are confirmed as a production profile's are.
        if isSandbox, profile.addressesBeyondLoopback { profile.production = true }
        return profile
    }

    /// The strongest layer that gives `key`, if any does.
    private static func layer(for key: SettingKey, flags: ProfileFlags, environment: [String: String],
                              file: (ProfileDocument, String)?, isSandbox: Bool) throws(PaymentsError) -> (SettingValue, SettingSource)? {
        if let text = flags.settings[key] {
            return (try given(text, for: key, from: .flag(key.flagName)), .flag(key.flagName))
        }
        if let text = environment[key.environmentVariable], !text.isEmpty {
            let source = SettingSource.environment(key.environmentVariable)
            return (try given(text, for: key, from: source), source)
        }
        if let (profile, path) = file, let value = profile.settings[key] {
            return (value, .file(path: path, profile: profile.name))
        }
        if let text = (isSandbox ? BuiltInProfiles.sandbox : BuiltInProfiles.defaults)[key] {
            return (key.value(text), .builtIn)
        }
        return nil
    }

    /// A value typed on the command line or in a variable, checked like the file's.
    private static func given(_ text: String, for key: SettingKey, from source: SettingSource) throws(PaymentsError) -> SettingValue {
        let value = key.value(text)
        if let problem = key.problem(with: value) { throw ConfigDocument.error("\(key.rawValue) from \(source): \(problem)") }
        return value
    }
}

extension SettingKey {
    /// Text as this setting's value: a literal secret for a secret, else the text.
    public func value(_ text: String) -> SettingValue {
        isSecret ? .secret(Secret(.literal(text), setting: rawValue)) : .text(text)
    }
}
