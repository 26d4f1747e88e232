import JSON
import LuaKit
import PaymentsCore

/// `lumyri.*`: invoices, cards and billing information.
enum LumyriBindings {
    static let invoiceID = ArgumentType.id("an invoice id")
    static let cardID = ArgumentType.id("a card id")

    static let invoiceFilters: [LuaField] = [
        LuaField("status", .oneOf(InvoiceFilter.statuses, ignoringCase: true), "Processing, Succeeded or Failed (any case)"),
        LuaField("min", .decimal, "smallest total, inclusive (\"100\", 99.5, a money value)"),
        LuaField("max", .decimal, "largest total, inclusive"),
        LuaField("method", .oneOf(InvoiceFilter.methods, ignoringCase: true), "Card or paypal (any case)"),
        LuaField("receipt", .id("an invoice id"), "only this invoice"),
        LuaField("startAt", .dateOrTime, "invoices whose period starts at or after this date or time"),
        LuaField("endAt", .dateOrTime, "invoices whose period ends at or before this date or time"),
        LuaField("perPage", .integer("invoices per request", minimum: 1), "page size of the requests (default 100)"),
    ]

    static let cardInfo: [LuaField] = [
        LuaField("cardName", .text("the name on the card"), required: true, "the name on the card"),
        LuaField("cardNumber", .text("a card number"), "the number; when missing, paysh asks for it without echo (a person must be at the terminal)"),
        LuaField("expMonth", .integer("a month, 1 to 12", minimum: 1), required: true, "expiry month"),
        LuaField("expYear", .integer("a four-digit year", minimum: 2000), required: true, "expiry year"),
        LuaField("cvv", .text("a CVV"), "the 3 or 4 digits; asked for without echo when missing"),
        LuaField("country", .text("a country code"), required: true, "country of the card (\"US\")"),
    ]

    static let addressInfo: [LuaField] = ["firstName", "lastName", "streetAddress", "aptNumber", "state", "country", "zipCode"]
        .map { LuaField($0, .text($0), "billing address: \($0)") }

    static let billingFields: [LuaField] = ["firstName", "lastName", "phoneNumber", "country", "address", "zipCode", "province",
                                            "city", "organization", "taxId"].map { LuaField($0, .text($0), $0) }

    static var bindings: [LuaBinding] {
        [
            LuaBinding(module: "lumyri", name: "invoices", LuaForm(
                [LuaParameter("filters", .record(invoiceFilters), optional: true, "filters, combined with AND")],
                summary: "The company's invoices, newest first, as a cursor that fetches pages as they are needed.",
                returns: "a cursor of invoices (for inv in cursor, :all(), :take(n), :first(), #cursor)",
                example: #"lumyri.invoices{status = "Processing", max = "500"}:all()"#) { call in
                    let filters = call.record("filters") ?? JSONObject()
                    let filter = InvoiceFilter(receipt: filters["receipt"]?.stringValue, min: filters["min"]?.stringValue,
                                               max: filters["max"]?.stringValue, status: filters["status"]?.stringValue,
                                               method: filters["method"]?.stringValue, startAt: filters["startAt"]?.stringValue,
                                               endAt: filters["endAt"]?.stringValue)
                    var perPage = 100
                    if case .integer(let n)? = filters["perPage"] { perPage = Int(n) }
                    let pages = try call.attempt { session throws(PaymentsError) in try session.lumyri().invoices(filter, perPage: perPage) }
                    let cursor = LuaCursor(operation: call.name, pageSize: perPage, kind: "invoice", runtime: call.runtime) { (index: Int) async throws(PaymentsError) -> CursorPage in
                        let page = try await pages.page(index)
                        return CursorPage(items: page.items.map { .object($0.json) }, total: page.total)
                    }
                    LuaCursor.push(cursor, on: call.stack)
                    return 1
                }),
            LuaBinding(module: "lumyri", name: "invoice", LuaForm(
                [LuaParameter("id", invoiceID, "the invoice's id")],
                summary: "One invoice, with its details and payments.",
                returns: "the invoice (a table)",
                example: #"lumyri.invoice("4e872310-58fb-40bf-9494-68731fb3d6b4")"#) { call in
                    let id = call.string("id")!
                    return try call.performObject(kind: "invoice") { session throws(PaymentsError) in try await session.lumyri().invoice(id: id) }
                }),
            LuaBinding(module: "lumyri", name: "pay_invoice", LuaForm(
                [LuaParameter("id", invoiceID, "the invoice to pay")],
                summary: "Charge the company's default card for an invoice. Never charges twice: an unclear outcome is settled by reading the invoice before any retry.",
                returns: "the invoice as it is after the payment (a table)",
                example: #"lumyri.pay_invoice("4e872310-58fb-40bf-9494-68731fb3d6b4")"#,
                effect: .movesMoney) { call in
                    let id = call.string("id")!
                    let resumed = call.runtime.batchItem(for: call.stack.L)?.resumed == true
                    return try call.performObject(kind: "invoice", confirming: "pay invoice \(id)") { session throws(PaymentsError) in
                        // A batch item taken up again may have been charged by the run that stopped.
                        if resumed {
                            let invoice = try await session.lumyri().invoice(id: id)
                            if invoice.json["status"]?.stringValue == "Succeeded" { return invoice }
                        }
                        return try await session.lumyri().payInvoice(id: id)
                    }
                }),
            LuaBinding(module: "lumyri", name: "cards", LuaForm(
                [],
                summary: "The company's cards, newest first, each with its address (numbers masked by the API).",
                returns: "a cursor of cards",
                example: "lumyri.cards():all()") { call in
                    let client = try call.attempt { session throws(PaymentsError) in try session.lumyri() }
                    let cursor = LuaCursor(operation: call.name, pageSize: Int.max, kind: "card", runtime: call.runtime) { (_: Int) async throws(PaymentsError) -> CursorPage in
                        let cards = try await client.cards()
                        return CursorPage(items: cards.map { .object($0.json) }, total: cards.count)
                    }
                    LuaCursor.push(cursor, on: call.stack)
                    return 1
                }),
            LuaBinding(module: "lumyri", name: "create_card", LuaForm(
                [LuaParameter("card", .record([
                    LuaField("info", .record(cardInfo), required: true, "the card"),
                    LuaField("addressInfo", .record(addressInfo), "its billing address"),
                    LuaField("isDefault", .boolean, "make it the card invoices are charged to"),
                ]), "the new card")],
                summary: "Add a card. Without info.cardNumber or info.cvv, paysh asks for them without echo; never type a card number into a command line.",
                returns: "the card as the API shows it (number masked)",
                example: #"lumyri.create_card{info = {cardName = "Ada Lovelace", expMonth = 12, expYear = 2030, country = "US"}, isDefault = true}"#,
                effect: .movesMoney) { call in
                    let card = try newCard(call)
                    return try call.performObject(kind: "card", confirming: "add card \(Redactor.maskCardNumber(card.cardNumber))") { session throws(PaymentsError) in
                        try await session.lumyri().createCard(card)
                    }
                }),
            LuaBinding(module: "lumyri", name: "update_card", LuaForm(
                [LuaParameter("id", cardID, "the card"),
                 LuaParameter("changes", .record([
                    LuaField("info", .record([
                        LuaField("expMonth", .integer("a month, 1 to 12", minimum: 1), required: true, "new expiry month"),
                        LuaField("expYear", .integer("a four-digit year", minimum: 2000), required: true, "new expiry year"),
                    ]), required: true, "the new expiry"),
                    LuaField("isDefault", .boolean, "make it the default card"),
                 ]), "what to change")],
                summary: "Change a card's expiry date, and whether it is the default.",
                returns: "the card after the change",
                example: #"lumyri.update_card(id, {info = {expMonth = 1, expYear = 2031}, isDefault = true})"#,
                effect: .movesMoney) { call in
                    let id = call.string("id")!
                    let changes = call.record("changes")!
                    guard case .object(let info)? = changes["info"], case .integer(let month)? = info["expMonth"],
                          case .integer(let year)? = info["expYear"] else { throw LuaError(message: "\(call.name): info is required") }
                    let update = CardUpdate(expMonth: Int(month), expYear: Int(year), isDefault: changes["isDefault"]?.boolValue)
                    return try call.performObject(kind: "card", confirming: "change card \(id)") { session throws(PaymentsError) in
                        try await session.lumyri().updateCard(id: id, update)
                    }
                }),
            LuaBinding(module: "lumyri", name: "delete_card", LuaForm(
                [LuaParameter("id", cardID, "the card to remove")],
                summary: "Remove a card.",
                returns: "true",
                example: #"lumyri.delete_card("33a1f6e4-2a8e-4e7e-b9f5-6a3d2d1c0e11")"#,
                effect: .movesMoney) { call in
                    let id = call.string("id")!
                    return try call.perform(confirming: "delete card \(id)", { session throws(PaymentsError) in
                        try await session.lumyri().deleteCard(id: id)
                    }) { stack, _ in
                        stack.push(true)
                        return 1
                    }
                }),
            LuaBinding(module: "lumyri", name: "billing", LuaForm(
                [],
                summary: "The company's billing information.",
                returns: "the billing information (a table)",
                example: "lumyri.billing()") { call in
                    try call.performObject { session throws(PaymentsError) in try await session.lumyri().billingInformation() }
                }),
            LuaBinding(module: "lumyri", name: "update_billing", LuaForm(
                [LuaParameter("changes", .record(billingFields), "the fields to change; the others keep their values")],
                summary: "Change the company's billing information.",
                returns: "the billing information after the change",
                example: #"lumyri.update_billing{phoneNumber = "(714) 555-0100"}"#,
                effect: .change) { call in
                    let changes = call.record("changes")!
                    func text(_ key: String) -> String? { changes[key]?.stringValue }
                    let update = BillingUpdate(firstName: text("firstName"), lastName: text("lastName"), phoneNumber: text("phoneNumber"),
                                               country: text("country"), address: text("address"), zipCode: text("zipCode"),
                                               province: text("province"), city: text("city"), organization: text("organization"),
                                               taxId: text("taxId"))
                    return try call.performObject { session throws(PaymentsError) in try await session.lumyri().updateBillingInformation(update) }
                }),
        ] + RawBindings.bindings(for: "lumyri")
    }

    /// The card of a `create_card` call, asking for the number and CVV when they are missing.
    static func newCard(_ call: BindingCall) throws -> NewCard {
        let card = call.record("card")!
        guard case .object(let info)? = card["info"] else { throw LuaError(message: "\(call.name): info is required") }
        func secret(_ key: String, _ question: String) throws -> String {
            if let value = info[key]?.stringValue { return value }
            guard call.runtime.options.interactive, let typed = TerminalPrompt.ask(question, echo: false), !typed.isEmpty else {
                throw LuaAPIError(PaymentsError(kind: .validation, service: "lumyri", operation: call.name,
                                                message: "argument #1 (card): field \"info.\(key)\": expected \(key == "cvv" ? "the CVV" : "the card number"), got nil; "
                                                    + "paysh asks for it without echo when a person is at the terminal, and nobody is"))
            }
            return typed.trimmingCharacters(in: .whitespaces)
        }
        var address = CardAddressInfo()
        if case .object(let a)? = card["addressInfo"] {
            address = CardAddressInfo(firstName: a["firstName"]?.stringValue, lastName: a["lastName"]?.stringValue,
                                      streetAddress: a["streetAddress"]?.stringValue, aptNumber: a["aptNumber"]?.stringValue,
                                      state: a["state"]?.stringValue, country: a["country"]?.stringValue, zipCode: a["zipCode"]?.stringValue)
        }
        guard case .integer(let month)? = info["expMonth"], case .integer(let year)? = info["expYear"] else {
            throw LuaError(message: "\(call.name): expMonth and expYear are required")
        }
        let number = try secret("cardNumber", "Card number (not shown): ")
        let cvv = try secret("cvv", "CVV (not shown): ")
        return NewCard(cardName: info["cardName"]?.stringValue ?? "", cardNumber: number, expMonth: Int(month), expYear: Int(year),
                       cvv: cvv, country: info["country"]?.stringValue ?? "", isDefault: card["isDefault"]?.boolValue, address: address)
    }
}
