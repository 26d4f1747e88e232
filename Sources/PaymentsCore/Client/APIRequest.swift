import JSON

/// One API call as a typed client describes it, before auth and transport.
public struct APIRequest: Sendable {
    /// As the Lua API names it: `lumyri.pay_invoice`.
    public var operation: String
    public var method: String
    /// The path below the service's base URL, starting with `/`, already percent-encoded where needed.
    public var path: String
    public var query: [(name: String, value: String)]
    public var body: JSONValue?
    /// Create payout, pay invoice, create payment method, create card.
    public var movesMoney: Bool
    /// What identifies the call's effect for reconciliation and the journal
    /// (the payout's `paysh_ref`, the invoice id, the `externalPaymentMethodId`).
    public var reference: String?

    public init(operation: String, method: String, path: String, query: [(name: String, value: String)] = [],
                body: JSONValue? = nil, movesMoney: Bool = false, reference: String? = nil) {
        self.operation = operation
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.movesMoney = movesMoney
        self.reference = reference
    }

    /// Anything but a read changes something on the server.
    public var isMutation: Bool { method != "GET" && method != "HEAD" }

    /// `base` + path + the query, percent-encoded.
    public func url(base: String) -> String {
        var url = base.hasSuffix("/") ? String(base.dropLast()) : base
        url += path
        if !query.isEmpty {
            url += "?" + query.map { PercentEncoding.queryComponent($0.name) + "=" + PercentEncoding.queryComponent($0.value) }
                .joined(separator: "&")
        }
        return url
    }
}

/// An answer of the API, successful (2xx), or a dry run's stand-in.
public struct APIAnswer: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// The `X-Request-Id` of the attempt that produced the answer.
    public var requestID: String?
    /// True when nothing was sent (`--dry-run`) and the body is made up.
    public var isDryRun: Bool

    public init(status: Int, body: [UInt8], requestID: String?, isDryRun: Bool = false) {
        self.status = status
        self.body = body
        self.requestID = requestID
        self.isDryRun = isDryRun
    }

    /// The body as JSON; an answer that is not JSON is an `invalidResponse` error of `operation`.
    public func json(service: Service, operation: String) throws(PaymentsError) -> JSONValue {
        do {
            return try body.withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) }
        } catch {
            throw PaymentsError(kind: .invalidResponse, service: service.rawValue, operation: operation, status: status,
                                message: "the answer is not valid JSON (\(error)): "
                                    + FailureClassifier.excerpt(body, redact: Redactor.standard.text),
                                requestID: requestID)
        }
    }
}

/// Percent-encoding for URL parts the client builds.
public enum PercentEncoding {
    /// Everything but RFC 3986's unreserved characters is encoded.
    public static func queryComponent(_ text: String) -> String {
        var out: [UInt8] = []
        for c in text.utf8 {
            if ASCIIByte.isAlphanumeric(c) || "-._~".utf8.contains(c) {
                out.append(c)
            } else {
                out.append(UInt8(ascii: "%"))
                out += PercentCoding.hex(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// One path segment (an id): the same rule, so `/` and `?` cannot change the path.
    public static func pathSegment(_ text: String) -> String { queryComponent(text) }
}
