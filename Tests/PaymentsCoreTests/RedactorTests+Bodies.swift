import PaymentsCore
import Testing

extension RedactorTests {
    /// Bodies: JSON value by value, form bodies pair by pair, anything else as text.
    @Suite struct Bodies {
        let redactor = Redactor.standard

        func json(_ text: String) -> String { redactor.body(bytes(text), contentType: "application/json") }

        @Test(arguments: ["client_secret", "clientSecret", "Client-Secret", "access_token", "accessToken", "refresh_token",
                          "id_token", "password", "secret", "api_key", "apiKey", "X-Api-Key", "token", "webhookSecret",
                          "private_key", "authorization"])
        func secretNamedMembersBecomeRedacted(name: String) {
            #expect(json(#"{"\#(name)": "v4lue", "n": 1}"#) == #"{"\#(name)":"[redacted]","n":1}"#)
            #expect(json(#"{"\#(name)": {"nested": "v"}, "n": 1}"#) == #"{"\#(name)":"[redacted]","n":1}"#)
        }

        @Test func securityCodesAreRedactedWhateverTheirTypeButNull() {
            let body = #"{"cvv": 123, "cvc": "123", "cvv2": {"a": 1}, "securityCode": [1, 2], "card_cvc": true, "cardCvv": null}"#
            #expect(json(body) == #"{"cvv":"[redacted]","cvc":"[redacted]","cvv2":"[redacted]","securityCode":"[redacted]","#
                + #""card_cvc":"[redacted]","cardCvv":null}"#)
        }

        @Test func cardNumberMembersAreMaskedEvenWhenTheyFailLuhn() {
            let body = #"{"cardNumber": "4242424242424241", "card_number": 4242424242424242, "pan": "4242-4242-4242-4242"}"#
            #expect(json(body) == #"{"cardNumber":"424242******4241","card_number":"424242******4242","pan":"424242******4242"}"#)
        }

        @Test func numberIsACardNumberOnlyInsideACard() {
            let body = #"{"card": {"number": "4000000000000002", "exp_month": 12}, "invoice": {"number": "INV-0001", "#
                + #""total": 206466}, "source": {"number": "4242424242424241", "exp_month": 1}, "cards": [{"number": 5555555555554444}]}"#
            #expect(json(body) == #"{"card":{"number":"400000******0002","exp_month":12},"invoice":{"number":"INV-0001","#
                + #""total":206466},"source":{"number":"424242******4241","exp_month":1},"cards":[{"number":"555555******4444"}]}"#)
        }

        @Test func aLumyriCreateCardRequestKeepsOnlyWhatMayBeShown() {
            let body = #"{"info": {"cardName": "Ada Lovelace", "cardNumber": "4242424242424242", "expMonth": 12, "#
                + #""expYear": 2030, "cvv": "123", "country": "US"}, "addressInfo": {"postalCode": "94107"}, "isDefault": true}"#
            #expect(json(body) == #"{"info":{"cardName":"Ada Lovelace","cardNumber":"424242******4242","expMonth":12,"#
                + #""expYear":2030,"cvv":"[redacted]","country":"US"},"addressInfo":{"postalCode":"94107"},"isDefault":true}"#)
        }

        @Test func anAlreadyMaskedCardNumberIsKept() {
            let answer = #"{"cardNumber":"4000********0002","cardLastFour":"4242","cardId":"02953731-1769-414f-a231-03541c3387ae"}"#
            #expect(json(answer) == answer)
        }

        @Test func cardsInsideAnyStringAreMaskedAfterUnescaping() {
            let body = #"{"note": "paid with 4242 4242 4242 4242", "lines": ["4000000000000002"], "escaped": "\u0034242424242424242", "#
                + #""embedded": "{\"cvv\": \"123\"}"}"#
            #expect(json(body) == #"{"note":"paid with 424242******4242","lines":["400000******0002"],"escaped":"424242******4242","#
                + #""embedded":"{\"cvv\": \"[redacted]\"}"}"#)
        }

        @Test func luhnValidNumbersBecomeMaskedStringsAndOtherNumbersStay() {
            let body = #"{"amount": 17408, "invoice_number": 206466, "order": 9876543210123456, "ref": 4242424242424242, "#
                + #""big": 42424242424242424242, "ts": 1700000000000, "rate": 0.25, "neg": -17408, "float": 4242424242424242.0}"#
            #expect(json(body) == #"{"amount":17408,"invoice_number":206466,"order":9876543210123456,"ref":"424242******4242","#
                + #""big":42424242424242424242,"ts":1700000000000,"rate":0.25,"neg":-17408,"float":"424242******4242"}"#)
        }

        @Test func keysThatAreCardNumbersAreMaskedToo() {
            #expect(json(#"{"4242424242424242": "a", "424242******4242": "b"}"#) == #"{"424242******4242":"a","424242******4242 (2)":"b"}"#)
        }

        @Test func runTimeSecretsInsideStringsAreHidden() {
            let redactor = Redactor(secrets: ["paysh-sandbox-secret"])
            let body = redactor.body(bytes(#"{"error_description": "bad secret paysh-sandbox-secret"}"#), contentType: "application/json")
            #expect(body == #"{"error_description":"bad secret [redacted]"}"#)
        }

        @Test func invalidJSONFallsBackToTheTextRules() {
            #expect(json(#"{"password": "abc", "card": "4242424242424242""#) == #"{"password": "[redacted]", "card": "424242******4242""#)
        }

        @Test func deepJSONIsRedactedAsText() {
            let deep = String(repeating: "[", count: 300) + #"{"password":"x","n":4242424242424242}"# + String(repeating: "]", count: 300)
            let redacted = json(deep)
            #expect(redacted == String(repeating: "[", count: 300) + #"{"password":"[redacted]","n":424242******4242}"#
                + String(repeating: "]", count: 300))
        }

        @Test func theContentTypeChoosesTheRules() {
            let body = bytes(#"{ "a" : 4242424242424242 }"#)
            #expect(redactor.body(body, contentType: "application/problem+json; charset=utf-8") == #"{"a":"424242******4242"}"#)
            #expect(redactor.body(body, contentType: nil) == #"{"a":"424242******4242"}"#)
            #expect(redactor.body(body, contentType: "text/plain") == #"{ "a" : 424242******4242 }"#)
            #expect(redactor.body(bytes("password=x"), contentType: nil) == "password=[redacted]")
        }

        @Test func formBodiesAreRedactedPairByPair() {
            let form = "grant_type=client_credentials&client_id=paysh-sandbox-client&client_secret=paysh-sandbox-secret"
                + "&audience=https%3A%2F%2Flumanu-demo.hasura.app%2Fv1%2Fgraphql"
            #expect(redactor.body(bytes(form), contentType: "application/x-www-form-urlencoded")
                == "grant_type=client_credentials&client_id=paysh-sandbox-client&client_secret=[redacted]"
                + "&audience=https%3A%2F%2Flumanu-demo.hasura.app%2Fv1%2Fgraphql")
        }

        @Test func cardsInFormBodiesAreMaskedWhateverTheirEncoding() {
            let form = "card%5Bnumber%5D=4242+4242+4242+4242&card%5Bcvc%5D=123&amount=17408&note=paid%20with%204000000000000002"
            #expect(redactor.body(bytes(form), contentType: "application/x-www-form-urlencoded")
                == "card%5Bnumber%5D=424242******4242&card%5Bcvc%5D=[redacted]&amount=17408&note=paid+with+400000******0002")
        }

        @Test func plainTextBodiesGetTheTextRules() {
            #expect(redactor.body(bytes("card 4242424242424242\nAuthorization: Bearer x"), contentType: "text/plain")
                == "card 424242******4242\nAuthorization: Bearer [redacted]")
        }
    }
}
