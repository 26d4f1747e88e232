/// The sandbox's fixed credentials and the names under which clients read them.
///
/// They are not secrets: the sandbox prints them on start, and they only open
/// the local simulator.
public enum SandboxCredentials {
    public static let lumanuClientID = "paysh-sandbox-client"
    public static let lumanuClientSecret = "paysh-sandbox-secret"
    /// The audience the Lumanu documents use; the sandbox checks it the same way.
    public static let lumanuAudience = "https://lumanu-demo.hasura.app/v1/graphql"
    /// The workspace of the Lumanu document's example payout.
    public static let lumanuWorkspaceID = "90413206-0be5-48a5-af6c-6d52f3ec69f6"
    /// Secret key of the Lumen merchant that owns the documents' example objects.
    public static let lumenAPIKey = "sk_sandbox_merchant_acme"
    /// A second Lumen merchant, for trying isolation.
    public static let lumenOtherAPIKey = "sk_sandbox_merchant_globex"
    /// Access token of the Lumyri company of the documents' examples.
    public static let lumyriAccessToken = "lumyri_sandbox_token"
}

/// Where a running sandbox answers.
public struct SandboxEndpoints: Sendable, Equatable {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `http://127.0.0.1:PORT`
    public var root: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    public var lumanuTokenURL: String { root + "/auth/oauth/token" }
    public var lumanuBaseURL: String { root + "/lumanu" }
    public var lumenBaseURL: String { root + "/lumen/v1" }
    public var lumyriBaseURL: String { root + "/lumyri" }
    public var controlURL: String { root + "/_sandbox" }

    /// The environment a client reads, as (name, value) pairs in a stable order.
    public var environment: [(String, String)] {
        [
            ("LUMANU_TOKEN_URL", lumanuTokenURL),
            ("LUMANU_AUDIENCE", SandboxCredentials.lumanuAudience),
            ("LUMANU_BASE_URL", lumanuBaseURL),
            ("LUMANU_CLIENT_ID", SandboxCredentials.lumanuClientID),
            ("LUMANU_CLIENT_SECRET", SandboxCredentials.lumanuClientSecret),
            ("LUMANU_WORKSPACE_ID", SandboxCredentials.lumanuWorkspaceID),
            ("LUMEN_BASE_URL", lumenBaseURL),
            ("LUMEN_API_KEY", SandboxCredentials.lumenAPIKey),
            ("LUMYRI_BASE_URL", lumyriBaseURL),
            ("LUMYRI_ACCESS_TOKEN", SandboxCredentials.lumyriAccessToken),
        ]
    }

    /// `export NAME=value` lines, quoted for a POSIX shell, for `eval`.
    public var exportLines: [String] {
        environment.map { "export \($0.0)='\($0.1.replacingOccurrences(of: "'", with: "'\\''"))'" }
    }
}
