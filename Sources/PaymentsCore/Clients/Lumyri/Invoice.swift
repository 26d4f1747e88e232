import JSON

/// A Lumyri invoice ("order"): a billing period's usage lines and totals.
///
/// Money stays exact: `subTotal`, `tax`, `total` are the API's decimal
/// strings (`"174.08"`), a line's `amount` the text of its JSON number
/// (`174.08`); `totalCents` gives the total as integer cents.
public struct Invoice: APIObject, ReadableObject {
    public let json: JSONObject
    public let id: String
    public let companyId: String
    /// The billing information billed.
    public let billToId: String?
    /// The payment that paid it, once `Succeeded`.
    public let paymentId: String?
    public let startAt: String
    public let endAt: String
    /// `Processing`, `Succeeded` or `Failed`.
    public let status: String
    /// `Card` or `paypal`.
    public let method: String
    public let details: [InvoiceDetail]
    public let subTotal: String
    public let tax: String
    public let total: String
    /// `null` when unpaid, `{}` once paid, `{"declineCode": …}` after a decline.
    public let metadata: JSONObject?
    public let createdAt: String
    public let updatedAt: String
    /// In list answers: the payment of a paid invoice.
    public let payment: InvoicePayment?

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        companyId = try r.string("companyId")
        billToId = try r.optionalString("billToId")
        paymentId = try r.optionalString("paymentId")
        startAt = try r.string("startAt")
        endAt = try r.string("endAt")
        status = try r.string("status")
        method = try r.string("method")
        details = try r.models("details", as: InvoiceDetail.self)
        subTotal = try r.text("subTotal")
        tax = try r.text("tax")
        total = try r.text("total")
        metadata = try r.optionalObject("metadata")
        createdAt = try r.string("createdAt")
        updatedAt = try r.string("updatedAt")
        payment = try r.optionalModel("payment", as: InvoicePayment.self)
    }

    public init(json: JSONObject, operation: String = "lumyri.invoice") throws(PaymentsError) {
        try self.init(ModelReader(json, path: "invoice", service: .lumyri, operation: operation))
    }

    /// `total` as integer cents; nil if it is not a decimal with at most two places.
    public var totalCents: Int64? { DecimalCents.cents(total) }
    /// Whether the invoice has been paid.
    public var isPaid: Bool { status == "Succeeded" }
}

/// One usage line of an invoice's `details`.
public struct InvoiceDetail: APIObject, ReadableObject {
    public let json: JSONObject
    /// The API family: `route`, `search`, `tile`…
    public let path: String
    public let title: String
    /// The JSON number's exact text: `174.08`, `0`.
    public let amount: String
    /// `USD`.
    public let currency: String
    /// How many requests were billed (a string in the examples, a number in the attribute list; text here).
    public let totalRequest: String

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        path = try r.string("path")
        title = try r.string("title")
        amount = try r.numberText("amount")
        currency = try r.string("currency")
        totalRequest = try r.text("totalRequest")
    }
}

/// The `payment` of a paid invoice in a list answer (the sandbox's shape:
/// `{id, method, cardId, cardNumber, amount, currency, createdAt}`).
public struct InvoicePayment: APIObject, ReadableObject {
    public let json: JSONObject
    public let id: String
    public let method: String?
    public let cardId: String?
    /// Masked.
    public let cardNumber: String?
    /// Decimal text, as the invoice's `total`.
    public let amount: String?
    public let currency: String?
    public let createdAt: String?

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        method = try r.optionalString("method")
        cardId = try r.optionalString("cardId")
        cardNumber = try r.optionalString("cardNumber")
        amount = try r.optionalText("amount")
        currency = try r.optionalString("currency")
        createdAt = try r.optionalString("createdAt")
    }
}

/// A page of `GET /payments/orders`: `{total, page, perPage, data}`.
public struct InvoicePage: ListPage, ReadableObject {
    public let json: JSONObject
    public let total: Int
    /// 1 for the first page.
    public let page: Int
    public let perPage: Int
    public let data: [Invoice]

    public var items: [Invoice] { data }

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        total = Int(try r.integer("total"))
        page = Int(try r.integer("page"))
        perPage = Int(try r.integer("perPage"))
        data = try r.models("data", as: Invoice.self)
    }

    public init(json: JSONObject, operation: String = "lumyri.invoices") throws(PaymentsError) {
        try self.init(ModelReader(json, path: "answer", service: .lumyri, operation: operation))
    }
}
