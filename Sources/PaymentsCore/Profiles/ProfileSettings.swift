/// Where a resolved setting came from, for `paysh config`.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    /// A command-line flag (`--profile`).
    case flag(String)
    /// An environment variable (`LUMEN_API_KEY`).
    case environment(String)
    /// The config file, at this path, in this profile.
    case file(path: String, profile: String)
    /// paysh's built-in default (the sandbox profile, the documents' hosts).
    case builtIn

    public var description: String {
        switch self {
        case .flag(let name): return "flag \(name)"
        case .environment(let name): return "env \(name)"
        case .file(let path, let profile): return "\(path) [\(profile)]"
        case .builtIn: return "built-in"
        }
    }
}

/// Lumanu's settings: OAuth client credentials and the payouts API.
public struct LumanuSettings: Sendable, Equatable {
    public var baseURL: String?
    public var tokenURL: String?
    public var audience: String?
    public var clientID: String?
    public var clientSecret: Secret?
    /// Used when a payout call gives no `workspace_id`.
    public var workspaceID: String?
    public init() {}
}

/// Lumen's settings: the merchant secret key.
public struct LumenSettings: Sendable, Equatable {
    public var baseURL: String?
    public var apiKey: Secret?
    public init() {}
}

/// Lumyri's settings: the access token.
public struct LumyriSettings: Sendable, Equatable {
    public var baseURL: String?
    public var accessToken: Secret?
    public init() {}
}

/// A profile after precedence has been applied (flag > environment > file > built-in).
public struct ResolvedProfile: Sendable, Equatable {
    public var name: String
    /// Money-moving calls ask for confirmation on a production profile.
    public var production: Bool
    /// The built-in profile that talks to the local sandbox.
    public var isSandbox: Bool
    public var lumanu: LumanuSettings
    public var lumen: LumenSettings
    public var lumyri: LumyriSettings
    /// Where each setting came from, keyed `service.setting` (`lumen.api_key`),
    /// plus `profile` for how the profile was chosen. A setting nothing gives has no entry.
    public var sources: [String: SettingSource]
    /// How the profile was chosen (`--profile`, `PAYSH_PROFILE`, the file's default...).
    public var choice: ProfileChoice

    public init(name: String, production: Bool = false, isSandbox: Bool = false, lumanu: LumanuSettings = LumanuSettings(),
                lumen: LumenSettings = LumenSettings(), lumyri: LumyriSettings = LumyriSettings(),
                sources: [String: SettingSource] = [:], choice: ProfileChoice = .builtInDefault) {
        self.name = name
        self.production = production
        self.isSandbox = isSandbox
        self.lumanu = lumanu
        self.lumen = lumen
        self.lumyri = lumyri
        self.sources = sources
        self.choice = choice
    }

    /// Whether everything needed to call `service` is there (what is needed: ``missing(for:)``).
    public func isConfigured(_ service: Service) -> Bool { missing(for: service).isEmpty }
}

extension ResolvedProfile {
    /// Whether any service address names a host other than this machine.
    public var addressesBeyondLoopback: Bool {
        [lumanu.baseURL, lumanu.tokenURL, lumen.baseURL, lumyri.baseURL].contains { url in url.map { !Transport.isLoopback($0) } ?? false }
    }
}
