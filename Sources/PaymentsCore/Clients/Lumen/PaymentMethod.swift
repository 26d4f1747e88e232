import JSON

/// A Lumen payment method (a customer's saved card, bank account or wallet),
/// as `GET /payment-methods/{id}` shows it inside `{"paymentMethod": …}`.
public struct PaymentMethod: APIObject, ReadableObject {
    public let json: JSONObject
    /// `pm_…`
    public let id: String
    /// The processor holding it: `stripe`.
    public let provider: String
    /// `card`, `bank_account`, `wallet`.
    public let paymentType: String
    /// `active` or `inactive`.
    public let status: String
    /// `visa`…, for cards.
    public let cardBrand: String?
    /// The last four digits, for cards.
    public let cardLastFour: String?

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        provider = try r.string("provider")
        paymentType = try r.string("paymentType")
        status = try r.string("status")
        cardBrand = try r.optionalString("cardBrand")
        cardLastFour = try r.optionalString("cardLastFour")
    }

    /// The members a payment method shows, in the document's order.
    static let keys = ["id", "provider", "paymentType", "status", "cardBrand", "cardLastFour"]

    public init(json: JSONObject, operation: String = "lumen.payment_method") throws(PaymentsError) {
        try self.init(ModelReader(json, path: "paymentMethod", service: .lumen, operation: operation))
    }
}

/// What `LumenClient.createPaymentMethod` sends (`POST /payment-methods`).
///
/// `externalPaymentMethodId` (the processor's id of the method) is unique per
/// merchant: it is what makes a create safe to send again.
public struct NewPaymentMethod: Sendable, Hashable {
    public var customerId: String
    public var provider: String
    public var paymentType: String
    public var externalPaymentMethodId: String
    public var status: String
    public var cardBrand: String?
    /// Exactly four digits.
    public var cardLastFour: String?

    public init(customerId: String, provider: String, paymentType: String, externalPaymentMethodId: String,
                status: String = "active", cardBrand: String? = nil, cardLastFour: String? = nil) {
        self.customerId = customerId
        self.provider = provider
        self.paymentType = paymentType
        self.externalPaymentMethodId = externalPaymentMethodId
        self.status = status
        self.cardBrand = cardBrand
        self.cardLastFour = cardLastFour
    }

    /// The body, in the document's order, checked.
    func body(_ check: ArgumentCheck) throws(PaymentsError) -> JSONObject {
        var body: JSONObject = [
            "customerId": .string(try check.id(customerId, "customerId")),
            "provider": .string(try check.nonEmpty(provider, "provider")),
            "paymentType": .string(try check.nonEmpty(paymentType, "paymentType")),
            "externalPaymentMethodId": .string(try check.id(externalPaymentMethodId, "externalPaymentMethodId")),
            "status": .string(try check.nonEmpty(status, "status")),
        ]
        if let cardBrand { body["cardBrand"] = .string(try check.nonEmpty(cardBrand, "cardBrand")) }
        if let cardLastFour {
            guard cardLastFour.utf8.count == 4, cardLastFour.utf8.allSatisfy(ASCIIByte.isDigit) else {
                throw check.failure("cardLastFour", expected: "exactly 4 digits", got: ArgumentCheck.quoted(cardLastFour))
            }
            body["cardLastFour"] = .string(cardLastFour)
        }
        return body
    }
}
