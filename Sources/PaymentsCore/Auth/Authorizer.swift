/// Where a request's `Authorization` header comes from.
///
/// A connection asks for the header before each attempt and tells the
/// authorizer when the server answered 401 to it, so that a cached token
/// can be dropped (only if it is still the current one) and fetched again.
public protocol Authorizer: Sendable {
    /// The header value to send (`Bearer …`), fetching a token first if need be.
    func authorization() async throws(PaymentsError) -> String
    /// A request that carried `authorization` was answered 401. Forget it if
    /// it is still the current credential. Returns true when a fresh
    /// credential could differ (a token that can be fetched again), so that
    /// one retry is worth it; false for a fixed key.
    func rejected(_ authorization: String) async -> Bool
    /// The header's value for a `--dry-run` command, as the inside of a
    /// double-quoted shell word (`Bearer $LUMEN_API_KEY`), and the lines the
    /// shell must run first to define what it refers to. Never contains a secret.
    var shellAuthorization: ShellAuthorization { get }
}

/// The `Authorization` header of a dry-run `curl` command, with secrets left
/// as references to environment variables.
public struct ShellAuthorization: Sendable, Equatable {
    /// Shell lines to run before the command (for example, fetching a token).
    public var prelude: [String]
    /// The header's value as the inside of a double-quoted shell word, e.g.
    /// `Bearer $LUMYRI_ACCESS_TOKEN`: `$NAME` expands, nothing else is special
    /// (`"`, `\`, `` ` `` must not appear).
    public var headerValue: String

    public init(prelude: [String] = [], headerValue: String) {
        self.prelude = prelude
        self.headerValue = headerValue
    }
}

/// A fixed secret sent as `Authorization: Bearer <secret>`: Lumen's merchant
/// secret key, Lumyri's access token. The secret is revealed on the first
/// request, so a key that comes from a command runs it only when needed.
public struct StaticBearer: Authorizer {
    let secret: Secret
    /// The environment variable a dry-run command reads the secret from.
    public let environmentName: String

    public init(secret: Secret, environmentName: String) {
        self.secret = secret
        self.environmentName = environmentName
    }

    public init(secret: String, environmentName: String) {
        self.init(secret: Secret(.literal(secret)), environmentName: environmentName)
    }

    public func authorization() async throws(PaymentsError) -> String { "Bearer " + (try secret.reveal()) }

    /// A fixed key cannot be refreshed: a 401 is final.
    public func rejected(_ authorization: String) async -> Bool { false }

    public var shellAuthorization: ShellAuthorization {
        ShellAuthorization(headerValue: "Bearer $\(environmentName)")
    }
}
