import Synchronization

/// Counters the control API reports: requests per route and status, tokens
/// issued, charges made.
public final class SandboxStatistics: Sendable {
    private let counters = Mutex<[String: Int]>([:])

    public init() {}

    public func count(_ name: String, by amount: Int = 1) {
        counters.withLock { $0[name, default: 0] += amount }
    }

    public var snapshot: [String: Int] { counters.withLock { $0 } }

    public func reset() { counters.withLock { $0.removeAll() } }
}
