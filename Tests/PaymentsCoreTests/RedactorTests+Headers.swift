import PaymentsCore
import Testing

extension RedactorTests {
    /// HTTP header fields: credentials by the field's name, everything else through the text rules.
    @Suite struct Headers {
        let redactor = Redactor.standard

        func value(_ name: String, _ value: String) -> String {
            redactor.headers([(name: name, value: value)])[0].value
        }

        @Test(arguments: [
            ("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "Bearer [redacted]"),
            ("Authorization", "Basic cGF5c2g6c2VjcmV0", "Basic [redacted]"),
            ("authorization", "bearer sk_sandbox_merchant_acme", "bearer [redacted]"),
            ("AUTHORIZATION", "sk_sandbox_merchant_acme", "[redacted]"),
            ("Proxy-Authorization", "Basic dXNlcjpwYXNz", "Basic [redacted]"),
            ("Authorization", "", ""),
        ])
        func authorizationKeepsOnlyItsScheme(name: String, input: String, redacted: String) {
            #expect(value(name, input) == redacted)
        }

        @Test(arguments: ["Cookie", "Set-Cookie", "X-API-Key", "Api-Key", "x-api-key", "X-Auth-Token", "X-Client-Secret",
                          "Lumen-Signing-Key", "X-Lumanu-Token", "Authentication-Info"])
        func credentialFieldsAreRedactedWhole(name: String) {
            #expect(value(name, "session=abc; theme=dark") == "[redacted]")
        }

        @Test(arguments: [
            ("Content-Type", "application/json; charset=utf-8"), ("X-Request-Id", "3f2a9c1e-5b7d-4e2a-9f10-0c1d2e3f4a5b"),
            ("Idempotency-Key", "a3c1d6b0-2f4e-4c8a-9b7d-1e2f3a4b5c6d"), ("Retry-After", "120"),
            ("WWW-Authenticate", #"Bearer error="invalid_token", error_description="JWTExpired""#),
            ("Date", "Sat, 21 Nov 2026 11:43:00 GMT"), ("Content-Length", "17408"),
        ])
        func otherFieldsAreUntouched(name: String, input: String) {
            #expect(value(name, input) == input)
        }

        @Test func cardsAndTokensInAnyFieldAreStillHidden() {
            #expect(value("X-Note", "card 4242 4242 4242 4242") == "card 424242******4242")
            #expect(value("X-Debug", "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig") == "token [redacted jwt]")
            #expect(Redactor(secrets: ["paysh-sandbox-secret"]).headers([(name: "X-Echo", value: "paysh-sandbox-secret")])[0].value
                == "[redacted]")
        }

        @Test func fieldsKeepTheirNamesAndOrder() {
            let fields = redactor.headers([(name: "Accept", value: "application/json"), (name: "Authorization", value: "Bearer t"),
                                           (name: "X-Api-Key", value: "k"), (name: "Accept", value: "text/plain")])
            #expect(fields.map(\.name) == ["Accept", "Authorization", "X-Api-Key", "Accept"])
            #expect(fields.map(\.value) == ["application/json", "Bearer [redacted]", "[redacted]", "text/plain"])
        }
    }
}
