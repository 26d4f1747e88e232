import PaymentsCore
import Testing

/// The redactor's rules, one behaviour per test (docs/redaction.md). The
/// nested suites split them by what is redacted: card numbers, credentials
/// in text, header fields, bodies, URLs, and the cost of adversarial input.
@Suite struct RedactorTests {
    @Test func emptyInputsStayEmpty() {
        let redactor = Redactor(secrets: ["paysh-sandbox-secret"])
        #expect(redactor.text("") == "")
        #expect(redactor.body([], contentType: "application/json") == "")
        #expect(redactor.body([], contentType: nil) == "")
        #expect(redactor.url("") == "")
        #expect(redactor.headers([]).isEmpty)
        #expect(Redactor.maskCardNumber("") == "")
        #expect(!Redactor.containsCardNumber(""))
    }

    @Test func textWithoutSecretsOrCardsIsReturnedAsItIs() {
        let line = "lumyri.pay_invoice: 402 card_declined: Your card was declined (request 3f2a) — réessayez 🙂 amount 174.08 USD"
        #expect(Redactor.standard.text(line) == line)
    }

    @Test func redactingTwiceGivesTheSameAsOnce() {
        let redactor = Redactor(secrets: ["paysh-sandbox-secret"])
        let line = #"card 4242 4242 4242 4242 cvv=123 Authorization: Bearer abc.def {"client_secret": "paysh-sandbox-secret"} "#
            + "sk_live_abc eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig cardNumber=4242424242424241"
        let once = redactor.text(line)
        #expect(once != line)
        #expect(redactor.text(once) == once)
    }
}

/// `text` as UTF-8 bytes, for `body`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
