import PaymentsCore
import Testing

extension RedactorTests {
    /// Card numbers in free text: Luhn-valid runs of 13–19 digits, grouped or not.
    @Suite struct Cards {
        let redactor = Redactor.standard

        @Test(arguments: ["4242424242424242", "5555555555554444", "4000000000000002", "4000000000009995",
                          "4000000000000069", "4000000000000119"])
        func lumyriTestCardsShowOnlyTheirFirstSixAndLastFour(card: String) {
            #expect(redactor.text("paid with \(card).") == "paid with \(card.prefix(6))******\(card.suffix(4)).")
        }

        @Test(arguments: [
            ("4111111111111111", "411111******1111"), ("4012888888881881", "401288******1881"),
            ("5105105105105100", "510510******5100"), ("2223003122003222", "222300******3222"),
            ("6011111111111117", "601111******1117"), ("3530111333300000", "353011******0000"),
            ("378282246310005", "3782*******0005"), ("371449635398431", "3714*******8431"),
            ("30569309025904", "3056******5904"), ("4222222222222", "4222*****2222"),
            ("4242424242424242428", "424242*********2428"),
        ])
        func brandTestNumbersOfEveryLengthAreMasked(card: String, masked: String) {
            #expect(redactor.text(card) == masked)
            #expect(Redactor.maskCardNumber(card) == masked)
        }

        @Test func aNumberThatFailsLuhnIsLeftAloneInFreeText() {
            #expect(redactor.text("card 4242424242424241 refused") == "card 4242424242424241 refused")
            #expect(redactor.text("order 9876543210123456 shipped") == "order 9876543210123456 shipped")
            #expect(!Redactor.containsCardNumber("4242424242424241"))
        }

        @Test(arguments: [
            ("4242 4242 4242 4242", "424242******4242"), ("4242-4242-4242-4242", "424242******4242"),
            ("4242-4242 4242-4242", "424242******4242"), ("3782 822463 10005", "3782*******0005"),
            ("42 4242424242 4242", "424242******4242"), ("4 2 4 2 4 2 4 2 4 2 4 2 4 2 4 2", "424242******4242"),
            ("(4242 4242 4242 4242)", "(424242******4242)"),
        ])
        func groupsJoinedBySingleSpacesOrDashesAreOneNumber(input: String, masked: String) {
            #expect(redactor.text(input) == masked)
        }

        @Test(arguments: ["4242  4242  4242  4242", "4242--4242--4242--4242", "4242.4242.4242.4242", "4242/4242/4242/4242",
                          "4242\n4242\n4242\n4242"])
        func otherSeparatorsEndTheNumber(input: String) {
            #expect(redactor.text(input) == input)
        }

        @Test func runsOfMoreThanNineteenDigitsAreNotCards() {
            // Both runs pass Luhn; their length says they are something else (a reference, a hash).
            for run in ["42424242424242424242", "4242424242424242424242"] {
                #expect(redactor.text("ref \(run) ok") == "ref \(run) ok")
                #expect(!Redactor.containsCardNumber(run))
            }
        }

        @Test func aCardBesideALongerNumberIsStillMasked() {
            #expect(redactor.text("12345678901234567890 4242424242424242") == "12345678901234567890 424242******4242")
        }

        @Test func lettersAndUnderscoresAroundACardDoNotHideIt() {
            #expect(redactor.text("card4242424242424242") == "card424242******4242")
            #expect(redactor.text("x4242424242424242y") == "x424242******4242y")
            #expect(redactor.text("ord_4242424242424242") == "ord_424242******4242")
            #expect(redactor.text("ab4242424242424242cd") == "ab424242******4242cd")
        }

        @Test func digitsOfAUUIDOrAHashAreNotACard() {
            // The UUID's first three groups hold 16 digits that pass Luhn on their own.
            #expect(Redactor.containsCardNumber("12345678 1234 0002"))
            let uuid = "id 12345678-1234-0002-9999-999999999999 and 12345678-1234-0002-ABCD-abcdef012345."
            #expect(redactor.text(uuid) == uuid)
            #expect(!Redactor.containsCardNumber(uuid))
            let hash = "sha1 abcdef4242424242424242abcdefabcdefabcdef"
            #expect(redactor.text(hash) == hash)
            let trace = "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            #expect(redactor.text(trace) == trace)
        }

        @Test func overlappingCandidatesHideEveryMiddleDigit() {
            // Both `1000 0008 4242 4242` and `4242 4242 4242 4242` pass Luhn: masked as one region, so that
            // neither reading of where the card starts leaves the other's middle digits visible.
            #expect(redactor.text("1000 0008 4242 4242 4242 4242") == "100000**************4242")
        }

        @Test func twoCardsInARowAreMaskedSeparately() {
            #expect(redactor.text("4242424242424242 5555555555554444") == "424242******4242 555555******4444")
            #expect(redactor.text("4242424242424242,5555555555554444") == "424242******4242,555555******4444")
        }

        @Test func anExpiryAfterTheNumberIsKept() {
            #expect(redactor.text("4242 4242 4242 4242 12/25") == "424242******4242 12/25")
            #expect(redactor.text("4242424242424242, exp 12/2030") == "424242******4242, exp 12/2030")
        }

        @Test func cardsInsideURLsAndJSONTextAreMasked() {
            #expect(redactor.text("GET /v1/cards/4242424242424242?expand=1") == "GET /v1/cards/424242******4242?expand=1")
            #expect(redactor.text(#"{"note":"card\n4242424242424242\t"}"#) == #"{"note":"card\n424242******4242\t"}"#)
            #expect(redactor.text(#"{"n":"4242 4242 4242 4242"}"#) == #"{"n":"424242******4242"}"#)
        }

        @Test func amountsIdsDatesAndInvoiceNumbersAreUntouched() {
            let line = #"{"amount": 17408, "invoice_number": 206466, "total": "174.08", "createdAt": "2024-01-15T10:00:00Z", "#
                + #""companyId": "956865a9-b9f7-4198-87eb-10b4f0f411c9", "order": 9876543210123456, "ts": 1700000000000} "#
                + "phone +1 415-555-0100, dates 2024-01-15 to 2024-02-15, version 1.4.2"
            #expect(redactor.text(line) == line)
        }

        @Test func unrelatedGroupsThatReadAsACardAreMaskedToo() {
            // The accepted false positive: 16 digits joined by single separators that pass Luhn.
            #expect(redactor.text("from 2024-01-15 2024-02-14") == "from 202401******0214")
            #expect(redactor.text("from 2024-01-15 2024-02-15") == "from 2024-01-15 2024-02-15")
        }

        @Test func unicodeAroundACardIsKept() {
            #expect(redactor.text("carte n° 4242 4242 4242 4242 — payé ✅ 日本") == "carte n° 424242******4242 — payé ✅ 日本")
            #expect(redactor.text("é4242424242424242é") == "é424242******4242é")
        }

        @Test func maskCardNumberShowsFewerDigitsForShortNumbers() {
            #expect(Redactor.maskCardNumber("4242424242424242") == "424242******4242")
            #expect(Redactor.maskCardNumber("4242 4242 4242 4242") == "424242******4242")
            #expect(Redactor.maskCardNumber("4242424242424241") == "424242******4241")
            #expect(Redactor.maskCardNumber("424242424242") == "********4242")
            #expect(Redactor.maskCardNumber("4242424") == "*******")
        }

        @Test func containsCardNumberFindsGroupedAndEmbeddedNumbers() {
            #expect(Redactor.containsCardNumber("pay 4242 4242 4242 4242 now"))
            #expect(Redactor.containsCardNumber(#"{"cardNumber":"5555-5555-5555-4444"}"#))
            #expect(!Redactor.containsCardNumber("invoice 206466 amount 17408"))
            #expect(!Redactor.containsCardNumber("424242******4242"))
        }

        /// Random cards (13–19 digits, Luhn-valid) in random layouts among random words: none keeps more than its
        /// first six and last four digits. Seeded, so a failure reproduces.
        @Test func noMiddleDigitOfAnEmbeddedCardSurvives() {
            var random = SplitMix(seed: 0x5eed)
            for _ in 0 ..< 500 {
                let card = random.card()
                let separator = ["", " ", "-"][random.next(3)]
                let grouped = stride(from: 0, to: card.count, by: 4).map { String(card.dropFirst($0).prefix(4)) }
                    .joined(separator: separator)
                let words = ["pay", "é", "card:", "\"", "n°", "(", "x", "=", "🙂", "_"]
                let line = words[random.next(words.count)] + [" ", ""][random.next(2)] + grouped + [" ", "", "."][random.next(3)]
                    + words[random.next(words.count)]
                let redacted = redactor.text(line)
                let shown = CardNumberFacts.shown(count: card.count)
                let middle = String(card.dropFirst(shown.head).dropLast(shown.tail))
                #expect(!redacted.filter(\.isASCII).filter(\.isNumber).contains(middle), "\(line) → \(redacted)")
                #expect(Redactor.containsCardNumber(line), "\(line)")
            }
        }
    }
}

enum CardNumberFacts {
    static func shown(count: Int) -> (head: Int, tail: Int) { (count >= 16 ? 6 : 4, 4) }
}

/// A small seeded generator (SplitMix64), so random tests reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func nextValue() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(_ bound: Int) -> Int { Int(nextValue() % UInt64(bound)) }

    /// A Luhn-valid number of 13–19 digits, not starting with 0.
    mutating func card() -> String {
        let length = 13 + next(7)
        var digits = [1 + next(9)] + (0 ..< length - 2).map { _ in next(10) }
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            let weighted = position % 2 == 0 ? digit * 2 : digit
            sum += weighted > 9 ? weighted - 9 : weighted
        }
        digits.append((10 - sum % 10) % 10)
        return digits.map(String.init).joined()
    }
}
