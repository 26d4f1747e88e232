import Foundation
import JSON
import Sandbox
import HTTPTypes
import Testing

/// Paying an invoice: the default card's test number decides the outcome;
/// a paid invoice is a 409; no card is a 402; a failure leaves it payable.
@Suite struct LumyriPayTests {
    let pay = "/payments/orders/\(Lumyri.invoice)/pay"
    let get = "/payments/orders/\(Lumyri.invoice)"

    func charges(_ sandbox: SandboxHarness) -> Int { sandbox.running.sandbox.statistics.snapshot["charges_made"] ?? 0 }

    @Test(arguments: ["4242424242424242", "5555555555554444", "4111111111111111"])
    func succeedingCardsPayAndCountACharge(number: String) async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.addCard(number)
            sandbox.running.sandbox.clock.advance(by: 86_400)
            let day = SandboxClock.timestamp(sandbox.running.sandbox.clock.now).prefix(10)
            let (status, body) = try await sandbox.lumyri(.put, pay)
            #expect(status == .ok)
            #expect(body?["status"] == "Succeeded")
            let paymentID = try #require(body?["paymentId"]?.stringValue)
            #expect(UUID(uuidString: paymentID) != nil)
            #expect(body?["updatedAt"]?.stringValue?.hasPrefix(day) == true)
            #expect(body?["createdAt"] == "2023-02-01T06:16:41.000Z")
            #expect(charges(sandbox) == 1)
            let (_, stored) = try await sandbox.lumyri(.get, get)
            #expect(stored?["status"] == "Succeeded" && stored?["paymentId"] == .string(paymentID))
            let (_, listed) = try await sandbox.lumyri(.get, "/payments/orders?receipt=\(Lumyri.invoice)")
            #expect(listed?["data"]?[0]?["payment"]?["id"] == .string(paymentID))
            #expect(listed?["data"]?[0]?["payment"]?["amount"] == "174.08")
        }
    }

    @Test(arguments: [("4000000000000002", "card_declined"), ("4000000000009995", "insufficient_funds"),
                      ("4000000000000069", "expired_card"), ("4000000000000119", "processing_error")])
    func decliningCardsAre402WithTheirCodeAndLeaveTheInvoiceFailed(number: String, code: String) async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.addCard(number)
            let (status, body) = try await sandbox.lumyri(.put, pay)
            #expect(status.code == 402)
            #expect(keys(body) == ["statusCode", "message", "error"])
            #expect(body?["statusCode"] == 402 && body?["error"] == "Payment Required")
            #expect(body?["message"]?.stringValue?.contains(code) == true, "\(String(describing: body))")
            let (_, stored) = try await sandbox.lumyri(.get, get)
            #expect(stored?["status"] == "Failed")
            #expect(stored?["paymentId"] == .null)
            #expect(stored?["metadata"]?["declineCode"] == .string(code))
            #expect(charges(sandbox) == 0)
        }
    }

    @Test func aFailedInvoiceCanBePaidAgainWithAnotherCard() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.addCard("4000000000000002")
            #expect(try await sandbox.lumyri(.put, pay).0.code == 402)
            #expect(try await sandbox.lumyri(.put, pay).0.code == 402)
            _ = try await sandbox.addCard("4242424242424242")
            let (status, body) = try await sandbox.lumyri(.put, pay)
            #expect(status == .ok && body?["status"] == "Succeeded")
            #expect(body?["metadata"] == [:])
            #expect(charges(sandbox) == 1)
        }
    }

    @Test func aProcessingErrorIsTransientAndTheRetrySucceeds() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.addCard("4000000000000119")
            #expect(try await sandbox.lumyri(.put, pay).0.code == 402)
            let (status, body) = try await sandbox.lumyri(.put, pay)
            #expect(status == .ok && body?["status"] == "Succeeded")
        }
    }

    @Test func payingAPaidInvoiceIs409AndChargesNothing() async throws {
        try await SandboxHarness.with { sandbox in
            let (_, first) = try await sandbox.lumyri(.put, pay)
            let (status, body) = try await sandbox.lumyri(.put, pay)
            #expect(status == .conflict)
            #expect(body?["error"] == "Conflict")
            #expect(body?["message"]?.stringValue?.contains(first?["paymentId"]?.stringValue ?? "?") == true)
            #expect(charges(sandbox) == 1)
            let (_, stored) = try await sandbox.lumyri(.get, get)
            #expect(stored?["paymentId"] == first?["paymentId"] && stored?["updatedAt"] == first?["updatedAt"])
            // A generated invoice that was already paid is a 409 too.
            let paid = try #require(try await sandbox.allInvoices("status=Succeeded").first?["id"]?.stringValue)
            #expect(try await sandbox.lumyri(.put, "/payments/orders/\(paid)/pay").0 == .conflict)
        }
    }

    @Test func withoutACardOnFilePayingIs402AndChangesNothing() async throws {
        try await SandboxHarness.with { sandbox in
            for card in try await sandbox.cards() {
                #expect(try await sandbox.lumyri(.delete, "/payments/cards/\(card["id"]!.stringValue!)").0 == .noContent)
            }
            let (_, before) = try await sandbox.lumyri(.get, get)
            let (status, body) = try await sandbox.lumyri(.put, pay)
            #expect(status.code == 402)
            #expect(body?["message"]?.stringValue?.contains("no card on file") == true)
            #expect(try await sandbox.lumyri(.get, get).1 == before)
            #expect(try await sandbox.lumyri(.get, "/payments/billing-information").1?["paymentId"] == .null)
        }
    }

    @Test func aCardThatExpiresOnTheSandboxClockIsDeclinedAsExpired() async throws {
        try await SandboxHarness.with { sandbox in
            let clock = sandbox.running.sandbox.clock
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month], from: clock.now)
            let json = Lumyri.cardBody(sandbox, isDefault: true, info: ["expMonth": "\(parts.month!)", "expYear": "\(parts.year!)"])
            #expect(try await sandbox.lumyri(.post, "/payments/cards", json: json).0 == .created)
            clock.advance(by: 40 * 86_400)
            let (status, body) = try await sandbox.lumyri(.put, pay)
            #expect(status.code == 402)
            #expect(body?["message"]?.stringValue?.contains("expired_card") == true)
        }
    }

    @Test func anUnknownInvoiceIs404() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.put, "/payments/orders/00000000-0000-0000-0000-000000000000/pay")
            #expect(status == .notFound && body?["statusCode"] == 404)
            #expect(charges(sandbox) == 0)
        }
    }
}

/// Companies are their access tokens and see only their own objects.
@Suite struct LumyriIsolationTests {
    @Test func requestsWithoutAKnownTokenAre401InNestStyle() async throws {
        try await SandboxHarness.with { sandbox in
            for token in [nil, "lumyri_nobody"] {
                for (method, path) in [(HTTPRequest.Method.get, "/payments/cards"), (.get, "/payments/orders"),
                                       (.put, "/payments/orders/\(Lumyri.invoice)/pay"), (.get, "/payments/billing-information")] {
                    let (status, body) = try await sandbox.lumyri(method, path, token: token)
                    #expect(status == .unauthorized)
                    #expect(keys(body) == ["statusCode", "message", "error"])
                    #expect(body?["statusCode"] == 401 && body?["error"] == "Unauthorized")
                }
            }
            let (_, invoice) = try await sandbox.lumyri(.get, "/payments/orders/\(Lumyri.invoice)")
            #expect(invoice?["status"] == "Processing")
        }
    }

    @Test func anotherCompanysObjectsAre404AndUntouched() async throws {
        try await SandboxHarness.with { sandbox in
            let other = Lumyri.otherToken
            #expect(try await sandbox.lumyri(.get, "/payments/orders/\(Lumyri.invoice)", token: other).0 == .notFound)
            #expect(try await sandbox.lumyri(.put, "/payments/orders/\(Lumyri.invoice)/pay", token: other).0 == .notFound)
            #expect(try await sandbox.lumyri(.delete, "/payments/cards/\(Lumyri.defaultCard)", token: other).0 == .notFound)
            let update = #"{"isDefault": true, "info": {"expMonth": 1, "expYear": 2040}}"#
            #expect(try await sandbox.lumyri(.put, "/payments/cards/\(Lumyri.createdCard)", token: other, json: update).0 == .notFound)
            let mine = try await sandbox.cards()
            #expect(mine.count == 3)
            #expect(mine.first { $0["id"] == .string(Lumyri.createdCard) }?["isDefault"] == false)
            #expect(try await sandbox.lumyri(.get, "/payments/orders/\(Lumyri.invoice)").1?["status"] == "Processing")

            let theirCards = try await sandbox.cards(token: other)
            #expect(!theirCards.isEmpty)
            let theirCardIDs = Set(theirCards.compactMap { $0["id"]?.stringValue })
            #expect(theirCardIDs.isDisjoint(with: mine.compactMap { $0["id"]?.stringValue }))
            let theirInvoices = try await sandbox.allInvoices(token: other)
            let myInvoices = try await sandbox.allInvoices()
            #expect(theirInvoices.count >= 10)
            #expect(theirInvoices.allSatisfy { $0["companyId"] == "f0bc2b54-64b6-403f-bb2c-eab2564a5e20" })
            let theirInvoiceIDs = Set(theirInvoices.compactMap { $0["id"]?.stringValue })
            #expect(theirInvoiceIDs.isDisjoint(with: myInvoices.compactMap { $0["id"]?.stringValue }))
            let theirs = try #require(theirInvoices.first?["id"]?.stringValue)
            #expect(try await sandbox.lumyri(.get, "/payments/orders/\(theirs)").0 == .notFound)
            #expect(try await sandbox.lumyri(.get, "/payments/orders?receipt=\(theirs)").1?["total"] == 0)
        }
    }

    @Test func aNewCardBelongsToItsCompanyOnly() async throws {
        try await SandboxHarness.with { sandbox in
            let id = try await sandbox.addCard("5555555555554444", token: Lumyri.otherToken)
            #expect(try await sandbox.cards().contains { $0["id"] == .string(id) } == false)
            #expect(try await sandbox.cards(token: Lumyri.otherToken).first { $0["id"] == .string(id) }?["companyId"] == "f0bc2b54-64b6-403f-bb2c-eab2564a5e20")
            #expect(try await sandbox.cards().filter { $0["isDefault"] == true }.count == 1)
        }
    }
}
