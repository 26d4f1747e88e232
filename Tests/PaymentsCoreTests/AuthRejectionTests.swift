import Foundation
import PaymentsCore
import Sandbox
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
}
