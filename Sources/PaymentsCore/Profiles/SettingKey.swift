/// One setting of a profile, named `service.setting` as `paysh config` shows
/// it and as ``ResolvedProfile/sources`` keys it (`lumen.api_key`).
///
/// Everything that differs between settings — the config file's key, the
/// environment variable, whether it is a secret or a URL — is said here once,
/// so the resolver treats all ten the same way.
public enum SettingKey: String, Sendable, CaseIterable, Comparable {
    case lumanuBaseURL = "lumanu.base_url"
    case lumanuTokenURL = "lumanu.token_url"
    case lumanuAudience = "lumanu.audience"
    case lumanuClientID = "lumanu.client_id"
    case lumanuClientSecret = "lumanu.client_secret"
    case lumanuWorkspaceID = "lumanu.workspace_id"
    case lumenBaseURL = "lumen.base_url"
    case lumenAPIKey = "lumen.api_key"
    case lumyriBaseURL = "lumyri.base_url"
    case lumyriAccessToken = "lumyri.access_token"

    public var service: Service {
        switch self {
        case .lumanuBaseURL, .lumanuTokenURL, .lumanuAudience, .lumanuClientID, .lumanuClientSecret, .lumanuWorkspaceID:
            return .lumanu
        case .lumenBaseURL, .lumenAPIKey: return .lumen
        case .lumyriBaseURL, .lumyriAccessToken: return .lumyri
        }
    }

    /// The key inside the service's table in the config file (`api_key`).
    public var name: String { String(rawValue.dropFirst(service.rawValue.count + 1)) }

    /// The environment variable that overrides the file (`LUMEN_API_KEY`),
    /// the same names `paysh sandbox` exports.
    public var environmentVariable: String { rawValue.uppercased().replacingOccurrences(of: ".", with: "_") }

    /// The spelling a per-setting command-line flag takes (`--lumen-api-key`).
    public var flagName: String {
        "--" + rawValue.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-")
    }

    /// A client secret, API key or access token: masked when shown, and
    /// allowed to come from `env "NAME"` or `command "..."`.
    public var isSecret: Bool {
        self == .lumanuClientSecret || self == .lumenAPIKey || self == .lumyriAccessToken
    }

    /// A setting that must be an `http` or `https` URL.
    public var isURL: Bool {
        self == .lumanuBaseURL || self == .lumanuTokenURL || self == .lumenBaseURL || self == .lumyriBaseURL
    }

    /// The settings of one service, in the order they are documented and shown.
    public static func settings(of service: Service) -> [SettingKey] { allCases.filter { $0.service == service } }

    /// The setting `name` of `service` in the config file's spelling, if there is one.
    public init?(service: Service, name: String) {
        self.init(rawValue: service.rawValue + "." + name)
    }

    /// Documentation order (the order of the cases).
    public static func < (a: SettingKey, b: SettingKey) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A setting's value as a layer (flag, environment, file, built-in) gives it:
/// plain text, or a secret that is read only when it is needed.
public enum SettingValue: Sendable, Equatable, CustomStringConvertible {
    case text(String)
    case secret(Secret)

    /// The text, or the secret masked: what `paysh config` may print.
    public var description: String {
        switch self {
        case .text(let text): return text
        case .secret(let secret): return secret.description
        }
    }
}
