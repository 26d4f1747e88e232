/// The one error type of the client core: what failed, how, and whether
/// trying again could help.
///
/// `kind` is the failure's class, which decides retries (see `RetryPolicy`)
/// and the command line's exit status; the rest is what a person or a script
/// needs to act: the service and operation, the HTTP status, the API's own
/// error code and message, and the request id to quote to support.
public struct PaymentsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The classes of failure, by what is known about the request's effect.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The request never reached the server (connection refused, DNS, TLS handshake): nothing happened.
        case notSent = "not_sent"
        /// The server refused before doing anything (429, 503): nothing happened, try again later.
        case rejected
        /// The request may or may not have taken effect (timeout or reset after sending; 500, 502, 504).
        case outcomeUnknown = "outcome_unknown"
        /// The server answered that the request is wrong (400–422): trying again changes nothing.
        case clientError = "client_error"
        /// Authentication failed (401, 403) after the one refresh the client allows itself.
        case unauthorized
        /// The answer could not be read (not JSON where JSON was due, a missing field).
        case invalidResponse = "invalid_response"
        /// paysh refused the request before sending it (bad arguments).
        case validation
        /// `--dry-run`: the request was built and shown, not sent.
        case dryRun = "dry_run"
    }

    public var kind: Kind
    /// `lumanu`, `lumen`, `lumyri` or `auth`.
    public var service: String
    /// What was being done, as the Lua API names it (`lumyri.pay_invoice`).
    public var operation: String
    public var status: Int?
    /// The API's own error code (`card_declined`, `invalid-jwt`, `not_found`).
    public var code: String?
    public var message: String
    /// The request id paysh sent (`X-Request-Id`), for support and the journal.
    public var requestID: String?
    /// How long the server asked the client to wait (`Retry-After`).
    public var retryAfter: Duration?
    /// A refusal's `Location` header as the server sent it: where a 409 says
    /// the resource it conflicts with is. Read by the clients, never shown:
    /// the message is what people see, and it is redacted, so an id that
    /// looks like a card number is masked there but whole here.
    var location: String?

    public init(kind: Kind, service: String, operation: String, status: Int? = nil, code: String? = nil,
                message: String, requestID: String? = nil, retryAfter: Duration? = nil) {
        self.kind = kind
        self.service = service
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
        self.requestID = requestID
        self.retryAfter = retryAfter
    }

    /// Whether sending the same request again could succeed without any risk of doing it twice.
    public var retryable: Bool { kind == .notSent || kind == .rejected }

    /// One line: `lumyri.pay_invoice: 402 card_declined: Your card was declined (request 3f2a…)`.
    public var description: String {
        var line = operation + ": "
        if let status { line += "\(status) " }
        if let code, !code.isEmpty { line += code + ": " }
        line += message
        if let requestID { line += " (request \(requestID))" }
        return line
    }
}
