import PaymentsCore
import Testing

extension RedactorTests {
    /// Credentials in free text: by their form (JWT, Bearer, Basic, secret keys), by the name of their field,
    /// and the secrets known at run time.
    @Suite struct Credentials {
        let redactor = Redactor.standard

        @Test func jwtsBecomeAMarker() {
            let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwYXlzaCJ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
            #expect(redactor.text("token \(jwt) expired") == "token [redacted jwt] expired")
            #expect(redactor.text("(\(jwt))") == "([redacted jwt])")
            #expect(redactor.text("unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. end") == "unsigned [redacted jwt] end")
            #expect(redactor.text("jwe eyJhbGciOiJSU0EifQ.a.b.c.d end") == "jwe [redacted jwt] end")
        }

        @Test func wordsThatOnlyStartLikeAJWTStay() {
            for line in ["eyJustKidding", "eyJ.x is not a token", "key eyJabc.def but no third part", "theyJump.a.b"] {
                #expect(redactor.text(line) == line)
            }
        }

        @Test func bearerTokensAreRedactedWhateverTheCase() {
            #expect(redactor.text("sent Bearer abc.def-ghi_jkl~/+= to") == "sent Bearer [redacted] to")
            #expect(redactor.text("bearer sk_test_x") == "bearer [redacted]")
            #expect(redactor.text("BEARER   tok123") == "BEARER   [redacted]")
            #expect(redactor.text("Bearer dG9rZW4= next") == "Bearer [redacted] next")
            #expect(redactor.text("the Bearer: nothing") == "the Bearer: nothing")
        }

        @Test func basicCredentialsAreRedactedButTheWordBasicStays() {
            // cGF5c2g6c2VjcmV0 is base64 of "paysh:secret".
            #expect(redactor.text("Basic cGF5c2g6c2VjcmV0") == "Basic [redacted]")
            #expect(redactor.text("Basic information is required") == "Basic information is required")
            #expect(redactor.text("Basic Information1") == "Basic Information1")
        }

        @Test func lumenStyleSecretKeysKeepOnlyTheirPrefix() {
            #expect(redactor.text("key sk_live_51HxYzAbC") == "key sk_live_[redacted]")
            #expect(redactor.text("key=sk_test_abc123.") == "key=sk_test_[redacted].")
            #expect(redactor.text("merchant sk_sandbox_merchant_acme") == "merchant sk_sandbox_[redacted]")
            #expect(redactor.text("rk_live_abc whsec_abc") == "rk_live_[redacted] whsec_[redacted]")
            #expect(redactor.text("publishable pk_live_abc, sk_other") == "publishable pk_live_abc, sk_other")
        }

        @Test(arguments: [
            ("client_id=paysh&client_secret=paysh-sandbox-secret&audience=x", "client_id=paysh&client_secret=[redacted]&audience=x"),
            (#"{"clientSecret": "abc", "id": 1}"#, #"{"clientSecret": "[redacted]", "id": 1}"#),
            (#"{"access_token":"abc","token_type":"Bearer","expires_in":3600}"#,
             #"{"access_token":"[redacted]","token_type":"Bearer","expires_in":3600}"#),
            ("refresh_token=r1&id_token=i2&state=s", "refresh_token=[redacted]&id_token=[redacted]&state=s"),
            ("password: hunter2 rest", "password: [redacted] rest"),
            ("X-Api-Key: abc123", "X-Api-Key: [redacted]"),
            ("apiKey='k-123' next", "apiKey='[redacted]' next"),
            ("lumanu.client_secret = s3cr3t", "lumanu.client_secret = [redacted]"),
            (#"{"access_token": "abc"#, #"{"access_token": "[redacted]"#),
            (#"{\"password\":\"p\\\"w\",\"n\":1}"#, #"{\"password\":\"[redacted]\",\"n\":1}"#),
            ("Authorization: Bearer abc.def", "Authorization: Bearer [redacted]"),
            ("curl -H 'Authorization: Basic cGF5c2g6c2VjcmV0' url", "curl -H 'Authorization: Basic [redacted]' url"),
            ("authorization=rawkey123&x=1", "authorization=[redacted]&x=1"),
            ("client_secret = [[s3 cr3t]], x = 1", "client_secret = [[[redacted]]], x = 1"),
            ("password = [[unterminated", "password = [[[redacted]"),
        ])
        func secretFieldsLoseTheirValueAndKeepTheirName(input: String, redacted: String) {
            #expect(redactor.text(input) == redacted)
        }

        @Test(arguments: [
            (#""cvv": 123,"#, #""cvv": [redacted],"#), ("cvv = '123'", "cvv = '[redacted]'"),
            ("securityCode=1234&x=1", "securityCode=[redacted]&x=1"), ("card_cvc: 999", "card_cvc: [redacted]"),
            ("CVV2=12", "CVV2=[redacted]"),
        ])
        func securityCodesAreRedacted(input: String, redacted: String) {
            #expect(redactor.text(input) == redacted)
        }

        @Test func aCardNumberFieldIsMaskedEvenWhenItFailsLuhn() {
            // A mistyped number is still a card number when its field says so.
            #expect(redactor.text(#"cardNumber="4242424242424241""#) == #"cardNumber="424242******4241""#)
            #expect(redactor.text("info.cardNumber: 4242 4242 4242 4241, next") == "info.cardNumber: 424242******4241, next")
            #expect(redactor.text("card_number=4242-4242-4242-4241&x=1") == "card_number=424242******4241&x=1")
        }

        @Test func aLuaCardCallKeepsOnlyTheMaskedNumber() {
            let typed = #"lumyri.card{info={cardNumber="4242 4242 4242 4242", cvv="123", expMonth=12}}"#
            #expect(redactor.text(typed) == #"lumyri.card{info={cardNumber="424242******4242", cvv="[redacted]", expMonth=12}}"#)
        }

        @Test func aCardNumberAlreadyMaskedStaysAsItIs() {
            let answer = #"{"cardNumber": "4242********4242", "cardLastFour": "4242", "cardNumber": "unknown"}"#
            #expect(redactor.text(answer) == answer)
        }

        @Test func fieldsWithOrdinaryNamesAreUntouched() {
            let line = #"token_type=Bearer expires_in=3600 token_type=Bearer tokensIssued: 4 key: value monkey=banana code: card_declined "#
                + #"Idempotency-Key: 7d0f password_reset_url=https://x.test/reset {"credentials": {"id": 1}} token:"#
            #expect(redactor.text(line) == line)
        }

        @Test func runTimeSecretsAreHiddenEveryTimeTheyAppear() {
            let redactor = Redactor(secrets: ["paysh-sandbox-secret"])
            #expect(redactor.text("sent paysh-sandbox-secret, again paysh-sandbox-secret!") == "sent [redacted], again [redacted]!")
            #expect(redactor.text("xxpaysh-sandbox-secretyy") == "xx[redacted]yy")
            #expect(Redactor.standard.text("sent paysh-sandbox-secret") == "sent paysh-sandbox-secret")
        }

        @Test func overlappingSecretsBecomeOneMarker() {
            let redactor = Redactor(secrets: ["abcdefgh12", "gh12345678"])
            #expect(redactor.text("xxabcdefgh12345678yy") == "xx[redacted]yy")
            let repeating = Redactor(secrets: ["abababab"])
            #expect(repeating.text("<ababababab>") == "<[redacted]>")
        }

        @Test func shortSecretsAreIgnoredAndSecretsAreTrimmed() {
            #expect(Redactor(secrets: ["abc", "pass", "1234567", ""]).text("abc pass 1234567") == "abc pass 1234567")
            #expect(Redactor(secrets: ["  abcdefgh12\n"]).text("v abcdefgh12 w") == "v [redacted] w")
        }

        @Test func runTimeSecretsAreFoundPercentEncodedAndJSONEscaped() {
            let redactor = Redactor(secrets: [#"p@ss word+1"#, #"pa"ss\word"#])
            #expect(redactor.text("q=p%40ss%20word%2B1&x=1") == "q=[redacted]&x=1")
            #expect(redactor.text("q=p%40ss+word%2B1&x=1") == "q=[redacted]&x=1")
            #expect(redactor.text(#"{"v": "pa\"ss\\word"}"#) == #"{"v": "[redacted]"}"#)
        }
    }
}
