extension ResolvedProfile {
    /// A setting by its key, so that code can walk all ten settings the same way.
    /// Setting a secret's key takes `.secret` (plain text is kept as a literal
    /// secret); setting another key takes `.text`.
    public subscript(key: SettingKey) -> SettingValue? {
        get {
            switch key {
            case .lumanuBaseURL: return lumanu.baseURL.map(SettingValue.text)
            case .lumanuTokenURL: return lumanu.tokenURL.map(SettingValue.text)
            case .lumanuAudience: return lumanu.audience.map(SettingValue.text)
            case .lumanuClientID: return lumanu.clientID.map(SettingValue.text)
            case .lumanuClientSecret: return lumanu.clientSecret.map(SettingValue.secret)
            case .lumanuWorkspaceID: return lumanu.workspaceID.map(SettingValue.text)
            case .lumenBaseURL: return lumen.baseURL.map(SettingValue.text)
            case .lumenAPIKey: return lumen.apiKey.map(SettingValue.secret)
            case .lumyriBaseURL: return lumyri.baseURL.map(SettingValue.text)
            case .lumyriAccessToken: return lumyri.accessToken.map(SettingValue.secret)
            }
        }
        set {
            let text: String?, secret: Secret?
            switch newValue {
            case .none: (text, secret) = (nil, nil)
            case .text(let value): (text, secret) = (value, key.isSecret ? Secret(.literal(value), setting: key.rawValue) : nil)
            case .secret(let value): (text, secret) = (nil, value)
            }
            switch key {
            case .lumanuBaseURL: lumanu.baseURL = text
            case .lumanuTokenURL: lumanu.tokenURL = text
            case .lumanuAudience: lumanu.audience = text
            case .lumanuClientID: lumanu.clientID = text
            case .lumanuClientSecret: lumanu.clientSecret = secret
            case .lumanuWorkspaceID: lumanu.workspaceID = text
            case .lumenBaseURL: lumen.baseURL = text
            case .lumenAPIKey: lumen.apiKey = secret
            case .lumyriBaseURL: lumyri.baseURL = text
            case .lumyriAccessToken: lumyri.accessToken = secret
            }
        }
    }

    /// The settings `service` needs and does not have, in documentation order.
    /// (`workspace_id` is optional: payout calls may give their own.)
    public func missing(for service: Service) -> [SettingKey] {
        SettingKey.settings(of: service).filter { $0 != .lumanuWorkspaceID && self[$0] == nil }
    }
}
