import Foundation
import PaymentsCore
import Synchronization
import Testing

/// The in-flight limit of a service: up to the ceiling while the server keeps
/// up, halved and paused by a 429, growing back with each success.
@Suite struct AdaptiveLimitTests {
    @Test func withoutRejectionsEveryAttemptUpToTheCeilingRunsAtOnce() async {
        let limit = AdaptiveLimit(ceiling: 8)
        for _ in 0 ..< 8 { await limit.acquire() }
        #expect(limit.inFlight == 8)
        let ninth = Task { await limit.acquire(); return true }
        try? await Task.sleep(for: .milliseconds(50))
        #expect(limit.inFlight == 8, "the ninth waits")
        limit.release(.answered)
        #expect(await ninth.value)
        #expect(limit.inFlight == 8)
        for _ in 0 ..< 8 { limit.release(.answered) }
        #expect(limit.inFlight == 0 && limit.current == 8)
    }

    @Test func a429HalvesTheLimitAndHoldsEveryoneBackForItsRetryAfter() async {
        let limit = AdaptiveLimit(ceiling: 16)
        for _ in 0 ..< 10 { await limit.acquire() }
        let clock = ContinuousClock()
        let start = clock.now
        limit.release(.overloaded(retryAfter: .milliseconds(300)))
        #expect(limit.current == 5, "half of the 10 in flight")
        for _ in 0 ..< 9 { limit.release(.none) }
        await limit.acquire()
        #expect(clock.now - start >= .milliseconds(250), "the next attempt waited out the Retry-After")
        limit.release(.answered)
        for _ in 0 ..< 9 {
            await limit.acquire()
            limit.release(.answered)
        }
        #expect(limit.current == 6, "ten successes grow it by about two at 5")
        #expect(limit.inFlight == 0)
    }

    @Test func theLimitNeverFallsBelowOneAndGrowsBackToTheCeiling() async {
        let limit = AdaptiveLimit(ceiling: 4)
        for _ in 0 ..< 6 {
            await limit.acquire()
            limit.release(.overloaded(retryAfter: nil))
        }
        #expect(limit.current == 1)
        for _ in 0 ..< 100 {
            await limit.acquire()
            limit.release(.answered)
        }
        #expect(limit.current == 4)
    }

    @Test func waitersBlockedBehindAPauseAreNotStranded() async {
        let limit = AdaptiveLimit(ceiling: 1)
        await limit.acquire()
        let waiters = (0 ..< 5).map { _ in Task { await limit.acquire(); limit.release(.answered) } }
        try? await Task.sleep(for: .milliseconds(30))
        limit.release(.overloaded(retryAfter: .milliseconds(100)))
        for waiter in waiters { await waiter.value }
        #expect(limit.inFlight == 0)
    }

    @Test func rateLimitedRetriesSpendNoBudgetAndMayTryLonger() {
        let policy = RetryPolicy()
        let budget = RetryBudget(capacity: 0)
        var random = SystemRandomNumberGenerator()
        let limited = PaymentsError(kind: .rejected, service: "lumanu", operation: "lumanu.payouts", status: 429, message: "slow down",
                                    retryAfter: .seconds(1))
        #expect(policy.decision(after: limited, attempt: 5, idempotent: false, budget: budget, random: &random) == .retry(after: .seconds(1)))
        #expect(policy.decision(after: limited, attempt: policy.rateLimitedAttempts, idempotent: false, budget: budget, random: &random) == .fail)
        let unavailable = PaymentsError(kind: .rejected, service: "lumanu", operation: "lumanu.payouts", status: 503, message: "busy",
                                        retryAfter: .seconds(1))
        #expect(policy.decision(after: unavailable, attempt: 1, idempotent: false, budget: budget, random: &random) == .fail,
                "a 503 still needs the budget")
    }
}
