import PaymentsCore
import Testing

extension RedactorTests {
    /// URLs: query parameters by name, card numbers and keys anywhere, passwords in the authority.
    @Suite struct URLs {
        let redactor = Redactor.standard

        @Test(arguments: [
            ("https://api.lumen.test/payments/pay_123?access_token=sk_sandbox_merchant_acme&limit=10",
             "https://api.lumen.test/payments/pay_123?access_token=[redacted]&limit=10"),
            ("/payments?client_secret=x&api_key=y&apiKey=&q=1", "/payments?client_secret=[redacted]&api_key=[redacted]&apiKey=&q=1"),
            ("https://cb.example/done#access_token=abc&state=xyz", "https://cb.example/done#access_token=[redacted]&state=xyz"),
            ("https://x.test/pay?card_number=4242424242424241&cvc=123", "https://x.test/pay?card_number=424242******4241&cvc=[redacted]"),
        ])
        func secretParametersLoseTheirValue(input: String, redacted: String) {
            #expect(redactor.url(input) == redacted)
        }

        @Test func cardNumbersInThePathOrAnyParameterAreMasked() {
            #expect(redactor.url("http://127.0.0.1:8080/payments/cards/4242424242424242/charge")
                == "http://127.0.0.1:8080/payments/cards/424242******4242/charge")
            #expect(redactor.url("https://x.test/search?q=4242+4242+4242+4242&page=2") == "https://x.test/search?q=424242******4242&page=2")
            #expect(redactor.url("https://x.test/c/4242%2D4242%2D4242%2D4242") == "https://x.test/c/424242******4242")
        }

        @Test func keysAndTokensInThePathAreRedacted() {
            #expect(redactor.url("https://x.test/v1/keys/sk_test_abc123/roll") == "https://x.test/v1/keys/sk_test_[redacted]/roll")
            #expect(redactor.url("https://x.test/verify?assertion=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")
                == "https://x.test/verify?assertion=[redacted+jwt]")
        }

        @Test func passwordsInTheAuthorityAreRedacted() {
            #expect(redactor.url("https://paysh:s3cret@proxy.test:8080/x") == "https://paysh:[redacted]@proxy.test:8080/x")
            #expect(redactor.url("https://ghp_token123@git.test/repo") == "https://[redacted]@git.test/repo")
        }

        @Test func ordinaryURLsKeepTheirExactSpelling() {
            let url = "https://api.lumyri.test/payments/orders/206466?status=open&from=2024-01-15&amount=17408"
                + "&companyId=956865a9-b9f7-4198-87eb-10b4f0f411c9&name=caf%C3%A9+cr%C3%A8me&empty=&flag#section-2"
            #expect(redactor.url(url) == url)
        }

        @Test func runTimeSecretsAreHiddenInURLs() {
            let redactor = Redactor(secrets: ["sk_sandbox_merchant_acme"])
            #expect(redactor.url("https://x.test/echo/sk_sandbox_merchant_acme?v=sk_sandbox_merchant_acme")
                == "https://x.test/echo/[redacted]?v=[redacted]")
        }
    }
}
