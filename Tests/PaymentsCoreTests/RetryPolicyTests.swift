import PaymentsCore
import Sandbox
import Testing

/// The jitter's randomness, made repeatable with the sandbox's seeded generator.
typealias FixedRandom = SeededGenerator

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(2))

    func failure(_ kind: PaymentsError.Kind, retryAfter: Duration? = nil) -> PaymentsError {
        PaymentsError(kind: kind, service: "lumyri", operation: "lumyri.pay_invoice", message: "x", retryAfter: retryAfter)
    }

    func decide(_ kind: PaymentsError.Kind, attempt: Int = 1, idempotent: Bool, budget: RetryBudget? = nil) -> RetryPolicy.Decision {
        var random = FixedRandom(seed: 7)
        return policy.decision(after: failure(kind), attempt: attempt, idempotent: idempotent, budget: budget, random: &random)
    }

    @Test func failuresThatDidNothingAreRetriedForAnyRequest() {
        for kind in [PaymentsError.Kind.notSent, .rejected] {
            for idempotent in [true, false] {
                guard case .retry = decide(kind, idempotent: idempotent) else {
                    Issue.record("\(kind) should be retried (idempotent: \(idempotent))")
                    continue
                }
            }
        }
    }

    @Test func anUnknownOutcomeIsRetriedForReadsButReconciledForMutations() {
        guard case .retry = decide(.outcomeUnknown, idempotent: true) else { Issue.record("reads retry"); return }
        guard case .reconcile = decide(.outcomeUnknown, idempotent: false) else { Issue.record("mutations reconcile"); return }
    }

    @Test(arguments: [PaymentsError.Kind.clientError, .unauthorized, .invalidResponse, .validation, .dryRun])
    func definiteFailuresAreFinal(kind: PaymentsError.Kind) {
        #expect(decide(kind, idempotent: true) == .fail)
        #expect(decide(kind, idempotent: false) == .fail)
    }

    @Test func attemptsAreBounded() {
        guard case .retry = decide(.notSent, attempt: 3, idempotent: true) else { Issue.record("attempt 4 allowed"); return }
        #expect(decide(.notSent, attempt: 4, idempotent: true) == .fail)
    }

    @Test func backoffIsFullJitterUnderADoublingCeiling() {
        var random = FixedRandom(seed: 1)
        for attempt in 2 ... 8 {
            let ceiling = min(Duration.milliseconds(100) * (1 << (attempt - 2)), .seconds(2))
            var seen: [Duration] = []
            for _ in 0 ..< 200 { seen.append(policy.delay(beforeAttempt: attempt, retryAfter: nil, random: &random)) }
            #expect(seen.allSatisfy { $0 >= .zero && $0 <= ceiling }, "attempt \(attempt)")
            #expect(seen.max()! > ceiling / 2 && seen.min()! < ceiling / 2, "spread over [0, ceiling] for attempt \(attempt)")
        }
    }

    @Test func retryAfterIsHonouredUpToTheCap() {
        var random = FixedRandom(seed: 1)
        #expect(policy.delay(beforeAttempt: 2, retryAfter: .seconds(1), random: &random) == .seconds(1))
        #expect(policy.delay(beforeAttempt: 2, retryAfter: .seconds(90), random: &random) == .seconds(2))
        var again = FixedRandom(seed: 3)
        guard case .retry(let wait) = policy.decision(after: failure(.rejected, retryAfter: .milliseconds(1500)), attempt: 1,
                                                      idempotent: false, random: &again) else {
            Issue.record("a 429 is retried")
            return
        }
        #expect(wait == .milliseconds(1500))
    }

    @Test func theBudgetStopsRetriesOnceSpentAndRefillsWithSuccesses() {
        let budget = RetryBudget(capacity: 2, earnedPerSuccess: 0.5)
        guard case .retry = decide(.notSent, idempotent: true, budget: budget),
              case .reconcile = decide(.outcomeUnknown, idempotent: false, budget: budget) else {
            Issue.record("the first two retries are in budget")
            return
        }
        #expect(decide(.notSent, idempotent: true, budget: budget) == .fail)
        budget.earn()
        budget.earn()
        guard case .retry = decide(.rejected, idempotent: true, budget: budget) else { Issue.record("earned back"); return }
        #expect(budget.available < 1)
    }
}
