import Synchronization

/// Counters the control API reports: requests per route and status, tokens
/// issued, charges made, mutations with and without an `Idempotency-Key`.
public final class SandboxStatistics: Sendable {
    private let counters = Mutex<[String: Int]>([:])
    private let keys = Mutex<[String: Int]>([:])

    public init() {}

    public func count(_ name: String, by amount: Int = 1) {
        counters.withLock { $0[name, default: 0] += amount }
    }

    public var snapshot: [String: Int] { counters.withLock { $0 } }

    /// A mutation arrived carrying `key` as its `Idempotency-Key` (or none).
    /// The APIs document no idempotency, so the sandbox does not act on the
    /// key; it only records it, so tests can see that every attempt of one
    /// call carries the same key.
    func recordIdempotencyKey(_ key: String?) {
        guard let key else {
            count("mutations without Idempotency-Key")
            return
        }
        count("mutations with Idempotency-Key")
        keys.withLock { $0[key, default: 0] += 1 }
    }

    /// How many requests carried each `Idempotency-Key`.
    public var idempotencyKeys: [String: Int] { keys.withLock { $0 } }

    public func reset() {
        counters.withLock { $0.removeAll() }
        keys.withLock { $0.removeAll() }
    }
}
