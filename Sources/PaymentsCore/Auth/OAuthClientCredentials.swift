import Foundation
import JSON
import Synchronization

/// Lumanu's authorization: an access token from an OAuth 2.0 token endpoint
/// (the client-credentials grant), kept until shortly before it expires.
///
/// - One token request at a time: however many callers need a token at once,
///   one request is in flight and the others wait for its result (its error
///   too; the next caller after a failure tries again).
/// - The token is refreshed `refreshMargin` before its expiry (at most half
///   its lifetime before), and, with a ``TokenCache``, shared with later
///   processes of the same profile through a private file.
/// - After a 401, the rejected token is dropped (only if it is still the
///   current one: a concurrent caller may have replaced it already).
/// - The client secret is read only when a token is fetched, and never
///   appears in an error.
public final class OAuthClientCredentials: Authorizer {
    public let tokenURL: String
    public let audience: String
    public let clientID: String
    let clientSecret: Secret
    let sender: RetryingSender
    /// The disk cache, or nil to keep tokens in memory only.
    public let cache: TokenCache?
    /// What this authorizer's tokens belong to in the cache.
    public let cacheKey: TokenCache.Key
    /// How long before its expiry a token is replaced (at most half its lifetime).
    public let refreshMargin: TimeInterval
    let now: @Sendable () -> Date

    static let operation = "lumanu.token"

    private struct State {
        var token: AccessToken?
        /// The token request in flight, shared by everyone waiting for it.
        var fetch: Task<Result<AccessToken, PaymentsError>, Never>?
        /// The last token a server rejected: not to be taken back from the disk.
        var refused: String?
    }

    private let state = Mutex(State())

    private enum Need {
        case ready(AccessToken)
        case wait(Task<Result<AccessToken, PaymentsError>, Never>, current: AccessToken?)
    }

    /// - Parameters:
    ///   - transport: the transport the service's requests use too (one pool, one trace).
    ///   - profile: the profile's name; part of the disk cache's key.
    ///   - cache: where tokens outlive the process; nil keeps them in memory only.
    ///   - refreshMargin: how long before expiry to replace a token (60 s by default).
    ///   - retryPolicy: how token requests are retried (fetching a token changes
    ///     nothing, so every failure that may be passing is retried).
    ///   - now: the clock (replaced in tests).
    public init(tokenURL: String, audience: String, clientID: String, clientSecret: Secret, transport: Transport,
                profile: String, cache: TokenCache?, refreshMargin: TimeInterval = 60,
                retryPolicy: RetryPolicy = RetryPolicy(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.tokenURL = tokenURL
        self.audience = audience
        self.clientID = clientID
        self.clientSecret = clientSecret
        sender = RetryingSender(transport: transport, policy: retryPolicy)
        self.cache = cache
        cacheKey = TokenCache.Key(profile: profile, clientID: clientID, tokenURL: tokenURL, audience: audience)
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func authorization() async throws(PaymentsError) -> String {
        try await token().authorization
    }

    /// A token valid for at least the refresh margin: the one in hand, or a new
    /// one (from the disk cache or the token endpoint) shared with every
    /// concurrent caller.
    public func token() async throws(PaymentsError) -> AccessToken {
        let now = self.now()
        let need = state.withLock { state -> Need in
            if let token = state.token, !token.needsRefresh(at: now, margin: refreshMargin) { return .ready(token) }
            let fetch = state.fetch ?? Task { await self.obtain() }
            state.fetch = fetch
            return .wait(fetch, current: state.token)
        }
        let fetch: Task<Result<AccessToken, PaymentsError>, Never>, current: AccessToken?
        switch need {
        case .ready(let token): return token
        case .wait(let shared, let inHand): (fetch, current) = (shared, inHand)
        }
        switch await fetch.value {
        case .success(let token):
            return token
        case .failure(let error):
            // A refresh ahead of time failed, but the token in hand still works: use it until it expires.
            if let current, current.expiresAt > self.now() {
                trace("token refresh failed, the current token is still valid: \(error)")
                return current
            }
            throw error
        }
    }

    /// A server answered 401 to `authorization`: forget that token (in memory
    /// and on disk) unless it has been replaced already. A new token may be
    /// accepted, so one retry is worth it.
    public func rejected(_ authorization: String) async -> Bool {
        let dropped = state.withLock { state -> AccessToken? in
            guard let token = state.token, token.authorization == authorization else { return nil }
            state.token = nil
            state.refused = token.value
            return token
        }
        if let dropped, let cache { cache.remove(cacheKey, holding: dropped.value) }
        return true
    }

    /// The body of the one fetch in flight: the disk cache first, then the token
    /// endpoint; the result becomes the current token before the waiters see it.
    private func obtain() async -> Result<AccessToken, PaymentsError> {
        let result: Result<AccessToken, PaymentsError>
        if let token = fromDisk() {
            result = .success(token)
        } else {
            do throws(PaymentsError) {
                let token = try await fetch()
                keepOnDisk(token)
                result = .success(token)
            } catch {
                result = .failure(error)
            }
        }
        state.withLock { state in
            if case .success(let token) = result { state.token = token }
            state.fetch = nil
        }
        return result
    }

    /// A token another process of this profile stored, if it is usable and not due for refresh.
    private func fromDisk() -> AccessToken? {
        guard let cache else { return nil }
        let now = self.now()
        switch cache.lookUp(cacheKey, now: now) {
        case .found(let token):
            let refused = state.withLock { $0.refused }
            guard token.value != refused, !token.needsRefresh(at: now, margin: refreshMargin) else { return nil }
            return token
        case .missing:
            return nil
        case .ignored(let why):
            trace("token cache: not using \(cache.path(for: cacheKey)): \(why)")
            return nil
        }
    }

    /// Keep `token` for later processes; a cache that cannot be written costs a token request later, nothing more.
    private func keepOnDisk(_ token: AccessToken) {
        guard let cache else { return }
        do { try cache.store(token, for: cacheKey) } catch { trace("token cache: \(error.message)") }
    }

    /// One token request, retried while a failure may be passing.
    func fetch() async throws(PaymentsError) -> AccessToken {
        let secret: String
        do { secret = try clientSecret.reveal() } catch {
            throw PaymentsError(kind: .validation, service: "auth", operation: Self.operation,
                                message: "cannot read Lumanu's client secret: \(error.message)")
        }
        let body: JSONValue = [
            "client_id": .string(clientID), "client_secret": .string(secret),
            "audience": .string(audience), "grant_type": "client_credentials",
        ]
        let request = OutgoingRequest(service: "auth", operation: Self.operation, method: "POST", url: tokenURL,
                                      headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                                      body: try? body.encoded())
        let sent = now()
        do {
            let answer = try await sender.send(request, idempotent: true)
            return try AccessToken.parse(answer: answer.body, obtainedAt: sent, operation: Self.operation)
        } catch {
            throw explained(error, secret: secret)
        }
    }

    /// OAuth's error codes for refused credentials, whatever status a server sends them with.
    static let refusals: Set<String> = ["access_denied", "invalid_client", "unauthorized_client"]

    /// The error of a token request, its message free of the secret; a refusal
    /// is `unauthorized` and says which settings to check.
    func explained(_ error: PaymentsError, secret: String) -> PaymentsError {
        var error = error
        let said = error.message
        if error.kind == .unauthorized || error.code.map(Self.refusals.contains) == true {
            error.kind = .unauthorized
            error.message = "the token endpoint \(tokenURL) refused the client id \(clientID) with its client secret, "
                + "or the audience \(audience) (\(said)); check the profile's Lumanu client_id, client_secret and audience"
        }
        error.message = Redactor(secrets: [secret]).text(error.message)
        return error
    }

    func trace(_ line: String) {
        sender.transport.configuration.trace?(line)
    }
}
