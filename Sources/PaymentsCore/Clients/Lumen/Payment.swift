import JSON

/// A Lumen payment as `GET /payments/{id}` shows it inside `{"payment": …}`,
/// with its customer and invoice.
public struct Payment: APIObject, ReadableObject {
    public let json: JSONObject
    /// `pay_…`
    public let id: String
    /// Integer minor units of `currency`.
    public let amountCents: Int64
    /// Lower-case ISO code: `usd`.
    public let currency: String
    /// `succeeded`, `failed`, `pending`, `refunded`…
    public let status: String
    public let customer: PaymentCustomer?
    public let invoice: PaymentInvoice?

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        amountCents = try r.integer("amountCents")
        currency = try r.string("currency")
        status = try r.string("status")
        customer = try r.optionalModel("customer", as: PaymentCustomer.self)
        invoice = try r.optionalModel("invoice", as: PaymentInvoice.self)
    }

    public init(json: JSONObject, operation: String = "lumen.payment") throws(PaymentsError) {
        try self.init(ModelReader(json, path: "payment", service: .lumen, operation: operation))
    }
}

/// A payment's `customer`: `{id, name}`.
public struct PaymentCustomer: APIObject, ReadableObject {
    public let json: JSONObject
    public let id: String
    public let name: String?

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        name = try r.optionalString("name")
    }
}

/// A payment's `invoice`: `{id, customerInvoiceNumber}`.
public struct PaymentInvoice: APIObject, ReadableObject {
    public let json: JSONObject
    public let id: String
    /// The number the customer sees: `INV-0001`.
    public let customerInvoiceNumber: String?

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        customerInvoiceNumber = try r.optionalString("customerInvoiceNumber")
    }
}

/// An item of `GET /payments` (`{"payments": [...]}`): the customer and plan by name.
public struct PaymentSummary: APIObject, ReadableObject {
    public let json: JSONObject
    public let id: String
    /// Integer minor units of `currency`.
    public let amountCents: Int64
    public let currency: String
    public let status: String
    public let customerName: String?
    public let planName: String?

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        amountCents = try r.integer("amountCents")
        currency = try r.string("currency")
        status = try r.string("status")
        customerName = try r.optionalString("customerName")
        planName = try r.optionalString("planName")
    }

    public init(json: JSONObject, operation: String = "lumen.payments") throws(PaymentsError) {
        try self.init(ModelReader(json, path: "payments[]", service: .lumen, operation: operation))
    }
}
