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

    /// The signature's first character carries six bits of the MAC; its last
    /// (the 43rd of an HS256 signature) carries four, and two bits that a
    /// base64 decoder ignores. Both alterations must be refused: the second
    /// decodes to the very MAC that was issued, so only the sandbox's check
    /// of the spelling catches it.
    @Test(arguments: [AlteredSignature.firstCharacter, .unusedBitsOfTheLast])
    func aTokenWithAnAlteredSignatureIs401(_ alteration: AlteredSignature) async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let altered = alteration.apply(to: token)
            #expect(altered != token)
            let (status, error) = try await sandbox.request(.get, "/lumanu/api/rest/payouts", bearer: altered)
            #expect(status == .unauthorized)
            #expect(error?["error"]?.stringValue?.contains("JWSInvalidSignature") == true)
        }
    }

    enum AlteredSignature: CustomTestStringConvertible, Sendable {
        case firstCharacter, unusedBitsOfTheLast

        static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

        var testDescription: String {
            switch self {
            case .firstCharacter: "the first character of the signature"
            case .unusedBitsOfTheLast: "only the unused bits of its last character"
            }
        }

        func apply(to token: String) -> String {
            var characters = Array(token)
            let index = self == .firstCharacter ? characters.lastIndex(of: ".")! + 1 : characters.count - 1
            let value = Self.alphabet.firstIndex(of: characters[index])!
            // Bit 5 is always significant; bit 0 of the last character is one
            // of the two that pad 256 bits out to 43 characters.
            characters[index] = Self.alphabet[self == .firstCharacter ? value ^ 0b100000 : value ^ 0b000001]
            return String(characters)
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
