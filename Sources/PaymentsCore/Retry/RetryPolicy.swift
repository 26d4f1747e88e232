/// When to try a request again, and how long to wait first.
///
/// Only what is safe is retried. A failure that did nothing (`notSent`,
/// `rejected`) is retried for any request. A failure whose outcome is
/// unknown is retried at once only for reads; for a mutation the caller must
/// first reconcile (look the object up: the payout by its `paysh_ref`, the
/// invoice by its status, the payment method by its
/// `externalPaymentMethodId`) and send again only if the first attempt did
/// not take effect. Anything else is final. Waits are exponential with full
/// jitter, `Retry-After` is honoured (up to a cap), attempts are bounded,
/// and a shared ``RetryBudget`` stops a failing service from being hammered.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts = 4
    /// The backoff ceiling of the first retry; it doubles with each attempt.
    public var baseDelay: Duration = .milliseconds(200)
    /// No wait is longer than this, backoff or `Retry-After`.
    public var maxDelay: Duration = .seconds(30)
    /// Attempts in all for a request the server keeps answering 429 with a
    /// `Retry-After`: it did nothing and said when to come back, and the
    /// service's ``AdaptiveLimit`` holds everyone back meanwhile, so such
    /// waits cost no retry budget and get more attempts than other failures.
    public var rateLimitedAttempts = 12

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(30)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// What to do after a failed attempt.
    public enum Decision: Sendable, Equatable {
        /// Send the same request again after waiting.
        case retry(after: Duration)
        /// The outcome is unknown: find out whether it took effect, then (if not) send again after waiting.
        case reconcile(after: Duration)
        /// Give up and report the error.
        case fail
    }

    /// The decision after `attempt` (1 for the first) failed with `error`.
    /// `idempotent` is true for reads (and for writes the API itself makes idempotent).
    public func decision(after error: PaymentsError, attempt: Int, idempotent: Bool,
                         budget: RetryBudget? = nil, random: inout some RandomNumberGenerator) -> Decision {
        let rateLimited = error.status == 429 && error.retryAfter != nil
        guard attempt < (rateLimited ? max(maxAttempts, rateLimitedAttempts) : maxAttempts) else { return .fail }
        let wait = delay(beforeAttempt: attempt + 1, retryAfter: error.retryAfter, random: &random)
        switch error.kind {
        case .rejected where rateLimited:
            return .retry(after: wait)
        case .notSent, .rejected:
            return budget?.spend() ?? true ? .retry(after: wait) : .fail
        case .outcomeUnknown:
            guard budget?.spend() ?? true else { return .fail }
            return idempotent ? .retry(after: wait) : .reconcile(after: wait)
        case .clientError, .unauthorized, .invalidResponse, .validation, .dryRun:
            return .fail
        }
    }

    /// The wait before attempt `n` (2 for the first retry): the server's
    /// `Retry-After` when it gave one, else a random wait between zero and
    /// `baseDelay * 2^(n-2)` (full jitter), never more than `maxDelay`.
    public func delay(beforeAttempt n: Int, retryAfter: Duration?, random: inout some RandomNumberGenerator) -> Duration {
        if let retryAfter { return min(retryAfter, maxDelay) }
        let exponent = min(max(n - 2, 0), 30)
        let ceiling = min(baseDelay * (1 << exponent), maxDelay)
        let nanoseconds = ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0 ... nanoseconds, using: &random))
    }
}
