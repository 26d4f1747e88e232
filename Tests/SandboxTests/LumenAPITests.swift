import JSON
import Sandbox
import Testing

@Suite struct LumenAPITests {
    let acme = SandboxCredentials.lumenAPIKey
    let globex = SandboxCredentials.lumenOtherAPIKey

    @Test func documentedPaymentMethodAnswersWithTheDocumentedKeys() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.request(.get, "/lumen/v1/payment-methods/pm_123", bearer: acme)
            #expect(status == .ok)
            #expect(keys(body) == ["paymentMethod"])
            #expect(keys(body?["paymentMethod"]) == ["id", "provider", "paymentType", "status", "cardBrand", "cardLastFour"])
            #expect(body?["paymentMethod"]?["cardLastFour"] == "4242")
        }
    }

    @Test func documentedPaymentAndListAnswerAsDocumented() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.request(.get, "/lumen/v1/payments/pay_123", bearer: acme)
            #expect(status == .ok)
            let payment = body?["payment"]
            #expect(keys(payment) == ["id", "amountCents", "currency", "status", "customer", "invoice"])
            #expect(payment?["amountCents"] == 5000)
            #expect(keys(payment?["customer"]) == ["id", "name"])
            #expect(payment?["invoice"]?["customerInvoiceNumber"] == "INV-0001")

            let (listStatus, list) = try await sandbox.request(.get, "/lumen/v1/payments?customerId=cust_456", bearer: acme)
            #expect(listStatus == .ok)
            let items = try #require(list?["payments"]?.arrayValue)
            #expect(items.map { $0["id"] } == [.string("pay_123")])
            #expect(keys(items.first) == ["id", "amountCents", "currency", "status", "customerName", "planName"])
            #expect(items.first?["customerName"] == "John Doe")
        }
    }

    @Test func listingWithoutAFilterShowsOnlyTheMerchantsOwnPayments() async throws {
        try await SandboxHarness.with { sandbox in
            let (_, mine) = try await sandbox.request(.get, "/lumen/v1/payments", bearer: acme)
            let (_, theirs) = try await sandbox.request(.get, "/lumen/v1/payments", bearer: globex)
            let mineIDs = Set(mine?["payments"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            let theirIDs = Set(theirs?["payments"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            #expect(mineIDs.count > 10)
            #expect(theirIDs.count > 5)
            #expect(mineIDs.isDisjoint(with: theirIDs))
            #expect(mineIDs.contains("pay_123"))
        }
    }

    @Test func anotherMerchantsObjectsAre404NotForbidden() async throws {
        try await SandboxHarness.with { sandbox in
            let (method, body) = try await sandbox.request(.get, "/lumen/v1/payment-methods/pm_123", bearer: globex)
            #expect(method == .notFound)
            #expect(keys(body) == ["error"])
            #expect(keys(body?["error"]) == ["code", "message"])
            let (payment, _) = try await sandbox.request(.get, "/lumen/v1/payments/pay_123", bearer: globex)
            #expect(payment == .notFound)
        }
    }

    @Test func requestsWithoutAValidKeyAre401() async throws {
        try await SandboxHarness.with { sandbox in
            let (none, _) = try await sandbox.request(.get, "/lumen/v1/payments")
            let (wrong, _) = try await sandbox.request(.get, "/lumen/v1/payments", bearer: "sk_nobody")
            #expect(none == .unauthorized)
            #expect(wrong == .unauthorized)
        }
    }

    static let documentedCreate = """
        {"customerId": "cust_123", "provider": "stripe", "paymentType": "card",
         "externalPaymentMethodId": "pm_ext_123", "status": "active", "cardBrand": "visa", "cardLastFour": "4242"}
        """

    @Test func documentedCreateWorksThenTheSameExternalIDIsAConflictNamingTheFirst() async throws {
        try await SandboxHarness.with { sandbox in
            let (created, body) = try await sandbox.request(.post, "/lumen/v1/payment-methods", bearer: acme, json: Self.documentedCreate)
            #expect(created == .created)
            let id = try #require(body?["paymentMethod"]?["id"]?.stringValue)
            // base32 after the prefix: never a run of digits that redaction would take for a card number
            #expect(id.wholeMatch(of: /pm_[a-z2-7]{16}/) != nil, "\(id)")
            let (fetched, again) = try await sandbox.request(.get, "/lumen/v1/payment-methods/\(id)", bearer: acme)
            #expect(fetched == .ok)
            #expect(again?["paymentMethod"] == body?["paymentMethod"])

            let (conflict, error) = try await sandbox.request(.post, "/lumen/v1/payment-methods", bearer: acme, json: Self.documentedCreate)
            #expect(conflict == .conflict)
            #expect(error?["error"]?["message"]?.stringValue?.contains(id) == true)
        }
    }

    @Test(arguments: [
        (#""cardLastFour": "4242""#, #""cardLastFour": "42""#, "cardLastFour"),
        (#""status": "active""#, #""status": "sleepy""#, "status"),
        (#""paymentType": "card""#, #""paymentType": 7"#, "paymentType"),
        (#""provider": "stripe","#, "", "provider"),
        (#""cardBrand": "visa""#, #""cardBrand": "visa", "cardBrnad": "visa""#, "cardBrnad"),
    ])
    func invalidCreatesAre400NamingTheField(from: String, to: String, field: String) async throws {
        try await SandboxHarness.with { sandbox in
            let body = Self.documentedCreate.replacingOccurrences(of: from, with: to)
            let (status, error) = try await sandbox.request(.post, "/lumen/v1/payment-methods", bearer: acme, json: body)
            #expect(status == .badRequest)
            #expect(error?["error"]?["message"]?.stringValue?.contains(field) == true, "\(String(describing: error))")
        }
    }

    @Test func creatingForAnotherMerchantsCustomerIs404() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, _) = try await sandbox.request(.post, "/lumen/v1/payment-methods", bearer: globex, json: Self.documentedCreate)
            #expect(status == .notFound)
        }
    }
}

import Foundation
