import HTTPTypes
import JSON
@testable import Sandbox
import Testing

/// Every Lumanu route wants a valid JWT from the token endpoint: a 401 in
/// Hasura's words otherwise, expiry recognisable as such.
@Suite struct LumanuAuthTests {
    static let routes: [(HTTPRequest.Method, String, String?)] = [
        (.post, "/lumanu/api/rest/payables", LumanuDocument.createRequest),
        (.post, "/lumanu/api/rest/payable", LumanuDocument.createRequest),
        (.get, "/lumanu/api/rest/payouts", nil),
        (.get, "/lumanu/api/rest/payouts/\(LumanuDocument.exampleID)", nil),
    ]

    @Test func missingAuthorizationIs401OnEveryRoute() async throws {
        try await SandboxHarness.with { sandbox in
            for (method, path, body) in Self.routes {
                let (status, error) = try await sandbox.request(method, path, json: body)
                #expect(status == .unauthorized, "\(path)")
                #expect(keys(error) == ["path", "error", "code"])
                #expect(error?["code"] == "invalid-headers")
            }
        }
    }

    @Test(arguments: ["not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjk5OTk5OTk5OTl9.c2lnbmF0dXJl"])
    func malformedOrForgedTokensAre401(token: String) async throws {
        try await SandboxHarness.with { sandbox in
            for (method, path, body) in Self.routes {
                let (status, error) = try await sandbox.request(method, path, bearer: token, json: body)
                #expect(status == .unauthorized, "\(path)")
                #expect(error?["code"] == "invalid-jwt")
                #expect(error?["error"]?.stringValue?.hasPrefix("Could not verify JWT: ") == true)
            }
        }
    }

    @Test func aTokenWithAnAlteredSignatureIs401() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let flipped = String(token.dropLast()) + (token.last == "A" ? "B" : "A")
            let (status, error) = try await sandbox.request(.get, "/lumanu/api/rest/payouts", bearer: flipped)
            #expect(status == .unauthorized)
            #expect(error?["error"]?.stringValue?.contains("JWSInvalidSignature") == true)
        }
    }

    @Test func aTokenSignedByAnotherSandboxIs401() async throws {
        let foreign = try await SandboxHarness.with({ $0.seed = 99 }) { other in try await other.lumanuToken() }
        try await SandboxHarness.with { sandbox in
            let (status, error) = try await sandbox.request(.get, "/lumanu/api/rest/payouts", bearer: foreign)
            #expect(status == .unauthorized)
            #expect(error?["code"] == "invalid-jwt")
        }
    }

    @Test func aTokenForAnotherAudienceIs401() async throws {
        try await SandboxHarness.with { sandbox in
            let sandboxNow = sandbox.sandboxClock.now
            let token = try sandbox.running.sandbox.accessTokens().issue(
                clientID: SandboxCredentials.lumanuClientID, audience: "https://elsewhere.example/graphql",
                issuer: "https://paysh-sandbox/", now: sandboxNow, ttl: 3600)
            let (status, error) = try await sandbox.request(.get, "/lumanu/api/rest/payouts", bearer: token)
            #expect(status == .unauthorized)
            #expect(error?["error"] == "Could not verify JWT: JWTNotInAudience")
        }
    }

    @Test func anExpiredTokenIs401SayingJWTExpired() async throws {
        try await SandboxHarness.with({ $0.tokenTTL = 60 }) { sandbox in
            let token = try await sandbox.lumanuToken()
            let (fresh, _) = try await sandbox.request(.get, "/lumanu/api/rest/payouts?limit=1", bearer: token)
            #expect(fresh == .ok)
            sandbox.advanceClock(minutes: 0.5)
            let (halfway, _) = try await sandbox.request(.get, "/lumanu/api/rest/payouts?limit=1", bearer: token)
            #expect(halfway == .ok)
            sandbox.advanceClock(minutes: 0.6)
            for (method, path, body) in Self.routes {
                let (status, error) = try await sandbox.request(method, path, bearer: token, json: body)
                #expect(status == .unauthorized, "\(path)")
                #expect(error == ["path": "$", "error": "Could not verify JWT: JWTExpired", "code": "invalid-jwt"])
            }
            let renewed = try await sandbox.lumanuToken()
            let (again, _) = try await sandbox.request(.get, "/lumanu/api/rest/payouts?limit=1", bearer: renewed)
            #expect(again == .ok)
        }
    }
}
