import Foundation
import PaymentsCore
import Sandbox
import Synchronization
import Testing

/// A token the API refuses: dropped, replaced once, the request retried once — never a loop.
@Suite struct AuthRejectionTests {
    typealias Support = AuthTestSupport

    @Test func aTokenTheAPIRejectsIsReplacedAndTheRequestRetriedOnce() async throws {
        try await Support.withSandbox { sandbox, transport in
            let (connection, request) = Support.payouts(sandbox, transport, Support.oauth(sandbox, transport))
            #expect(try await connection.perform(request).status == 200)
            // The sandbox's clock passes the token's expiry; the client's does not.
            try await Support.advanceSandboxClock(sandbox, transport, by: 7200)
            #expect(try await connection.perform(request).status == 200)
            #expect(Support.tokensIssued(sandbox) == 2)
            #expect(Support.requests(sandbox, "GET /lumanu/api/rest/payouts", status: 401) == 1)
            #expect(Support.requests(sandbox, "GET /lumanu/api/rest/payouts", status: 200) == 2)
        }
    }

    @Test func twentyRequestsRejectedWithTheSameStaleTokenRefreshItOnce() async throws {
        try await Support.withSandbox { sandbox, transport in
            let (connection, request) = Support.payouts(sandbox, transport, Support.oauth(sandbox, transport))
            #expect(try await connection.perform(request).status == 200)
            try await Support.advanceSandboxClock(sandbox, transport, by: 7200)
            let statuses = try await Support.concurrently(20) { try await connection.perform(request).status }.map { try $0.get() }
            #expect(statuses == Array(repeating: 200, count: 20))
            #expect(Support.tokensIssued(sandbox) == 2, "one refresh for all the requests the stale token failed")
            #expect(Support.requests(sandbox, "GET /lumanu/api/rest/payouts", status: 401) >= 1)
        }
    }

    @Test func aLateRejectionOfAReplacedTokenKeepsItsReplacement() async throws {
        try await Support.withSandbox { sandbox, transport in
            let oauth = Support.oauth(sandbox, transport)
            let stale = try await oauth.authorization()
            #expect(await oauth.rejected(stale))
            let fresh = try await oauth.authorization()
            // Another request that carried the stale token comes back 401 only now.
            #expect(await oauth.rejected(stale), "a retry with the current token is still worth it")
            #expect(try await oauth.authorization() == fresh)
            #expect(Support.tokensIssued(sandbox) == 2)
        }
    }

    @Test func aServiceThatRejectsEveryTokenIsTriedTwiceThenUnauthorized() async throws {
        try await Support.withSandbox { sandbox, transport in
            // Lumen takes a merchant key, never a Lumanu JWT.
            let lumen = ServiceConnection(service: .lumen, baseURL: sandbox.endpoints.lumenBaseURL, authorizer: Support.oauth(sandbox, transport),
                                          sender: RetryingSender(transport: transport, policy: Support.quickRetries))
            await #expect {
                _ = try await lumen.perform(APIRequest(operation: "lumen.payment", method: "GET", path: "/payments/pay_123"))
            } throws: { error in
                let error = error as? PaymentsError
                return error?.kind == .unauthorized && error?.status == 401 && error?.operation == "lumen.payment"
            }
            #expect(Support.requests(sandbox, "GET /lumen/") == 2, "one attempt, one retry with a new token, no more")
            #expect(Support.tokensIssued(sandbox) == 2)
        }
    }

    @Test func aRetryLongAfterTheFirstAttemptCarriesATokenValidThen() async throws {
        try await Support.withSandbox(faults: "503@GET /lumanu/api/rest/payouts", tokenTTL: 60) { sandbox, transport in
            let clock = Support.TestClock()
            let oauth = Support.oauth(sandbox, transport, clock: clock)
            var sender = RetryingSender(transport: transport, policy: Support.quickRetries)
            // Each wait between attempts outlasts a token, on both clocks; the third lets the request through.
            let waits = Locked(0)
            sender.sleep = { _ in
                clock.advance(by: 120)
                try await Support.advanceSandboxClock(sandbox, transport, by: 120)
                if waits.increment() == 3 { sandbox.sandbox.faults.plan = .none }
            }
            let connection = ServiceConnection(service: .lumanu, baseURL: sandbox.endpoints.lumanuBaseURL, authorizer: oauth, sender: sender)
            let request = APIRequest(operation: "lumanu.payouts", method: "GET", path: "/api/rest/payouts",
                                     query: [("workspace_id", SandboxCredentials.lumanuWorkspaceID)])
            let status = try await connection.perform(request).status
            #expect(status == 200)
            #expect(Support.requests(sandbox, "GET /lumanu/api/rest/payouts", status: 401) == 0, "no attempt carried an expired token")
            #expect(Support.requests(sandbox, "GET /lumanu/api/rest/payouts", status: 503) == 3)
            #expect(Support.tokensIssued(sandbox) == 4, "a token for each attempt, each made after the last had expired")
        }
    }
}

/// A counter the test and the closures it hands out share.
private final class Locked: Sendable {
    private let count: Mutex<Int>
    init(_ value: Int) { count = Mutex(value) }
    func increment() -> Int { count.withLock { $0 += 1; return $0 } }
}
