import Synchronization

/// A budget of retries shared by the requests to one service: each retry
/// spends a token, each success earns back a fraction of one. When a service
/// fails everything, retries stop after the budget is spent instead of
/// multiplying the load by the attempt count.
public final class RetryBudget: Sendable {
    private struct Account {
        var tokens: Double
        let capacity: Double
        let earnedPerSuccess: Double
    }

    private let account: Mutex<Account>

    /// `capacity` retries in hand at the start and at most; `earnedPerSuccess` tokens back per success.
    public init(capacity: Double = 10, earnedPerSuccess: Double = 0.2) {
        account = Mutex(Account(tokens: capacity, capacity: capacity, earnedPerSuccess: earnedPerSuccess))
    }

    /// Take one retry from the budget; false when it is spent.
    public func spend() -> Bool {
        account.withLock { account in
            guard account.tokens >= 1 else { return false }
            account.tokens -= 1
            return true
        }
    }

    /// A request succeeded.
    public func earn() {
        account.withLock { $0.tokens = min($0.capacity, $0.tokens + $0.earnedPerSuccess) }
    }

    /// Retries in hand.
    public var available: Double { account.withLock { $0.tokens } }
}
