import Foundation
import JSON
import Sandbox
import Testing

/// Every request of the Lumyri document, sent as written (base URL swapped):
/// the documented status and exactly the documented keys, in order, with
/// the documented JSON types. Where the document's own example cannot work
/// (a trailing comma, an expired card), the test pins the reason it fails.
@Suite struct LumyriContractTests {
    /// The create-card body with its trailing comma removed.
    static let createCardJSON = LumyriDocument.createCardRequest.replacingOccurrences(of: "\"USA\",\n},", with: "\"USA\"\n},")
    static let updateBillingJSON = LumyriDocument.updateBillingRequest.replacingOccurrences(of: "\"(714) 555-444\",\n}", with: "\"(714) 555-444\"\n}")

    @Test func documentedCreateCardBodyIs400PointingAtTheTrailingComma() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.post, "/payments/cards", json: LumyriDocument.createCardRequest)
            #expect(status == .badRequest)
            #expect(keys(body) == ["statusCode", "message", "error"])
            #expect(body?["statusCode"] == 400)
            #expect(body?["error"] == "Bad Request")
            let message = try #require(body?["message"]?.stringValue)
            #expect(message.contains("trailing commas are not allowed"))
            #expect(message.contains("line 9, column 1"), "\(message)")
            #expect(try await sandbox.cards().count == 3)
        }
    }

    @Test func documentedCreateCardIsRejectedAsExpired() async throws {
        try await SandboxHarness.with { sandbox in
            #expect(Self.createCardJSON != LumyriDocument.createCardRequest)
            let (status, body) = try await sandbox.lumyri(.post, "/payments/cards", json: Self.createCardJSON)
            #expect(status == .badRequest)
            let message = try #require(body?["message"]?.stringValue)
            #expect(message.contains("expired") && message.contains("1/2025"), "\(message)")
            #expect(try await sandbox.cards().count == 3)
        }
    }

    @Test func documentedCreateCardWithAFutureExpiryAnswersTheDocumentedShape() async throws {
        try await SandboxHarness.with { sandbox in
            let json = Self.createCardJSON.replacingOccurrences(of: "\"expYear\": 2025", with: "\"expYear\": \(Lumyri.futureYear(sandbox))")
            let (status, body) = try await sandbox.lumyri(.post, "/payments/cards", json: json)
            #expect(status == .created)
            #expect(Lumyri.shape(body) == Lumyri.shape(try Lumyri.parse(LumyriDocument.createCardResponse)))
            #expect(body?["info"]?["cardNumber"] == "4242********4242")
            #expect(body?["isDefault"] == true)
            #expect(body?["companyId"] == .string(Lumyri.company))
            #expect(body?["address"]?["streetAddress"] == "new york city")
            #expect(body?["address"]?["state"] == "")
            #expect(body?["addressId"] == body?["address"]?["id"])
        }
    }

    @Test func documentedCardListAnswersTheDocumentedShapeForEveryCard() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.get, "/payments/cards")
            #expect(status == .ok)
            let documented = try Lumyri.parse(LumyriDocument.listCardsResponse)
            let cards = try #require(body?.arrayValue)
            #expect(cards.map { $0["id"] } == [.string(Lumyri.createdCard), .string(Lumyri.expiredCard), .string(Lumyri.defaultCard)])
            for card in cards { #expect(Lumyri.shape(card) == Lumyri.shape(documented[0])) }
            #expect(cards[1]["info"] == documented[1]?["info"])
        }
    }

    @Test func documentedCardUpdateAnswersTheDocumentedShape() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.put, "/payments/cards/\(Lumyri.createdCard)", json: LumyriDocument.updateCardRequest)
            #expect(status == .ok)
            let documented = try Lumyri.parse(LumyriDocument.updateCardResponse)
            #expect(Lumyri.shape(body) == Lumyri.shape(documented))
            #expect(body?["info"] == documented["info"])
            #expect(body?["isDefault"] == false)
            #expect(body?["createdAt"] == documented["createdAt"])
        }
    }

    @Test func documentedCardDeleteIs204WithoutBody() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.delete, "/payments/cards/\(Lumyri.createdCard)")
            #expect(status == .noContent)
            #expect(body == nil)
            #expect(try await sandbox.cards().map { $0["id"] }.contains(.string(Lumyri.createdCard)) == false)
        }
    }

    @Test func documentedBillingInformationAnswersTheDocumentedShapeAndValues() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.get, "/payments/billing-information")
            #expect(status == .ok)
            let documented = try Lumyri.parse(LumyriDocument.getBillingResponse)
            #expect(Lumyri.shape(body) == Lumyri.shape(documented))
            // Only the two ids the document contradicts itself on differ (see docs/sandbox-lumyri.md).
            for key in keys(documented) where key != "id" && key != "companyId" { #expect(body?[key] == documented[key], "\(key)") }
            #expect(body?["id"] == "ce733f62-d863-4938-ad84-3b049ff8647d")
            #expect(body?["companyId"] == .string(Lumyri.company))
        }
    }

    @Test func documentedBillingUpdateBodyIs400PointingAtTheTrailingComma() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.put, "/payments/billing-information", json: LumyriDocument.updateBillingRequest)
            #expect(status == .badRequest)
            let message = try #require(body?["message"]?.stringValue)
            #expect(message.contains("trailing commas are not allowed") && message.contains("line 5, column 1"), "\(message)")
            let (_, billing) = try await sandbox.lumyri(.get, "/payments/billing-information")
            #expect(billing?["lastName"] == "Bailey")
        }
    }

    @Test func documentedBillingUpdateWithoutTheCommaAnswersTheDocumentedShape() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.put, "/payments/billing-information", json: Self.updateBillingJSON)
            #expect(status == .ok)
            let documented = try Lumyri.parse(LumyriDocument.updateBillingResponse)
            #expect(Lumyri.shape(body) == Lumyri.shape(documented))
            #expect(body?["id"] == documented["id"])
            #expect(body?["lastName"] == "Bill")
            #expect(body?["phoneNumber"] == "(714) 555-444")
            #expect(body?["postalCode"] == 49503)
        }
    }

    @Test func documentedInvoiceListAnswersTheDocumentedItemExactly() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.get, "/payments/orders?page=1&perPage=1")
            #expect(status == .ok)
            let documented = try Lumyri.parse(LumyriDocument.listOrdersResponse)
            #expect(Lumyri.shape(body) == Lumyri.shape(documented))
            #expect(body?["data"]?[0] == documented["data"]?[0])
            #expect(body?["page"] == 1)
            #expect(body?["perPage"] == 1)
            #expect((body?["total"]?.int64Value ?? 0) >= 60)
        }
    }

    @Test func documentedInvoiceObjectExistsAsDocumented() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.get, "/payments/orders/\(Lumyri.invoice)")
            #expect(status == .ok)
            #expect(body == (try Lumyri.parse(LumyriDocument.invoiceObject)))
        }
    }

    @Test func documentedPaymentMethodAndAddressExistAsDocumented() async throws {
        try await SandboxHarness.with { sandbox in
            let cards = try await sandbox.cards()
            let method = try Lumyri.parse(LumyriDocument.paymentMethodObject)
            let card = try #require(cards.first { $0["id"] == .string(Lumyri.defaultCard) })
            for key in ["companyId", "addressId", "createdAt", "updatedAt", "method", "isDefault"] { #expect(card[key] == method[key], "\(key)") }
            for key in ["country", "expYear", "cardName", "expMonth", "cardNumber"] { #expect(card["info"]?[key] == method["info"]?[key], "\(key)") }
            let address = try Lumyri.parse(LumyriDocument.addressObject)
            for key in keys(address) { #expect(card["address"]?[key] == address[key], "\(key)") }
        }
    }

    @Test func documentedPayAnswersTheDocumentedShape() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.put, "/payments/orders/\(Lumyri.invoice)/pay")
            #expect(status == .ok)
            let documented = try Lumyri.parse(LumyriDocument.payResponse)
            #expect(Lumyri.shape(body) == Lumyri.shape(documented))
            for key in keys(documented) where key != "updatedAt" && key != "paymentId" { #expect(body?[key] == documented[key], "\(key)") }
            #expect(body?["status"] == "Succeeded")
        }
    }
}
