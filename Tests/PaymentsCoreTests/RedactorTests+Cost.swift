import PaymentsCore
import Testing

extension RedactorTests {
    /// Adversarial input costs time in proportion to its size: 1 MB takes under a second in a debug build.
    /// The bound only guards against quadratic behaviour, which would take many minutes; it is generous
    /// (`limit`) so that a loaded machine cannot make it fail. It is not a performance claim.
    @Suite struct Cost {
        static let size = 1 << 20
        static let limit: Duration = .seconds(30)

        /// `unit` repeated to about 1 MB.
        static func repeated(_ unit: String) -> String {
            String(repeating: unit, count: size / unit.utf8.count)
        }

        static let pathological: [String] = [
            "4", "4-", "42 ", "4242 ", "1-1 ", "eyJ", "eyJa-", "eyJa.", "eyJa.b", "a-", "a.", "password=", #"password=""#,
            "cardNumber=", #"cardNumber=""#, "cardNumber=[[", "password=[[", "cardNumber=4 ", #"cardNumber=\""#, "Bearer ", "basic ", "sk_test_", "\"", "\\",
            "\\\"", "a", "ab12", "12345678-1234-", "x=", "key: ", "{\"a\":", " ",
        ]

        @Test(arguments: pathological)
        func pathologicalTextIsLinear(unit: String) {
            let input = Self.repeated(unit)
            let clock = ContinuousClock()
            var output = ""
            let elapsed = clock.measure { output = Redactor.standard.text(input) }
            #expect(elapsed < Self.limit, "\(unit): \(elapsed)")
            #expect(!output.isEmpty)
        }

        @Test func aMegabyteOfDigitsIsOneLongNumberAndStays() {
            let input = Self.repeated("4242")
            let clock = ContinuousClock()
            var output = ""
            let elapsed = clock.measure { output = Redactor.standard.text(input) }
            #expect(elapsed < Self.limit)
            #expect(output == input)
        }

        @Test func aMegabyteOfGroupedDigitsIsMasked() {
            // Single-digit groups joined by dashes: every 16-group window of 4s passes Luhn.
            let input = Self.repeated("4-")
            let clock = ContinuousClock()
            var output = ""
            let elapsed = clock.measure { output = Redactor.standard.text(input) }
            #expect(elapsed < Self.limit)
            #expect(output.hasPrefix("444444***") && output.hasSuffix("4444-") && !output.dropLast().contains("-"))
        }

        @Test func aRepetitiveRunTimeSecretIsFoundInLinearTime() {
            let redactor = Redactor(secrets: [String(repeating: "a", count: 63) + "b"])
            let input = Self.repeated("a") + "b"
            let clock = ContinuousClock()
            var output = ""
            let elapsed = clock.measure { output = redactor.text(input) }
            #expect(elapsed < Self.limit)
            #expect(output.hasSuffix("a[redacted]"))
        }

        @Test func aLargeJSONBodyIsLinear() {
            let member = #"{"number":"4242424242424242","cvv":"123","amount":17408,"note":"4-2-4-2 eyJa.b"},"#
            let input = "[" + String(repeating: member, count: Self.size / member.utf8.count) + "{}]"
            let clock = ContinuousClock()
            var output = ""
            let elapsed = clock.measure { output = Redactor.standard.body(bytes(input), contentType: "application/json") }
            #expect(elapsed < Self.limit * 2)
            #expect(output.hasPrefix(#"[{"number":"424242******4242","cvv":"[redacted]","amount":17408"#))
        }
    }
}
