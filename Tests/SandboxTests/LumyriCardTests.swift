import Foundation
import JSON
import Sandbox
import Testing

/// Cards: validation of every field, masking, the CVV and full number never
/// coming back, and exactly one default card through create, update, delete.
@Suite struct LumyriCardTests {
    /// The ids of the cards marked default.
    func defaults(_ sandbox: SandboxHarness, token: String = Lumyri.token) async throws -> [String] {
        try await sandbox.cards(token: token).filter { $0["isDefault"] == true }.compactMap { $0["id"]?.stringValue }
    }

    func expectRejected(_ sandbox: SandboxHarness, _ json: String, naming text: String,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let (status, body) = try await sandbox.lumyri(.post, "/payments/cards", json: json)
        #expect(status == .badRequest, sourceLocation: sourceLocation)
        #expect(keys(body) == ["statusCode", "message", "error"], sourceLocation: sourceLocation)
        let message = body?["message"]?.stringValue ?? ""
        #expect(message.contains(text), "\(message)", sourceLocation: sourceLocation)
        #expect(try await sandbox.cards().count == 3, "a rejected card was stored", sourceLocation: sourceLocation)
    }

    @Test func aNumberFailingTheLuhnCheckIsRejected() async throws {
        try await SandboxHarness.with { sandbox in
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, number: "4242424242424241"), naming: "Luhn")
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, number: "5555555555554445"), naming: "Luhn")
        }
    }

    @Test(arguments: ["4242 4242 4242 4242", "4242-4242-4242-4242", "42424242424242a2", ""])
    func aNumberWithOtherThanDigitsIsRejected(number: String) async throws {
        try await SandboxHarness.with { sandbox in
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, number: number), naming: "info.cardNumber must contain digits only")
        }
    }

    @Test func aNumberOfTheWrongLengthIsRejected() async throws {
        try await SandboxHarness.with { sandbox in
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, number: "42424"), naming: "12 to 19 digits")
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, number: "42424242424242424242"), naming: "12 to 19 digits")
        }
    }

    @Test func anExpiryBeforeTheSandboxClocksMonthIsRejectedAndThisMonthIsAccepted() async throws {
        try await SandboxHarness.with { sandbox in
            let calendar = { var c = Calendar(identifier: .gregorian); c.timeZone = TimeZone(identifier: "UTC")!; return c }()
            let now = sandbox.running.sandbox.clock.now
            let (year, month) = (calendar.component(.year, from: now), calendar.component(.month, from: now))
            let last = month == 1 ? (12, year - 1) : (month - 1, year)
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, info: ["expMonth": "\(last.0)", "expYear": "\(last.1)"]),
                                     naming: "expired")
            let (status, _) = try await sandbox.lumyri(.post, "/payments/cards",
                                                       json: Lumyri.cardBody(sandbox, info: ["expMonth": "\(month)", "expYear": "\(year)"]))
            #expect(status == .created)
        }
    }

    @Test func theClockDecidesExpiry() async throws {
        try await SandboxHarness.with { sandbox in
            let body = Lumyri.cardBody(sandbox, info: ["expYear": "\(Lumyri.futureYear(sandbox))"])
            sandbox.running.sandbox.clock.advance(by: 5 * 366 * 86_400)
            try await expectRejected(sandbox, body, naming: "expired")
        }
    }

    @Test(arguments: [#""12""#, #""12345""#, #""12a""#, "123", #""""#])
    func aCVVThatIsNotAStringOfThreeOrFourDigitsIsRejected(cvv: String) async throws {
        try await SandboxHarness.with { sandbox in
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, info: ["cvv": cvv]), naming: "info.cvv")
        }
    }

    @Test(arguments: ["cardName", "cardNumber", "expMonth", "expYear", "cvv", "country"])
    func everyInfoFieldIsRequired(field: String) async throws {
        try await SandboxHarness.with { sandbox in
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, info: [field: String?.none]), naming: "info.\(field) is required")
        }
    }

    @Test(arguments: [
        ("expMonth", #""12""#, "info.expMonth must be an integer"),
        ("expMonth", "13", "info.expMonth must be between 1 and 12"),
        ("expYear", "2030.5", "info.expYear must be an integer"),
        ("cardName", "7", "info.cardName must be a string"),
        ("cardName", #""  ""#, "info.cardName must not be empty"),
        ("cardNumber", "4242424242424242", "info.cardNumber must be a string"),
        ("country", "null", "info.country must be a string"),
    ])
    func wrongTypesAreRejectedNamingTheField(field: String, value: String, message: String) async throws {
        try await SandboxHarness.with { sandbox in
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, info: [field: value]), naming: message)
        }
    }

    @Test func unknownFieldsAreRejectedByName() async throws {
        try await SandboxHarness.with { sandbox in
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, extra: #", "nickname": "x""#), naming: "unknown field nickname")
            try await expectRejected(sandbox, Lumyri.cardBody(sandbox, info: ["pin": #""1234""#]), naming: "unknown field info.pin")
            let address = Lumyri.cardBody(sandbox).replacingOccurrences(of: #""firstName": "Ada""#, with: #""firstName": "Ada", "city": "Leeds""#)
            try await expectRejected(sandbox, address, naming: "unknown field addressInfo.city")
            let flag = Lumyri.cardBody(sandbox, extra: #", "isDefault": "yes""#)
            try await expectRejected(sandbox, flag, naming: "isDefault must be a boolean")
            let noAddress = Lumyri.cardBody(sandbox).replacingOccurrences(of: #""addressInfo": {"firstName": "Ada", "country": "UK"}, "#, with: "")
            try await expectRejected(sandbox, noAddress, naming: "addressInfo is required")
            let badAddress = Lumyri.cardBody(sandbox).replacingOccurrences(of: #""country": "UK""#, with: #""country": 44"#)
            try await expectRejected(sandbox, badAddress, naming: "addressInfo.country must be a string")
        }
    }

    @Test(arguments: [("5555555555554444", "5555********4444"), ("4222222222222", "4222********2222"),
                      ("4000000000000002", "4000********0002")])
    func numbersAreMaskedToFirstFourEightStarsLastFour(number: String, masked: String) async throws {
        try await SandboxHarness.with { sandbox in
            let (status, created) = try await sandbox.lumyri(.post, "/payments/cards", json: Lumyri.cardBody(sandbox, number: number))
            #expect(status == .created)
            #expect(created?["info"]?["cardNumber"] == .string(masked))
            let listed = try await sandbox.cards().first { $0["id"] == created?["id"] }
            #expect(listed?["info"]?["cardNumber"] == .string(masked))
        }
    }

    @Test func theCVVAndTheFullNumberNeverComeBack() async throws {
        try await SandboxHarness.with { sandbox in
            let number = "4000000000009995", cvv = "8371"
            var answers: [JSONValue?] = []
            let (_, created) = try await sandbox.lumyri(.post, "/payments/cards", json: Lumyri.cardBody(sandbox, number: number, cvv: cvv, isDefault: true))
            answers.append(created)
            let id = try #require(created?["id"]?.stringValue)
            answers.append(try await sandbox.lumyri(.get, "/payments/cards").1)
            answers.append(try await sandbox.lumyri(.put, "/payments/cards/\(id)", json: #"{"info": {"expMonth": 12, "expYear": \#(Lumyri.futureYear(sandbox))}}"#).1)
            answers.append(try await sandbox.lumyri(.put, "/payments/orders/\(Lumyri.invoice)/pay").1)
            answers.append(try await sandbox.lumyri(.get, "/payments/orders?perPage=100").1)
            answers.append(try await sandbox.lumyri(.get, "/payments/billing-information").1)
            // Rejections must not echo them either.
            answers.append(try await sandbox.lumyri(.post, "/payments/cards", json: Lumyri.cardBody(sandbox, number: "4000000000009996", cvv: cvv)).1)
            answers.append(try await sandbox.lumyri(.post, "/payments/cards", json: Lumyri.cardBody(sandbox, number: number, cvv: "83711")).1)
            answers.append(try await sandbox.lumyri(.post, "/payments/cards", json: Lumyri.cardBody(sandbox, number: number, cvv: cvv, info: ["expYear": "2001"])).1)
            #expect(answers.count == 9)
            for answer in answers {
                let text = try #require(answer).description
                #expect(!text.contains(number) && !text.contains("4000000000009996"), "\(text)")
                #expect(!text.contains("\"\(cvv)\"") && !text.contains(":\(cvv)") && !text.lowercased().contains("cvv\":"), "\(text)")
            }
        }
    }

    @Test func theFirstCardOfACompanyBecomesDefaultWhateverItAsks() async throws {
        try await SandboxHarness.with { sandbox in
            let existing = try await sandbox.cards(token: Lumyri.otherToken)
            for card in existing {
                let (status, _) = try await sandbox.lumyri(.delete, "/payments/cards/\(card["id"]!.stringValue!)", token: Lumyri.otherToken)
                #expect(status == .noContent)
            }
            #expect(try await sandbox.cards(token: Lumyri.otherToken).isEmpty)
            let first = try await sandbox.addCard("4242424242424242", isDefault: false, token: Lumyri.otherToken)
            let second = try await sandbox.addCard("5555555555554444", isDefault: false, token: Lumyri.otherToken)
            #expect(try await defaults(sandbox, token: Lumyri.otherToken) == [first])
            _ = second
        }
    }

    @Test func exactlyOneDefaultThroughCreateUpdateAndDelete() async throws {
        try await SandboxHarness.with { sandbox in
            #expect(try await defaults(sandbox) == [Lumyri.defaultCard])
            let quiet = try await sandbox.addCard("5555555555554444", isDefault: false)
            #expect(try await defaults(sandbox) == [Lumyri.defaultCard])
            let loud = try await sandbox.addCard("4242424242424242", isDefault: true)
            #expect(try await defaults(sandbox) == [loud])

            let year = Lumyri.futureYear(sandbox)
            let (made, updated) = try await sandbox.lumyri(.put, "/payments/cards/\(quiet)", json: #"{"isDefault": true, "info": {"expMonth": 3, "expYear": \#(year)}}"#)
            #expect(made == .ok)
            #expect(updated?["isDefault"] == true)
            #expect(updated?["info"]?["expMonth"] == 3)
            #expect(try await defaults(sandbox) == [quiet])

            let (refused, error) = try await sandbox.lumyri(.put, "/payments/cards/\(quiet)", json: #"{"isDefault": false, "info": {"expMonth": 3, "expYear": \#(year)}}"#)
            #expect(refused == .badRequest)
            #expect(error?["message"]?.stringValue?.contains("default") == true)
            #expect(try await defaults(sandbox) == [quiet])

            // Deleting the default promotes the newest remaining card.
            #expect(try await sandbox.lumyri(.delete, "/payments/cards/\(quiet)").0 == .noContent)
            #expect(try await defaults(sandbox) == [loud])
            #expect(try await sandbox.lumyri(.delete, "/payments/cards/\(loud)").0 == .noContent)
            #expect(try await defaults(sandbox) == [Lumyri.createdCard])
            #expect(try await sandbox.lumyri(.delete, "/payments/cards/\(Lumyri.expiredCard)").0 == .noContent)
            #expect(try await defaults(sandbox) == [Lumyri.createdCard])
        }
    }

    @Test func updatingChecksTheBodyAndTheCard() async throws {
        try await SandboxHarness.with { sandbox in
            let path = "/payments/cards/\(Lumyri.createdCard)"
            let (noInfo, e1) = try await sandbox.lumyri(.put, path, json: #"{"isDefault": true}"#)
            #expect(noInfo == .badRequest && e1?["message"] == "info is required")
            let (noYear, e2) = try await sandbox.lumyri(.put, path, json: #"{"info": {"expMonth": 1}}"#)
            #expect(noYear == .badRequest && e2?["message"] == "info.expYear is required")
            let (past, e3) = try await sandbox.lumyri(.put, path, json: #"{"info": {"expMonth": 1, "expYear": 2020}}"#)
            #expect(past == .badRequest && e3?["message"]?.stringValue?.contains("expired") == true)
            let (number, e4) = try await sandbox.lumyri(.put, path, json: #"{"info": {"expMonth": 1, "expYear": 2040, "cardNumber": "4242424242424242"}}"#)
            #expect(number == .badRequest && e4?["message"]?.stringValue?.contains("info.cardNumber") == true)
            let (missing, e5) = try await sandbox.lumyri(.put, "/payments/cards/nope", json: #"{"info": {"expMonth": 1, "expYear": 2040}}"#)
            #expect(missing == .notFound && e5?["error"] == "Not Found")
            let (gone, _) = try await sandbox.lumyri(.delete, "/payments/cards/nope")
            #expect(gone == .notFound)
        }
    }
}
