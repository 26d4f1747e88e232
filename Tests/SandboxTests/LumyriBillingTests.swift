import JSON
import Sandbox
import Testing

/// Billing information: partial updates, both spellings of the postal code,
/// types, unknown fields, and the company's own record only.
@Suite struct LumyriBillingTests {
    let path = "/payments/billing-information"

    @Test func aPartialUpdateChangesOnlyWhatItNames() async throws {
        try await SandboxHarness.with { sandbox in
            let (_, before) = try await sandbox.lumyri(.get, path)
            let (status, updated) = try await sandbox.lumyri(.put, path, json: #"{"city": "Montreal"}"#)
            #expect(status == .ok)
            #expect(updated?["city"] == "Montreal")
            let (_, after) = try await sandbox.lumyri(.get, path)
            for key in keys(before) { #expect(after?[key] == (key == "city" ? "Montreal" : before?[key]), "\(key)") }
            #expect(updated?["updatedAt"] != updated?["createdAt"])
        }
    }

    @Test(arguments: [(#""zipCode": "H2X 1Y4""#, JSONValue.string("H2X 1Y4")), (#""postalCode": "H2X 1Y4""#, .string("H2X 1Y4")),
                      (#""zipCode": 10001"#, .integer(10001)), (#""postalCode": 10001"#, .integer(10001))])
    func bothSpellingsOfThePostalCodeAnswerAsPostalCode(member: String, expected: JSONValue) async throws {
        try await SandboxHarness.with { sandbox in
            let (status, updated) = try await sandbox.lumyri(.put, path, json: "{\(member)}")
            #expect(status == .ok)
            #expect(updated?["postalCode"] == expected)
            #expect(!keys(updated).contains("zipCode"))
            let (_, after) = try await sandbox.lumyri(.get, path)
            #expect(after?["postalCode"] == expected)
        }
    }

    @Test(arguments: [
        (#"{"zipCode": "1", "postalCode": "2"}"#, "not both"),
        (#"{"firstName": 5}"#, "firstName must be a string"),
        (#"{"taxId": null}"#, "taxId must be a string"),
        (#"{"postalCode": -3}"#, "postalCode must be a string or a non-negative integer"),
        (#"{"zipCode": true}"#, "zipCode must be a string or a non-negative integer"),
        (#"{"inStoreCredit": 1000}"#, "unknown field inStoreCredit"),
        (#"{"paymentId": "x", "id": "y"}"#, "unknown fields paymentId, id"),
        ("[]", "the body must be a JSON object"),
    ])
    func invalidUpdatesAre400AndChangeNothing(json: String, message: String) async throws {
        try await SandboxHarness.with { sandbox in
            let (_, before) = try await sandbox.lumyri(.get, path)
            let (status, error) = try await sandbox.lumyri(.put, path, json: json)
            #expect(status == .badRequest)
            #expect(error?["message"]?.stringValue?.contains(message) == true, "\(String(describing: error))")
            let (_, after) = try await sandbox.lumyri(.get, path)
            #expect(after == before)
        }
    }

    @Test func paymentIdFollowsTheDefaultCard() async throws {
        try await SandboxHarness.with { sandbox in
            #expect(try await sandbox.lumyri(.get, path).1?["paymentId"] == .string(Lumyri.defaultCard))
            let card = try await sandbox.addCard("5555555555554444")
            #expect(try await sandbox.lumyri(.get, path).1?["paymentId"] == .string(card))
        }
    }

    @Test func eachCompanySeesAndChangesOnlyItsOwnBillingInformation() async throws {
        try await SandboxHarness.with { sandbox in
            let (_, theirs) = try await sandbox.lumyri(.get, path, token: Lumyri.otherToken)
            #expect(theirs?["id"] == "a875156a-9646-4d09-8b71-76437509d7e2")
            #expect(theirs?["companyId"] == "f0bc2b54-64b6-403f-bb2c-eab2564a5e20")
            #expect(theirs?["paymentId"] != .string(Lumyri.defaultCard))
            _ = try await sandbox.lumyri(.put, path, token: Lumyri.otherToken, json: #"{"organization": "Other Co"}"#)
            #expect(try await sandbox.lumyri(.get, path).1?["organization"] == "Lumyri")
            #expect(try await sandbox.lumyri(.get, path, token: Lumyri.otherToken).1?["organization"] == "Other Co")
        }
    }
}
