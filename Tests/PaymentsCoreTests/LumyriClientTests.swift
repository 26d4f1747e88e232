import Foundation
import JSON
import PaymentsCore
import Sandbox
import Testing

/// The Lumyri client against the sandbox over real HTTP.
@Suite struct LumyriClientTests {
    static let documentedInvoice = "4e872310-58fb-40bf-9494-68731fb3d6b4"
    static let defaultCard = "02953731-1769-414f-a231-03541c3387ae"
    /// A year that is in the future for a good while.
    static let year = Calendar(identifier: .gregorian).component(.year, from: Date()) + 3

    static func card(_ number: String = "4242 4242-4242 4242", name: String = "Ada Lovelace", month: Int = 6,
                     isDefault: Bool? = nil) -> NewCard {
        NewCard(cardName: name, cardNumber: number, expMonth: month, expYear: year, cvv: "123", country: "USA", isDefault: isDefault,
                address: CardAddressInfo(firstName: "Ada", streetAddress: "12 St James's Square"))
    }

    /// Invoices of the examples' company that can be paid.
    static func payable(_ clients: SandboxClients) throws -> [String] {
        try clients.stored(.lumyri, "invoice", owner: SandboxClients.company)
            .filter { ["Processing", "Failed"].contains($0.body["status"]?.stringValue) }.map(\.id)
    }

    // MARK: Cards

    @Test func theCardListShowsTheFixturesWithTheirAddresses() async throws {
        try await SandboxClients.with { clients in
            let cards = try await clients.lumyri.cards()
            #expect(Set(cards.map(\.id)).isSuperset(of: [Self.defaultCard, "1244ff21-7bfb-4a56-b4bb-44f11934d78d"]))
            let main = try #require(cards.first { $0.id == Self.defaultCard })
            #expect(main.isDefault && main.info.cardNumber == "4263********9299" && main.info.expMonth == 12 && main.info.expYear == 2027)
            #expect(main.address?.id == "b5374005-650d-4e9f-b1bb-3ad1d4caee3a" && main.address?.state == "Indiana")
            #expect(cards.filter(\.isDefault).count == 1)
            let raw = try await clients.raw(clients.sandbox.endpoints.lumyriBaseURL + "/payments/cards", bearer: SandboxCredentials.lumyriAccessToken)
            #expect(try JSONValue.array(cards.map { .object($0.json) }).encoded() == raw, "every card kept whole, in order")
        }
    }

    @Test func aCardIsCreatedUpdatedAndDeleted() async throws {
        try await SandboxClients.with { clients in
            let lumyri = clients.lumyri
            let created = try await lumyri.createCard(Self.card(isDefault: true))
            #expect(created.info.cardNumber == "4242********4242" && created.info.expYear == Self.year && created.isDefault)
            #expect(created.address?.firstName == "Ada" && created.address?.lastName == "" && created.info.cardName == "Ada Lovelace")
            #expect(created.info.json["cvv"] == nil, "the security code never comes back")

            let updated = try await lumyri.updateCard(id: created.id, CardUpdate(expMonth: 1, expYear: Self.year + 1))
            #expect(updated.info.expMonth == 1 && updated.info.expYear == Self.year + 1 && updated.metadata == nil)
            let old = try await lumyri.updateCard(id: Self.defaultCard, CardUpdate(expMonth: 12, expYear: 2027, isDefault: true))
            #expect(old.isDefault)

            try await lumyri.deleteCard(id: created.id)
            #expect(try await lumyri.cards().contains { $0.id == created.id } == false)
            await ClientExpect.failure(.clientError, "lumyri.delete_card", status: 404) { try await lumyri.deleteCard(id: created.id) }
        }
    }

    @Test func fiveCardsUnderEveryFaultAreEachCreatedExactlyOnce() async throws {
        let stats = try await SandboxClients.with(faults: "503:0.2,drop-before:0.15,500-after:0.2,drop-after:0.2", seed: 9) { clients in
            let before = try clients.stored(.lumyri, "card", owner: SandboxClients.company).map(\.id)
            var made: [String] = []
            // Identical cards on purpose: the snapshot taken before each create tells them apart.
            for n in 1 ... 5 {
                let card = try await clients.lumyri.createCard(Self.card(n <= 3 ? "4242424242424242" : "5555 5555 5555 4444"))
                made.append(card.id)
            }
            let after = try clients.stored(.lumyri, "card", owner: SandboxClients.company).map(\.id)
            #expect(after.count == before.count + 5, "exactly five new cards")
            #expect(Set(after).subtracting(before) == Set(made), "the new cards are the five answered")
            return clients.stats
        }
        #expect((stats["faults drop-after"] ?? 0) + (stats["faults 500-after"] ?? 0) > 0, "faults after commit were met: \(stats)")
    }

    // MARK: Billing information

    @Test func billingInformationIsReadAndUpdatedInPart() async throws {
        try await SandboxClients.with { clients in
            let billing = try await clients.lumyri.billingInformation()
            #expect(billing.id == "ce733f62-d863-4938-ad84-3b049ff8647d" && billing.paymentId == Self.defaultCard)
            #expect(billing.postalCode == "49503" && billing.inStoreCredit == "100" && billing.json["postalCode"] == .integer(49503))
            let updated = try await clients.lumyri.updateBillingInformation(BillingUpdate(phoneNumber: "(714) 555-0000", zipCode: "H2X 1Y4"))
            #expect(updated.phoneNumber == "(714) 555-0000" && updated.postalCode == "H2X 1Y4")
            #expect(updated.firstName == billing.firstName && updated.city == billing.city, "members not sent keep their values")
            #expect(updated.paymentId == nil && updated.updatedAt != nil, "the update answer's own key set")
        }
    }

    // MARK: Invoices

    @Test func theDocumentsInvoiceKeepsItsExactAmounts() async throws {
        try await SandboxClients.with { clients in
            let invoice = try await clients.lumyri.invoice(id: Self.documentedInvoice)
            #expect(invoice.status == "Processing" && invoice.total == "174.08" && invoice.totalCents == 17_408 && invoice.tax == "0.00")
            #expect(invoice.details.map(\.amount) == ["0", "0", "0", "174.08", "0"])
            #expect(invoice.details[3].totalRequest == "2176" && invoice.details[3].path == "tile")
            let raw = try await clients.raw(clients.sandbox.endpoints.lumyriBaseURL + "/payments/orders/" + Self.documentedInvoice,
                                            bearer: SandboxCredentials.lumyriAccessToken)
            #expect(try JSONValue.object(invoice.json).encoded() == raw)
        }
    }

    @Test func everyInvoiceFilterReachesTheServer() async throws {
        try await SandboxClients.with { clients in
            let lumyri = clients.lumyri
            let first = try await lumyri.invoicesPage(page: 1, perPage: 1)
            #expect(first.page == 1 && first.perPage == 1 && first.data.map(\.id) == [Self.documentedInvoice] && first.total > 60)
            let raw = try await clients.raw(clients.sandbox.endpoints.lumyriBaseURL + "/payments/orders?page=1&perPage=1",
                                            bearer: SandboxCredentials.lumyriAccessToken)
            #expect(try JSONValue.object(first.json).encoded() == raw, "the envelope kept whole")
            let byReceipt = try await lumyri.invoices(InvoiceFilter(receipt: Self.documentedInvoice)).all()
            #expect(byReceipt.map(\.id) == [Self.documentedInvoice])
            let costly = try await lumyri.invoices(InvoiceFilter(min: "174.08", max: "174.08")).all()
            #expect(costly.contains { $0.id == Self.documentedInvoice } && costly.allSatisfy { $0.total == "174.08" })
            let paid = try await lumyri.invoices(InvoiceFilter(status: "succeeded")).all()
            #expect(!paid.isEmpty && paid.allSatisfy(\.isPaid) && paid.contains { $0.payment != nil })
            let paypal = try await lumyri.invoices(InvoiceFilter(method: "PAYPAL")).all()
            #expect(!paypal.isEmpty && paypal.allSatisfy { $0.method == "paypal" })
            let february = try await lumyri.invoices(InvoiceFilter(startAt: "2023-02-01", endAt: "2023-02-28T00:00:00.000Z")).all()
            #expect(february.map(\.id) == [Self.documentedInvoice])
            let none = try await lumyri.invoicesPage(InvoiceFilter(min: "1000000"))
            #expect(none.total == 0 && none.data.isEmpty)
        }
    }

    @Test func aLoopBrokenOffEarlyFetchesOnlyTheFirstPage() async throws {
        try await SandboxClients.with { clients in
            let pages = try clients.lumyri.invoices(perPage: 4)
            var count = 0
            for try await _ in pages {
                count += 1
                if count == 2 { break }
            }
            #expect(clients.requests("GET /lumyri/payments/orders ") == 1, "\(clients.stats)")
            let all = try await pages.all()
            #expect(all.count == pages.total && Set(all.map(\.id)).count == all.count)
            let pageCount = ((pages.total ?? 0) + 3) / 4
            #expect(clients.requests("GET /lumyri/payments/orders ") == 1 + pageCount, "every page once, and not one more")
            let third = try await pages.page(2)
            #expect(third.page == 3 && third.data.map(\.id) == Array(all[8 ..< 12]).map(\.id))
        }
    }

    @Test func payingChargesOnceAndASecondPayIsAConflict() async throws {
        try await SandboxClients.with { clients in
            let paid = try await clients.lumyri.payInvoice(id: Self.documentedInvoice)
            #expect(paid.isPaid && paid.paymentId != nil && paid.metadata == [:] && paid.total == "174.08")
            await ClientExpect.failure(.clientError, "lumyri.pay_invoice", status: 409, mentions: ["already paid"]) {
                _ = try await clients.lumyri.payInvoice(id: Self.documentedInvoice)
            }
            #expect(clients.stats["charges_made"] == 1)
        }
    }

    @Test func aDeclineIsAClientErrorAndLeavesTheInvoicePayable() async throws {
        try await SandboxClients.with { clients in
            _ = try await clients.lumyri.createCard(Self.card("4000000000000002", isDefault: true))
            await ClientExpect.failure(.clientError, "lumyri.pay_invoice", status: 402, mentions: ["card_declined", "4000********0002"]) {
                _ = try await clients.lumyri.payInvoice(id: Self.documentedInvoice)
            }
            let invoice = try await clients.lumyri.invoice(id: Self.documentedInvoice)
            #expect(invoice.status == "Failed" && invoice.metadata?["declineCode"] == "card_declined")
        }
    }

    @Test func payableInvoicesUnderEveryFaultAreEachChargedExactlyOnce() async throws {
        let (count, stats) = try await SandboxClients.with(faults: "503:0.2,drop-before:0.15,500-after:0.2,drop-after:0.2", seed: 7) { clients in
            let invoices = try Self.payable(clients)
            #expect(invoices.count >= 5)
            for id in invoices {
                let invoice = try await clients.lumyri.payInvoice(id: id)
                #expect(invoice.id == id && invoice.isPaid)
            }
            #expect(try Self.payable(clients).isEmpty)
            return (invoices.count, clients.stats)
        }
        #expect(stats["charges_made"] == count, "each invoice charged once: \(stats)")
        #expect((stats["faults drop-after"] ?? 0) + (stats["faults 500-after"] ?? 0) > 0, "faults after commit were met: \(stats)")
    }

    // MARK: Validation, dry run

    @Test func badArgumentsAreRefusedBeforeAnythingIsSent() async throws {
        // "Now" is 15 March 2031: a card expiring in February 2031 has expired.
        let march2031 = Date(timeIntervalSince1970: 1_931_299_200)
        try await SandboxClients.with(now: { march2031 }) { clients in
            let lumyri = clients.lumyri
            let op = "lumyri.create_card"
            func create(_ change: (inout NewCard) -> Void) async throws {
                var card = Self.card()
                card.expYear = 2032
                change(&card)
                _ = try await lumyri.createCard(card)
            }
            await ClientExpect.validation(op, mentions: ["info.cardNumber", "Luhn", "424242******4241"]) {
                try await create { $0.cardNumber = "4242424242424241" }
            }
            await ClientExpect.validation(op, mentions: ["info.cardNumber", "13 to 19 digits", "12 digits"]) {
                try await create { $0.cardNumber = "4242 4242 4242" }
            }
            await ClientExpect.validation(op, mentions: ["info.cardNumber", "not shown"]) { try await create { $0.cardNumber = "4242x4242" } }
            await ClientExpect.validation(op, mentions: ["info", "not in the past", "3/2031", "got 2/2031"]) {
                try await create { $0.expMonth = 2; $0.expYear = 2031 }
            }
            await ClientExpect.validation(op, mentions: ["info.expMonth", "1 to 12", "got 13"]) { try await create { $0.expMonth = 13 } }
            await ClientExpect.validation(op, mentions: ["info.cvv", "3 or 4 digits"]) { try await create { $0.cvv = "12" } }
            await ClientExpect.validation(op, mentions: ["info.cvv"]) { try await create { $0.cvv = "12a4" } }
            await ClientExpect.validation(op, mentions: ["info.cardName"]) { try await create { $0.cardName = "" } }
            await ClientExpect.validation("lumyri.update_card", mentions: ["info", "got 1/2030"]) {
                _ = try await lumyri.updateCard(id: Self.defaultCard, CardUpdate(expMonth: 1, expYear: 2030))
            }
            await ClientExpect.validation("lumyri.update_card", mentions: ["id"]) {
                _ = try await lumyri.updateCard(id: "", CardUpdate(expMonth: 1, expYear: 2040))
            }
            await ClientExpect.validation("lumyri.delete_card", mentions: ["id"]) { try await lumyri.deleteCard(id: " ") }
            await ClientExpect.validation("lumyri.update_billing", mentions: ["at least one"]) {
                _ = try await lumyri.updateBillingInformation(BillingUpdate())
            }
            let list = "lumyri.invoices"
            await ClientExpect.validation(list, mentions: ["perPage", "got 101"]) { _ = try lumyri.invoices(perPage: 101) }
            await ClientExpect.validation(list, mentions: ["perPage", "got 0"]) { _ = try await lumyri.invoicesPage(perPage: 0) }
            await ClientExpect.validation(list, mentions: ["page", "got 0"]) { _ = try await lumyri.invoicesPage(page: 0) }
            await ClientExpect.validation(list, mentions: ["min", "two decimals", "\"1.234\""]) { _ = try lumyri.invoices(InvoiceFilter(min: "1.234")) }
            await ClientExpect.validation(list, mentions: ["min", "not above max"]) { _ = try lumyri.invoices(InvoiceFilter(min: "10", max: "9.99")) }
            await ClientExpect.validation(list, mentions: ["status", "Succeeded", "\"Paid\""]) { _ = try lumyri.invoices(InvoiceFilter(status: "Paid")) }
            await ClientExpect.validation(list, mentions: ["method", "paypal"]) { _ = try lumyri.invoices(InvoiceFilter(method: "cash")) }
            await ClientExpect.validation(list, mentions: ["startAt", "ISO 8601", "\"yesterday\""]) {
                _ = try lumyri.invoices(InvoiceFilter(startAt: "yesterday"))
            }
            await ClientExpect.validation(list, mentions: ["endAt"]) { _ = try lumyri.invoices(InvoiceFilter(endAt: "2023-02-30")) }
            await ClientExpect.validation("lumyri.invoice", mentions: ["id"]) { _ = try await lumyri.invoice(id: "") }
            await ClientExpect.validation("lumyri.pay_invoice", mentions: ["id"]) { _ = try await lumyri.payInvoice(id: "") }
            #expect(clients.serviceRequests == 0, "\(clients.stats)")
        }
    }

    @Test func cardErrorsNeverShowTheWholeNumberOrTheCode() async throws {
        try await SandboxClients.with { clients in
            for (number, cvv) in [("4242424242424241", "123"), ("4000 0000 0000 0002", "98765"), ("4111111111111111111111", "1")] {
                var card = Self.card(number)
                card.cvv = cvv
                do {
                    _ = try await clients.lumyri.createCard(card)
                    Issue.record("\(card) was accepted")
                } catch {
                    let digits = number.filter(\.isNumber)
                    #expect(!"\(error)".contains(digits) && !"\(error)".contains(number), "\(error)")
                    #expect((error as? PaymentsError)?.message.contains(cvv) == false || cvv.count < 3, "\(error)")
                }
                #expect(!"\(card)".contains(number.filter(\.isNumber)) && "\(card)".contains("cvv [redacted]"))
                #expect(cvv.count < 3 || !"\(card)".contains(cvv))
                var dumped = ""
                dump(card, to: &dumped)
                #expect(!String(reflecting: card).contains(number.filter(\.isNumber)) && !dumped.contains(number.filter(\.isNumber)), "\(dumped)")
            }
        }
    }

    @Test func aDryRunReadsButChangesNothing() async throws {
        let printed = PrintedLines()
        try await SandboxClients.with(dryRun: { printed.add($0) }) { clients in
            let card = try await clients.lumyri.createCard(Self.card("4000 0000 0000 0002"))
            #expect(card.isDryRun && card.info.cardNumber == "400000******0002")
            let paid = try await clients.lumyri.payInvoice(id: Self.documentedInvoice)
            #expect(paid.isDryRun && paid.isPaid && paid.total == "174.08")
            let billing = try await clients.lumyri.updateBillingInformation(BillingUpdate(city: "Montréal"))
            #expect(billing.isDryRun && billing.city == "Montréal" && billing.organization == "Lumyri")
            let updated = try await clients.lumyri.updateCard(id: Self.defaultCard, CardUpdate(expMonth: 3, expYear: Self.year))
            #expect(updated.isDryRun && updated.info.expMonth == 3 && updated.info.cardNumber == "4263********9299")
            try await clients.lumyri.deleteCard(id: Self.defaultCard)

            #expect(clients.stats["charges_made"] == nil)
            #expect(clients.requests("POST /lumyri") + clients.requests("PUT /lumyri") + clients.requests("DELETE /lumyri") == 0)
            #expect(try await clients.lumyri.invoice(id: Self.documentedInvoice).status == "Processing")
            #expect(printed.all.count == 5)
            let create = printed.all[0]
            #expect(!create.contains("4000000000000002") && !create.contains("\"123\""), "\(create)")
        }
    }
}
