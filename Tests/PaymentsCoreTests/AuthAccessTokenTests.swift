import Foundation
import PaymentsCore
import Testing

/// Reading a token endpoint's answer, and when a token is due for refresh.
@Suite struct AuthAccessTokenTests {
    static let obtained = Date(timeIntervalSince1970: 1_750_000_000)

    /// An unsigned JWT with these claims (the client never checks signatures).
    static func jwt(_ claims: String) -> String {
        func part(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        return part(#"{"alg":"HS256","typ":"JWT"}"#) + "." + part(claims) + ".c2lnbmF0dXJl"
    }

    static func parse(_ answer: String) throws -> AccessToken {
        try AccessToken.parse(answer: Array(answer.utf8), obtainedAt: obtained)
    }

    @Test func expiresInDecidesTheExpiry() throws {
        let token = try Self.parse(#"{"access_token":"\#(Self.jwt(#"{"exp":1750099999}"#))","expires_in":86400,"token_type":"Bearer"}"#)
        #expect(token.expiresAt == Self.obtained.addingTimeInterval(86400), "expires_in wins over the JWT's exp")
        #expect(token.obtainedAt == Self.obtained)
        #expect(token.lifetime == 86400)
    }

    @Test func expiresInWrittenAsAStringIsRead() throws {
        let token = try Self.parse(#"{"access_token":"opaque-token-value","expires_in":"7200"}"#)
        #expect(token.expiresAt == Self.obtained.addingTimeInterval(7200))
    }

    @Test func withoutExpiresInTheJWTsLifetimeIsUsed() throws {
        // iat and exp 900 s apart: the lifetime counts from now, whatever the server's clock says.
        let token = try Self.parse(#"{"access_token":"\#(Self.jwt(#"{"iat":1600000000,"exp":1600000900}"#))","token_type":"Bearer"}"#)
        #expect(token.expiresAt == Self.obtained.addingTimeInterval(900))
    }

    @Test func aJWTWithoutIatExpiresAtItsExp() throws {
        let token = try Self.parse(#"{"access_token":"\#(Self.jwt(#"{"sub":"x@clients","exp":1750001234}"#))"}"#)
        #expect(token.expiresAt == Date(timeIntervalSince1970: 1_750_001_234))
    }

    @Test func neitherExpiresInNorAJWTMeansOneHour() throws {
        let opaque = try Self.parse(#"{"access_token":"opaque-token-value","token_type":"Bearer"}"#)
        #expect(opaque.expiresAt == Self.obtained.addingTimeInterval(3600))
        let noExp = try Self.parse(#"{"access_token":"\#(Self.jwt(#"{"sub":"x"}"#))"}"#)
        #expect(noExp.expiresAt == Self.obtained.addingTimeInterval(3600), "a JWT without exp")
        let brokenPayload = try Self.parse(#"{"access_token":"aaa.%%%.bbb"}"#)
        #expect(brokenPayload.expiresAt == Self.obtained.addingTimeInterval(3600), "a payload that is not base64url")
    }

    @Test func anUnusableExpiresInFallsBackToTheJWT() throws {
        let jwt = Self.jwt(#"{"iat":1600000000,"exp":1600000600}"#)
        for bad in ["0", "-5", #""soon""#, "null"] {
            let token = try Self.parse(#"{"access_token":"\#(jwt)","expires_in":\#(bad)}"#)
            #expect(token.expiresAt == Self.obtained.addingTimeInterval(600), "expires_in \(bad)")
        }
    }

    @Test func anAnswerWithoutATokenIsAnInvalidResponse() {
        for answer in [#"{"token_type":"Bearer"}"#, #"{"access_token":""}"#, #"{"access_token":42}"#, "<html>502</html>", "[]"] {
            #expect {
                _ = try Self.parse(answer)
            } throws: { error in
                let error = error as? PaymentsError
                return error?.kind == .invalidResponse && error?.service == "auth" && error?.operation == "lumanu.token"
                    && error?.message.contains("access_token") == true
            }
        }
    }

    @Test func aTokenIsRefreshedWithinTheMargin() {
        let token = AccessToken(value: "t", obtainedAt: Self.obtained, expiresAt: Self.obtained.addingTimeInterval(3600))
        #expect(!token.needsRefresh(at: Self.obtained.addingTimeInterval(3539), margin: 60))
        #expect(token.needsRefresh(at: Self.obtained.addingTimeInterval(3540), margin: 60))
        #expect(token.needsRefresh(at: Self.obtained.addingTimeInterval(4000), margin: 60), "expired")
    }

    @Test func theMarginIsNeverMoreThanHalfTheLifetime() {
        let token = AccessToken(value: "t", obtainedAt: Self.obtained, expiresAt: Self.obtained.addingTimeInterval(10))
        #expect(!token.needsRefresh(at: Self.obtained, margin: 60), "a 10 s token is usable although the margin is 60 s")
        #expect(!token.needsRefresh(at: Self.obtained.addingTimeInterval(4.9), margin: 60))
        #expect(token.needsRefresh(at: Self.obtained.addingTimeInterval(5), margin: 60))
    }

    @Test func theDescriptionMasksTheToken() {
        let value = "eyJhbGciOiJIUzI1NiJ9.secret-part-of-the-token.signature"
        let token = AccessToken(value: value, obtainedAt: Self.obtained, expiresAt: Self.obtained)
        #expect(!"\(token)".contains("secret-part"))
        #expect("\(token)".contains("eyJh…"))
    }
}
