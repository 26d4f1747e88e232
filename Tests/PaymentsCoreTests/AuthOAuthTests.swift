import Foundation
import JSON
import PaymentsCore
import Sandbox
import Testing

/// Lumanu's client credentials against the sandbox's token endpoint: one
/// token request at a time, expiry, refresh ahead of time, failures.
@Suite struct AuthOAuthTests {
    typealias Support = AuthTestSupport

    @Test func fiftyConcurrentCallersShareOneTokenRequest() async throws {
        try await Support.withSandbox { sandbox, transport in
            let oauth = Support.oauth(sandbox, transport)
            let headers = try await Support.concurrently(50) { try await oauth.authorization() }.map { try $0.get() }
            #expect(headers.count == 50)
            #expect(Set(headers).count == 1, "every caller got the same token")
            #expect(headers[0].hasPrefix("Bearer eyJ"))
            #expect(Support.tokensIssued(sandbox) == 1)
            #expect(Support.requests(sandbox, "POST /auth/oauth/token") == 1)
        }
    }

    @Test func fiftyConcurrentPayoutListsNeedOneToken() async throws {
        try await Support.withSandbox { sandbox, transport in
            let (connection, request) = Support.payouts(sandbox, transport, Support.oauth(sandbox, transport))
            let statuses = try await Support.concurrently(50) { try await connection.perform(request).status }.map { try $0.get() }
            #expect(statuses == Array(repeating: 200, count: 50))
            #expect(Support.tokensIssued(sandbox) == 1)
            #expect(Support.requests(sandbox, "GET /lumanu/api/rest/payouts", status: 200) == 50)
        }
    }

    @Test func theExpiryComesFromTheSandboxsExpiresIn() async throws {
        try await Support.withSandbox(tokenTTL: 120) { sandbox, transport in
            let clock = Support.TestClock()
            let token = try await Support.oauth(sandbox, transport, clock: clock).token()
            #expect(token.obtainedAt == clock.now)
            #expect(token.expiresAt == clock.now.addingTimeInterval(120))
        }
    }

    @Test func withoutExpiresInTheSandboxsJWTGivesTheLifetime() async throws {
        try await Support.withSandbox(tokenTTL: 900) { sandbox, transport in
            let form = "grant_type=client_credentials&client_id=\(SandboxCredentials.lumanuClientID)"
                + "&client_secret=\(SandboxCredentials.lumanuClientSecret)&audience=" + PercentEncoding.queryComponent(SandboxCredentials.lumanuAudience)
            let answer = try await transport.send(OutgoingRequest(
                service: "auth", operation: "lumanu.token", method: "POST", url: sandbox.endpoints.lumanuTokenURL,
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8)))
            #expect(answer.status == 200)
            var object = try #require(try JSONValue(parsing: String(decoding: answer.body, as: UTF8.self)).objectValue)
            object["expires_in"] = nil
            let now = Date()
            let token = try AccessToken.parse(answer: try JSONValue.object(object).encoded(), obtainedAt: now)
            #expect(token.expiresAt == now.addingTimeInterval(900), "exp − iat of the sandbox's own JWT")
        }
    }

    @Test func aTokenIsReusedUntilTheMarginThenRefreshedAhead() async throws {
        try await Support.withSandbox(tokenTTL: 10) { sandbox, transport in
            let clock = Support.TestClock()
            let oauth = Support.oauth(sandbox, transport, clock: clock)
            let first = try await oauth.authorization()
            clock.advance(by: 4)
            #expect(try await oauth.authorization() == first, "the margin is half of a 10 s lifetime, not 60 s")
            #expect(Support.tokensIssued(sandbox) == 1)
            clock.advance(by: 1.5) // 5.5 s: inside the last half, not expired
            let second = try await oauth.authorization()
            #expect(second != first)
            #expect(Support.tokensIssued(sandbox) == 2)
            #expect(try await oauth.authorization() == second)
            #expect(Support.tokensIssued(sandbox) == 2)
        }
    }

    @Test func aFailedRefreshAheadKeepsTheValidTokenUntilItExpires() async throws {
        try await Support.withSandbox(tokenTTL: 10) { sandbox, transport in
            let clock = Support.TestClock()
            let oauth = Support.oauth(sandbox, transport, retryPolicy: RetryPolicy(maxAttempts: 1), clock: clock)
            let first = try await oauth.authorization()
            sandbox.sandbox.faults.plan = try FaultPlan(parsing: "503@POST /auth/oauth/token")
            clock.advance(by: 6)
            #expect(try await oauth.authorization() == first, "the refresh failed; the token still works")
            #expect(Support.requests(sandbox, "POST /auth/oauth/token", status: 503) == 1, "a refresh was tried")
            clock.advance(by: 5)
            await #expect {
                _ = try await oauth.authorization()
            } throws: { ($0 as? PaymentsError)?.kind == .rejected }
        }
    }

    @Test func aFailedTokenRequestFailsItsWaitersAndTheNextCallerTriesAgain() async throws {
        try await Support.withSandbox(faults: "latency=300@POST /auth/oauth/token,503@POST /auth/oauth/token") { sandbox, transport in
            let oauth = Support.oauth(sandbox, transport, retryPolicy: RetryPolicy(maxAttempts: 1))
            let results = await Support.concurrently(20) { try await oauth.authorization() }
            let errors = results.compactMap { result -> PaymentsError? in
                if case .failure(let error) = result { return error as? PaymentsError } else { return nil }
            }
            #expect(errors.count == 20, "every waiter got the error")
            #expect(errors.allSatisfy { $0.kind == .rejected && $0.service == "auth" && $0.operation == "lumanu.token" })
            let requests = Support.requests(sandbox, "POST /auth/oauth/token")
            #expect(Set(errors.compactMap(\.requestID)).count == requests, "each token request's error went to all who waited for it")
            #expect(requests < 20)
            sandbox.sandbox.faults.plan = .none
            let header = try await oauth.authorization()
            #expect(header.hasPrefix("Bearer "))
            #expect(Support.tokensIssued(sandbox) == 1)
        }
    }

    @Test func aPassingFailureOfTheTokenEndpointIsRetried() async throws {
        try await Support.withSandbox(faults: "503:0.3@POST /auth/oauth/token,drop-before:0.3@POST /auth/oauth/token", seed: 5) { sandbox, transport in
            for _ in 0 ..< 10 {
                let header = try await Support.oauth(sandbox, transport, retryPolicy: RetryPolicy(maxAttempts: 12, baseDelay: .milliseconds(1),
                                                                                                 maxDelay: .milliseconds(5)))
                    .authorization()
                #expect(header.hasPrefix("Bearer "))
            }
            #expect(Support.tokensIssued(sandbox) == 10)
            let stats = sandbox.sandbox.statistics.snapshot
            #expect((stats["faults 503"] ?? 0) > 0 && (stats["faults drop-before"] ?? 0) > 0, "failures were injected: \(stats)")
        }
    }

    @Test func aWrongClientSecretIsUnauthorizedWithoutShowingTheSecret() async throws {
        try await Support.withSandbox { sandbox, transport in
            let secret = "wrong-secret-3f9a2c71"
            await #expect {
                _ = try await Support.oauth(sandbox, transport, secret: secret).authorization()
            } throws: { error in
                guard let error = error as? PaymentsError else { return false }
                return error.kind == .unauthorized && error.service == "auth" && error.operation == "lumanu.token" && error.status == 401
                    && error.code == "access_denied" && "\(error)".contains("refused the client id \(SandboxCredentials.lumanuClientID)")
                    && "\(error)".contains("client_secret") && !"\(error)".contains(secret)
            }
            #expect(Support.requests(sandbox, "POST /auth/oauth/token") == 1, "a refusal is not retried")
        }
    }

    @Test func aWrongAudienceIsUnauthorizedAndNamesTheAudience() async throws {
        try await Support.withSandbox { sandbox, transport in
            await #expect {
                _ = try await Support.oauth(sandbox, transport, audience: "https://elsewhere.example/graphql").authorization()
            } throws: { error in
                guard let error = error as? PaymentsError else { return false }
                return error.kind == .unauthorized && error.status == 403 && "\(error)".contains("audience https://elsewhere.example/graphql")
                    && !"\(error)".contains(SandboxCredentials.lumanuClientSecret)
            }
        }
    }

    @Test func aSecretThatCannotBeReadIsAClearError() async throws {
        try await Support.withSandbox { sandbox, transport in
            let oauth = OAuthClientCredentials(tokenURL: sandbox.endpoints.lumanuTokenURL, audience: SandboxCredentials.lumanuAudience,
                                               clientID: SandboxCredentials.lumanuClientID,
                                               clientSecret: Secret(.environment("PAYSH_TEST_UNSET_SECRET_7c1d")),
                                               transport: transport, profile: "sandbox", cache: nil)
            await #expect {
                _ = try await oauth.authorization()
            } throws: { error in
                let error = error as? PaymentsError
                return error?.kind == .validation && error?.operation == "lumanu.token"
                    && error?.message.contains("PAYSH_TEST_UNSET_SECRET_7c1d, which is not set") == true
            }
            #expect(Support.requests(sandbox, "POST /auth/oauth/token") == 0)
        }
    }
}
