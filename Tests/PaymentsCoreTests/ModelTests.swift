import JSON
import PaymentsCore
import Testing

/// The models read from the documents' own examples: typed accessors, the
/// answer kept whole, exact money, and shape errors that name the member.
@Suite struct ModelTests {
    static func object(_ text: String) throws -> JSONObject {
        try #require(try JSONValue(parsing: text).objectValue)
    }

    /// The model kept exactly the object it was read from.
    static func kept(_ json: JSONObject, _ text: String) throws -> Bool {
        try JSONValue.object(json).encoded() == JSONValue(parsing: text).encoded()
    }

    static func shapeError(mentions: [String], sourceLocation: SourceLocation = #_sourceLocation, _ read: () throws -> Void) {
        do {
            try read()
            Issue.record("the answer was accepted", sourceLocation: sourceLocation)
        } catch let error as PaymentsError {
            #expect(error.kind == .invalidResponse, sourceLocation: sourceLocation)
            for text in mentions { #expect(error.message.contains(text), "\(error.message) should mention \(text)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
        }
    }

    static let payout = """
    {"id": "32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9", "amount": 100, "amount_denomination": "us_cents",
     "description": "My first payout via the API", "due_date": null, "invoice_number": 206466,
     "vendor_status": "Awaiting signup", "vendor_display_name": null, "vendor_email": "[email protected]", "status": null,
     "workspace_id": "90413206-0be5-48a5-af6c-6d52f3ec69f6", "created_at": "2025-09-17T15:57:04.482673+00:00",
     "updated_at": "2025-09-17T15:57:04.482673+00:00", "payee_lumanu_id": null, "custom_fields": []}
    """

    static let invoice = """
    {"id": "4e872310-58fb-40bf-9494-68731fb3d6b4", "companyId": "956865a9-b9f7-4198-87eb-10b4f0f411c9",
     "billToId": "ce733f62-d863-4938-ad84-3b049ff8647d", "paymentId": null, "startAt": "2023-02-01T00:00:00.000Z",
     "endAt": "2023-02-28T00:00:00.000Z", "status": "Processing", "method": "Card",
     "details": [{"path": "route", "title": "Direction API", "amount": 0, "currency": "USD", "totalRequest": "0"},
                 {"path": "tile", "title": "Tilesets", "amount": 174.08, "currency": "USD", "totalRequest": "2176"}],
     "subTotal": "174.08", "tax": "0.00", "total": "174.08", "metadata": null,
     "createdAt": "2023-02-01T06:16:41.000Z", "updatedAt": "2023-02-01T06:16:41.000Z"}
    """

    static let card = """
    {"id": "1244ff21-7bfb-4a56-b4bb-44f11934d78d", "companyId": "956865a9-b9f7-4198-87eb-10b4f0f411c9",
     "addressId": "75d49d15-e755-4f6b-871b-ec00efac21c8",
     "address": {"id": "75d49d15-e755-4f6b-871b-ec00efac21c8", "createdAt": "2023-04-17T04:43:15.784Z",
                 "updatedAt": "2023-04-17T04:43:15.784Z", "firstName": "Clayton", "lastName": "Bailey",
                 "streetAddress": "new york city", "aptNumber": "1000", "state": "", "country": "USA", "zipCode": "",
                 "companyId": "956865a9-b9f7-4198-87eb-10b4f0f411c9"},
     "createdAt": "2023-02-16T03:14:54.000Z", "updatedAt": "2023-02-16T03:14:54.000Z", "method": "Card", "isDefault": true,
     "info": {"cardName": "Clayton Bailey", "cardNumber": "4242********4242", "expMonth": 1, "expYear": 2025, "country": "USA"}}
    """

    // MARK: Lumanu

    @Test func theQuickstartsPayoutIsReadWithEveryKeyInItsOrder() throws {
        let payout = try Payout(json: Self.object(Self.payout))
        #expect(payout.id == "32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9" && payout.amount == 100 && payout.amountDenomination == "us_cents")
        #expect(payout.invoiceNumber == 206_466 && payout.status == nil && payout.dueDate == nil && payout.payeeLumanuID == nil)
        #expect(payout.vendorStatus == "Awaiting signup" && payout.customFields.isEmpty && payout.payshRef == nil && !payout.isDryRun)
        #expect(try Self.kept(payout.json, Self.payout))
        #expect(payout.json.keys.first == "id" && payout.json.keys.last == "custom_fields")
    }

    @Test func unknownMembersAreKeptWhereTheyStood() throws {
        var text = Self.payout
        text.insert(contentsOf: #""risk": {"score": 3, "flags": ["new_vendor"]}, "#, at: text.index(after: text.firstIndex(of: "{")!))
        let payout = try Payout(json: Self.object(text))
        #expect(payout.json.keys.first == "risk")
        #expect(try Self.kept(payout.json, text))
        let page = try PayoutPage(json: Self.object(#"{"payouts": [\#(text)], "total": 1, "next": null}"#))
        #expect(page.total == 1 && page.items.first == payout && page.json.keys == ["payouts", "total", "next"])
    }

    @Test func customFieldsAndTheReferenceAreRead() throws {
        let text = Self.payout.replacingOccurrences(of: #""custom_fields": []"#,
            with: #""custom_fields": [{"name": "campaign", "value": "spring"}, {"name": "paysh_ref", "value": "r-1"}]"#)
        let payout = try Payout(json: Self.object(text))
        #expect(payout.customFields == [CustomField(name: "campaign", value: "spring"), CustomField(name: "paysh_ref", value: "r-1")])
        #expect(payout.payshRef == "r-1" && payout.customField(named: "campaign") == "spring" && payout.customField(named: "x") == nil)
    }

    @Test func aPayoutThatDoesNotFitNamesTheMember() throws {
        Self.shapeError(mentions: ["payout.amount", "an integer", "\"100\""]) {
            _ = try Payout(json: Self.object(Self.payout.replacingOccurrences(of: #""amount": 100"#, with: #""amount": "100""#)))
        }
        Self.shapeError(mentions: ["payout.amount", "an integer", "100.5"]) {
            _ = try Payout(json: Self.object(Self.payout.replacingOccurrences(of: #""amount": 100"#, with: #""amount": 100.5"#)))
        }
        Self.shapeError(mentions: ["payout.id", "missing"]) {
            _ = try Payout(json: Self.object(Self.payout.replacingOccurrences(of: #""id": "32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9", "#, with: "")))
        }
        Self.shapeError(mentions: ["payout.status", "a string or null"]) {
            _ = try Payout(json: Self.object(Self.payout.replacingOccurrences(of: #""status": null"#, with: #""status": 3"#)))
        }
        Self.shapeError(mentions: ["payout.custom_fields[0].value", "a string"]) {
            _ = try Payout(json: Self.object(Self.payout.replacingOccurrences(of: #""custom_fields": []"#,
                                                                           with: #""custom_fields": [{"name": "n", "value": 1}]"#)))
        }
        Self.shapeError(mentions: ["answer.total"]) { _ = try PayoutPage(json: Self.object(#"{"payouts": []}"#)) }
    }

    // MARK: Lumen

    @Test func theLumenExamplesAreRead() throws {
        let methodText = #"{"id": "pm_123", "provider": "stripe", "paymentType": "card", "status": "active", "cardBrand": "visa", "cardLastFour": "4242"}"#
        let method = try PaymentMethod(json: Self.object(methodText))
        #expect(method.id == "pm_123" && method.cardBrand == "visa" && method.cardLastFour == "4242" && method.paymentType == "card")
        let bank = try PaymentMethod(json: Self.object(#"{"id": "pm_9", "provider": "plaid", "paymentType": "bank_account", "status": "inactive"}"#))
        #expect(bank.cardBrand == nil && bank.cardLastFour == nil)

        let paymentText = #"{"id": "pay_123", "amountCents": 5000, "currency": "usd", "status": "succeeded", "customer": {"id": "cust_456", "name": "John Doe"}, "invoice": {"id": "inv_789", "customerInvoiceNumber": "INV-0001"}}"#
        let payment = try Payment(json: Self.object(paymentText))
        #expect(payment.amountCents == 5000 && payment.customer?.name == "John Doe" && payment.invoice?.customerInvoiceNumber == "INV-0001")
        #expect(try Self.kept(payment.json, paymentText))

        let summary = try PaymentSummary(json: Self.object(#"{"id": "pay_123", "amountCents": 5000, "currency": "usd", "status": "succeeded", "customerName": "John Doe", "planName": "Pro Plan"}"#))
        #expect(summary.customerName == "John Doe" && summary.planName == "Pro Plan")

        Self.shapeError(mentions: ["payment.customer", "an object"]) {
            _ = try Payment(json: Self.object(paymentText.replacingOccurrences(of: #"{"id": "cust_456", "name": "John Doe"}"#, with: #""cust_456""#)))
        }
        Self.shapeError(mentions: ["paymentMethod.provider"]) { _ = try PaymentMethod(json: Self.object(#"{"id": "pm_1"}"#)) }
    }

    // MARK: Lumyri

    @Test func theCreateCardAnswerIsReadWithItsAddress() throws {
        let card = try Card(json: Self.object(Self.card))
        #expect(card.isDefault && card.method == "Card" && card.info.cardNumber == "4242********4242")
        #expect(card.info.expMonth == 1 && card.info.expYear == 2025 && card.address?.streetAddress == "new york city")
        #expect(card.address?.state == "" && card.metadata == nil && card.addressId == card.address?.id)
        #expect(try Self.kept(card.json, Self.card))
        Self.shapeError(mentions: ["card.info.expMonth", "missing"]) {
            _ = try Card(json: Self.object(Self.card.replacingOccurrences(of: #""expMonth": 1, "#, with: "")))
        }
        Self.shapeError(mentions: ["card.isDefault", "true or false"]) {
            _ = try Card(json: Self.object(Self.card.replacingOccurrences(of: #""isDefault": true"#, with: #""isDefault": "yes""#)))
        }
    }

    @Test func aMaskedNumberIsMatchedByItsVisibleDigits() throws {
        let info = try Card(json: Self.object(Self.card)).info
        #expect(info.shows(digits: "4242424242424242"))
        #expect(!info.shows(digits: "4242424242424241"))
        #expect(!info.shows(digits: "5242424242424242"))
        let unmasked = try Card(json: Self.object(Self.card.replacingOccurrences(of: "4242********4242", with: "4242424242424242"))).info
        #expect(!unmasked.shows(digits: "4242424242424242"), "only a masked number is compared")
    }

    @Test func bothBillingInformationAnswersAreRead() throws {
        let getText = #"{"id": "a875156a-9646-4d09-8b71-76437509d7e2", "companyId": "f0bc2b54-64b6-403f-bb2c-eab2564a5e20", "paymentId": "02953731-1769-414f-a231-03541c3387ae", "paymentMethod": "card", "inStoreCredit": 100, "firstName": "Clayton", "lastName": "Bailey", "phoneNumber": "(714) 555-8431", "country": "Canada", "address": "95 Beach St Biller, MA 01824", "postalCode": 49503, "province": "Quebec", "city": "Stain", "organization": "Lumyri", "taxId": "EIN: 12-3456789"}"#
        let got = try BillingInformation(json: Self.object(getText))
        #expect(got.postalCode == "49503" && got.inStoreCredit == "100" && got.paymentId == "02953731-1769-414f-a231-03541c3387ae")
        #expect(got.taxId == "EIN: 12-3456789" && got.createdAt == nil)
        #expect(try Self.kept(got.json, getText))
        let putText = #"{"id": "ce733f62-d863-4938-ad84-3b049ff8647d", "companyId": "956865a9-b9f7-4198-87eb-10b4f0f411c9", "firstName": "Clayton", "lastName": "Bill", "phoneNumber": "(714) 555-44", "postalCode": "H2X 1Y4", "createdAt": "2023-01-04T10:02:39.000Z", "updatedAt": "2023-02-16T03:52:45.531Z"}"#
        let put = try BillingInformation(json: Self.object(putText))
        #expect(put.postalCode == "H2X 1Y4" && put.paymentId == nil && put.updatedAt == "2023-02-16T03:52:45.531Z")
    }

    @Test func invoiceMoneyStaysExact() throws {
        let invoice = try Invoice(json: Self.object(Self.invoice))
        #expect(invoice.total == "174.08" && invoice.subTotal == "174.08" && invoice.tax == "0.00" && invoice.totalCents == 17_408)
        #expect(invoice.details.map(\.amount) == ["0", "174.08"] && invoice.details[1].totalRequest == "2176")
        #expect(invoice.paymentId == nil && invoice.metadata == nil && invoice.payment == nil && !invoice.isPaid)
        #expect(try Self.kept(invoice.json, Self.invoice))

        // Digits no Double holds survive as text; so do totals written as numbers.
        let huge = Self.invoice.replacingOccurrences(of: #""amount": 174.08"#, with: #""amount": 12345678901234567890.12"#)
            .replacingOccurrences(of: #""total": "174.08""#, with: #""total": 174.1"#)
        let exact = try Invoice(json: Self.object(huge))
        #expect(exact.details[1].amount == "12345678901234567890.12" && exact.total == "174.1" && exact.totalCents == 17_410)
        #expect(try Self.kept(exact.json, huge))
    }

    @Test func anInvoiceThatDoesNotFitNamesTheMember() throws {
        Self.shapeError(mentions: ["invoice.details[1].amount", "a number", "\"174.08\""]) {
            _ = try Invoice(json: Self.object(Self.invoice.replacingOccurrences(of: #""amount": 174.08"#, with: #""amount": "174.08""#)))
        }
        Self.shapeError(mentions: ["invoice.details", "an array"]) {
            _ = try Invoice(json: Self.object(Self.invoice.replacingOccurrences(of: #""details": ["#, with: #""details": null, "x": ["#)))
        }
        Self.shapeError(mentions: ["answer.data[0].status"]) {
            _ = try InvoicePage(json: Self.object(#"{"total": 1, "page": 1, "perPage": 1, "data": [\#(Self.invoice.replacingOccurrences(of: #""status": "Processing""#, with: #""status": null"#))]}"#))
        }
    }

    @Test func aListPageReadsItsPaging() throws {
        let page = try InvoicePage(json: Self.object(#"{"total": 10, "page": 2, "perPage": 1, "data": [\#(Self.invoice)]}"#))
        #expect(page.total == 10 && page.page == 2 && page.perPage == 1 && page.items.map(\.id) == ["4e872310-58fb-40bf-9494-68731fb3d6b4"])
    }

    @Test func aDryRunAnswerIsMarked() throws {
        let made = try Payout(json: Self.object(Self.payout.replacingOccurrences(of: #""custom_fields": []"#, with: #""custom_fields": [], "dry_run": true"#)))
        #expect(made.isDryRun)
    }
}
