import PaymentsCore
import PayshConfig
import Testing

/// Each setting: flag > environment > file > built-in, with its source recorded.
@Suite struct PrecedenceTests {
    /// A value for `key` as `layer` gives it, valid for that setting.
    static func value(_ key: SettingKey, from layer: String) -> String {
        key.isURL ? "https://\(layer).example/\(key.name)" : "\(layer)-\(key.name)-0123456789"
    }

    /// A file whose only profile `p` gives `key`.
    static func file(giving key: SettingKey) throws -> ConfigDocument {
        try parse(#"return { p = { \#(key.service.rawValue) = { \#(key.name) = "\#(value(key, from: "file"))" } } }"#)
    }

    static let fileSource = SettingSource.file(path: "config.lua", profile: "p")

    static func resolve(_ key: SettingKey, flag: Bool, environment: Bool, file: Bool) throws -> ResolvedProfile {
        let flags = ProfileFlags(settings: flag ? [key: value(key, from: "flag")] : [:])
        let env = environment ? [key.environmentVariable: value(key, from: "env")] : [:]
        let document = file ? try Self.file(giving: key) : try parse("return { p = {} }")
        return try ProfileResolver.resolve(flags: flags, environment: env, document: document)
    }

    @Test(arguments: SettingKey.allCases)
    func aFlagBeatsTheEnvironment(key: SettingKey) throws {
        let profile = try Self.resolve(key, flag: true, environment: true, file: true)
        #expect(try profile[key]?.revealed() == Self.value(key, from: "flag"))
        #expect(profile.sources[key.rawValue] == .flag(key.flagName))
    }

    @Test(arguments: SettingKey.allCases)
    func theEnvironmentBeatsTheFile(key: SettingKey) throws {
        let profile = try Self.resolve(key, flag: false, environment: true, file: true)
        #expect(try profile[key]?.revealed() == Self.value(key, from: "env"))
        #expect(profile.sources[key.rawValue] == .environment(key.environmentVariable))
        #expect(profile.sources[key.rawValue]?.description == "env \(key.environmentVariable)")
    }

    @Test(arguments: SettingKey.allCases)
    func theFileBeatsTheBuiltInDefault(key: SettingKey) throws {
        let profile = try Self.resolve(key, flag: false, environment: false, file: true)
        #expect(try profile[key]?.revealed() == Self.value(key, from: "file"))
        #expect(profile.sources[key.rawValue] == Self.fileSource)
        #expect(profile.sources[key.rawValue]?.description == "config.lua [p]")
    }

    @Test(arguments: SettingKey.allCases)
    func withoutAnythingElseTheBuiltInDefaultApplies(key: SettingKey) throws {
        let profile = try Self.resolve(key, flag: false, environment: false, file: false)
        if let builtIn = BuiltInProfiles.defaults[key] {
            #expect(profile[key] == .text(builtIn))
            #expect(profile.sources[key.rawValue] == .builtIn)
        } else {
            #expect(profile[key] == nil, "credentials have no default outside the sandbox")
            #expect(profile.sources[key.rawValue] == nil)
        }
    }

    @Test func theDocumentedDefaultsAreTheOnesUsed() throws {
        let profile = try ProfileResolver.resolve(environment: [:], document: parse("return { p = {} }"))
        #expect(profile.lumanu.tokenURL == "https://lumanu-staging.auth0.com/oauth/token")
        #expect(profile.lumanu.audience == "https://lumanu-demo.hasura.app/v1/graphql")
        #expect(profile.lumanu.baseURL == "https://api.lumanu.com")
        #expect(profile.lumen.baseURL == "https://api.getlumen.dev/v1")
        #expect(profile.lumyri.baseURL == "https://api-v1-stg.lumyri.com")
        #expect(profile.lumanu.clientID == nil && profile.lumanu.clientSecret == nil && profile.lumanu.workspaceID == nil)
        #expect(profile.lumen.apiKey == nil && profile.lumyri.accessToken == nil)
        #expect(!profile.isConfigured(.lumen) && profile.missing(for: .lumen) == [.lumenAPIKey])
        #expect(profile.missing(for: .lumanu) == [.lumanuClientID, .lumanuClientSecret], "workspace_id is optional")
    }

    @Test(arguments: SettingKey.allCases)
    func theEnvironmentOverridesTheSandboxProfile(key: SettingKey) throws {
        let env = [key.environmentVariable: Self.value(key, from: "env")]
        let profile = try ProfileResolver.resolve(environment: env, document: nil)
        #expect(profile.isSandbox)
        #expect(try profile[key]?.revealed() == Self.value(key, from: "env"))
        #expect(profile.sources[key.rawValue] == .environment(key.environmentVariable))
        for other in SettingKey.allCases where other != key {
            #expect(profile.sources[other.rawValue] == .builtIn)
        }
    }

    @Test func theSandboxProfileNeedsNoFileAndIsComplete() throws {
        let profile = try ProfileResolver.resolve(environment: [:], document: nil)
        #expect(profile.name == "sandbox" && profile.isSandbox && !profile.production)
        for key in SettingKey.allCases {
            #expect(try profile[key]?.revealed() == BuiltInProfiles.sandbox[key], "\(key)")
            #expect(profile.sources[key.rawValue] == .builtIn)
        }
        #expect(Service.allCases.allSatisfy(profile.isConfigured))
        #expect(profile.lumen.baseURL == "http://127.0.0.1:7297/lumen/v1")
    }

    @Test func variablesFromPaysSandboxPointTheSandboxProfileAtAnotherPort() throws {
        let root = "http://127.0.0.1:40123"
        let env = ["LUMANU_TOKEN_URL": root + "/auth/oauth/token", "LUMANU_BASE_URL": root + "/lumanu",
                   "LUMEN_BASE_URL": root + "/lumen/v1", "LUMYRI_BASE_URL": root + "/lumyri"]
        let profile = try ProfileResolver.resolve(environment: env, document: nil)
        #expect(profile.lumanu.tokenURL == root + "/auth/oauth/token")
        #expect(profile.lumen.baseURL == root + "/lumen/v1")
        #expect(profile.lumyri.baseURL == root + "/lumyri")
        #expect(profile.lumen.apiKey == Secret(.literal("sk_sandbox_merchant_acme")))
        #expect(!profile.production, "a sandbox on another port is still the sandbox")
    }

    /// `LUMEN_BASE_URL=https://api.… LUMEN_API_KEY=sk_live_… paysh …` with no file:
    /// the built-in profile now talks to a real service, and money-moving calls must be confirmed.
    @Test(arguments: ["LUMANU_BASE_URL", "LUMANU_TOKEN_URL", "LUMEN_BASE_URL", "LUMYRI_BASE_URL"])
    func theSandboxProfileMovedOffThisMachineIsTreatedAsProduction(variable: String) throws {
        let profile = try ProfileResolver.resolve(environment: [variable: "https://api.example.com/v1"], document: nil)
        #expect(profile.name == "sandbox" && profile.production)
        let local = try ProfileResolver.resolve(environment: [variable: "http://localhost:9999/v1"], document: nil)
        #expect(!local.production)
    }

    @Test func anEmptyVariableCountsAsUnset() throws {
        let profile = try ProfileResolver.resolve(environment: ["LUMEN_BASE_URL": "", "PAYSH_PROFILE": ""], document: nil)
        #expect(profile.lumen.baseURL == "http://127.0.0.1:7297/lumen/v1")
        #expect(profile.sources["lumen.base_url"] == .builtIn)
    }

    @Test func aVariableOrFlagThatIsNotAURLIsRefused() {
        #expect(failure { try ProfileResolver.resolve(environment: ["LUMEN_BASE_URL": "lumen.example"], document: nil) }
            == #"lumen.base_url from env LUMEN_BASE_URL: "lumen.example" is not an http or https URL"#)
        #expect(failure {
            try ProfileResolver.resolve(flags: ProfileFlags(settings: [.lumyriBaseURL: "file:///etc/passwd"]), environment: [:], document: nil)
        } == #"lumyri.base_url from flag --lumyri-base-url: "file:///etc/passwd" is not an http or https URL"#)
    }

    @Test func aSecretFromTheEnvironmentIsShownMasked() throws {
        let profile = try ProfileResolver.resolve(environment: ["LUMEN_API_KEY": "sk_live_0123456789abcdef"], document: nil)
        #expect(profile[.lumenAPIKey]?.description == "sk_l…(24 chars)")
        #expect(try profile.lumen.apiKey?.reveal(environment: [:]) == "sk_live_0123456789abcdef")
    }

    @Test func settingsAreNamedAsDocumented() {
        #expect(SettingKey.allCases.map(\.environmentVariable) == [
            "LUMANU_BASE_URL", "LUMANU_TOKEN_URL", "LUMANU_AUDIENCE", "LUMANU_CLIENT_ID", "LUMANU_CLIENT_SECRET",
            "LUMANU_WORKSPACE_ID", "LUMEN_BASE_URL", "LUMEN_API_KEY", "LUMYRI_BASE_URL", "LUMYRI_ACCESS_TOKEN",
        ])
        #expect(SettingKey.lumenAPIKey.flagName == "--lumen-api-key")
        #expect(SettingKey.lumanuClientSecret.name == "client_secret")
        #expect(SettingKey.allCases.filter(\.isSecret) == [.lumanuClientSecret, .lumenAPIKey, .lumyriAccessToken])
    }
}
