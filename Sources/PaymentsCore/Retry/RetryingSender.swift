/// Sends a request, retrying only what is safe (``RetryPolicy``), and
/// reconciling before re-sending a mutation whose outcome is unknown.
///
/// ```swift
/// let answer = try await sender.send(pay, idempotent: false) {
///     // Did the charge happen? Look at the invoice.
///     let invoice = try await sender.send(getInvoice, idempotent: true)
///     return status(of: invoice) == "Succeeded" ? .applied(invoice) : .notApplied
/// }
/// ```
public struct RetryingSender: Sendable {
    public let transport: Transport
    public let policy: RetryPolicy
    public let budget: RetryBudget
    /// How many attempts may be in flight to the service at once, lowered on 429s (shared by a service's calls).
    public var limit: AdaptiveLimit?
    /// How to wait between attempts (replaced in tests).
    public var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    public init(transport: Transport, policy: RetryPolicy = RetryPolicy(), budget: RetryBudget = RetryBudget()) {
        self.transport = transport
        self.policy = policy
        self.budget = budget
    }

    /// What a look-up after an unknown outcome found.
    public enum Reconciliation: Sendable {
        /// The earlier attempt took effect; this answer stands for it.
        case applied(IncomingAnswer)
        /// It did not: sending again cannot do it twice.
        case notApplied
    }

    /// Readies a request just before each attempt: sets its `Authorization`.
    /// A failure here ends the send at once (it has retries of its own).
    public typealias Preparation = @Sendable (inout OutgoingRequest) async throws(PaymentsError) -> Void

    /// Send `request` until it succeeds or fails for good; a non-2xx answer that
    /// is final is thrown as a ``PaymentsError``. A mutation (`idempotent` false)
    /// whose outcome is unknown is re-sent only after `reconcile` says it did
    /// not take effect; without `reconcile`, the unknown outcome is reported.
    ///
    /// `prepare` runs before every attempt, so that an attempt made seconds
    /// after the first (behind 503s, a `Retry-After`, a look-up) carries a
    /// token that is valid now, not the one the first attempt had.
    public func send(_ request: OutgoingRequest, idempotent: Bool,
                     reconcile: (@Sendable () async throws -> Reconciliation)? = nil,
                     prepare: Preparation? = nil) async throws(PaymentsError) -> IncomingAnswer {
        var random = SystemRandomNumberGenerator()
        var attempt = 1
        var request = request
        while true {
            let failure: PaymentsError
            request.attempt = attempt
            if let prepare { try await prepare(&request) }
            if let limit {
                await limit.acquire()
                if Task.isCancelled {
                    limit.release(.none)
                    throw PaymentsError(kind: .notSent, service: request.service, operation: request.operation,
                                        message: "cancelled before it was sent")
                }
            }
            do {
                let answer = try await transport.send(request)
                let error = FailureClassifier.error(status: answer.status, headers: answer.headers, body: answer.body,
                                                    service: request.service, operation: request.operation,
                                                    requestID: answer.requestID, redact: transport.configuration.redactor.text)
                limit?.release(answer.status == 429 ? .overloaded(retryAfter: error?.retryAfter) : .answered)
                guard let error else {
                    budget.earn()
                    return answer
                }
                failure = error
            } catch {
                limit?.release(.none)
                failure = error
            }
            switch policy.decision(after: failure, attempt: attempt, idempotent: idempotent, budget: budget, random: &random) {
            case .fail:
                throw failure
            case .retry(let wait):
                try? await sleep(wait)
            case .reconcile(let wait):
                guard let reconcile else { throw failure }
                try? await sleep(wait)
                switch try await lookUp(reconcile, after: failure) {
                case .applied(let answer): return answer
                case .notApplied: break
                }
            }
            attempt += 1
        }
    }

    /// Run the reconciliation; if it cannot tell, the unknown outcome stands.
    private func lookUp(_ reconcile: @Sendable () async throws -> Reconciliation,
                        after failure: PaymentsError) async throws(PaymentsError) -> Reconciliation {
        do {
            return try await reconcile()
        } catch {
            var unknown = failure
            unknown.message += "; checking whether it took effect failed too: \(error)"
            throw unknown
        }
    }
}
