/// The filters of `GET /payments/orders`, combined with AND; nil means any.
public struct InvoiceFilter: Sendable, Hashable {
    /// An invoice id.
    public var receipt: String?
    /// Bounds on `total`, inclusive: decimals such as `100` or `99.50`.
    public var min: String?
    public var max: String?
    /// `Processing`, `Succeeded` or `Failed` (any case).
    public var status: String?
    /// `Card` or `paypal` (any case).
    public var method: String?
    /// Invoices whose period lies inside: ISO 8601 dates or times.
    public var startAt: String?
    public var endAt: String?

    public static let statuses = ["Processing", "Succeeded", "Failed"]
    public static let methods = ["Card", "paypal"]

    public init(receipt: String? = nil, min: String? = nil, max: String? = nil, status: String? = nil, method: String? = nil,
                startAt: String? = nil, endAt: String? = nil) {
        self.receipt = receipt
        self.min = min
        self.max = max
        self.status = status
        self.method = method
        self.startAt = startAt
        self.endAt = endAt
    }

    /// The query parameters, checked, in the document's order.
    func query(_ check: ArgumentCheck) throws(PaymentsError) -> [(name: String, value: String)] {
        var query: [(name: String, value: String)] = []
        if let receipt { query.append(("receipt", try check.id(receipt, "receipt"))) }
        if let min { query.append(("min", try check.decimalAmount(min, "min"))) }
        if let max { query.append(("max", try check.decimalAmount(max, "max"))) }
        if let min, let max, let low = DecimalCents.cents(min), let high = DecimalCents.cents(max), low > high {
            throw check.failure("min", expected: "an amount not above max (\(max))", got: min)
        }
        if let status { query.append(("status", try check.oneOf(status, Self.statuses, "status", ignoringCase: true))) }
        if let method { query.append(("method", try check.oneOf(method, Self.methods, "method", ignoringCase: true))) }
        if let startAt { query.append(("startAt", try check.isoDateOrTime(startAt, "startAt"))) }
        if let endAt { query.append(("endAt", try check.isoDateOrTime(endAt, "endAt"))) }
        return query
    }
}
