/// What paysh knows without a config file: the `sandbox` profile, and the
/// documented hosts every other profile starts from.
public enum BuiltInProfiles {
    /// The profile that talks to the local sandbox; a config file cannot define it.
    public static let sandboxName = "sandbox"

    /// Where `paysh sandbox` listens when not told otherwise.
    public static let sandboxRoot = "http://127.0.0.1:7297"

    /// The sandbox profile's settings: the sandbox's URLs at its default
    /// address and its fixed credentials. These are copies of the Sandbox
    /// target's `SandboxEndpoints` and `SandboxCredentials` (this target does
    /// not depend on it); `BuiltInProfilesTests` fails if they drift apart.
    /// They are not secrets: they open only the local simulator.
    public static let sandbox: [SettingKey: String] = [
        .lumanuTokenURL: sandboxRoot + "/auth/oauth/token",
        .lumanuAudience: "https://lumanu-demo.hasura.app/v1/graphql",
        .lumanuBaseURL: sandboxRoot + "/lumanu",
        .lumanuClientID: "paysh-sandbox-client",
        .lumanuClientSecret: "paysh-sandbox-secret",
        .lumanuWorkspaceID: "90413206-0be5-48a5-af6c-6d52f3ec69f6",
        .lumenBaseURL: sandboxRoot + "/lumen/v1",
        .lumenAPIKey: "sk_sandbox_merchant_acme",
        .lumyriBaseURL: sandboxRoot + "/lumyri",
        .lumyriAccessToken: "lumyri_sandbox_token",
    ]

    /// What a profile of the config file gets for a setting it does not give
    /// (and no flag or variable does): the hosts and audience of the API documents.
    public static let defaults: [SettingKey: String] = [
        .lumanuTokenURL: "https://lumanu-staging.auth0.com/oauth/token",
        .lumanuAudience: "https://lumanu-demo.hasura.app/v1/graphql",
        .lumanuBaseURL: "https://api.lumanu.com",
        .lumenBaseURL: "https://api.getlumen.dev/v1",
        .lumyriBaseURL: "https://api-v1-stg.lumyri.com",
    ]
}
