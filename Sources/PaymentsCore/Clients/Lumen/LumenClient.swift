import Foundation
import JSON

/// Lumen's merchant payments: payment methods (get, create) and payments
/// (list for a customer, get one).
///
/// ```swift
/// let lumen = LumenClient(connection: connection)
/// let method = try await lumen.createPaymentMethod(NewPaymentMethod(
///     customerId: "cust_123", provider: "stripe", paymentType: "card",
///     externalPaymentMethodId: "pm_ext_123", cardBrand: "visa", cardLastFour: "4242"))
/// let payments = try await lumen.payments(customerId: "cust_456")
/// ```
public struct LumenClient: Sendable {
    public let connection: ServiceConnection
    let caller: Caller

    /// How many times a create is sent again after unknown outcomes in a row before giving up.
    static let maxResends = 8

    public init(connection: ServiceConnection) {
        precondition(connection.service == .lumen, "a LumenClient needs a connection to lumen, not \(connection.service)")
        self.connection = connection
        caller = Caller(connection: connection)
    }

    // MARK: Payment methods

    /// `GET /payment-methods/{id}`.
    public func paymentMethod(id: String) async throws(PaymentsError) -> PaymentMethod {
        try await caller.object(methodRequest(id: id), as: PaymentMethod.self, path: "paymentMethod", wrapper: "paymentMethod")
    }

    func methodRequest(id: String) throws(PaymentsError) -> APIRequest {
        let operation = "lumen.payment_method"
        let id = try caller.check(operation).id(id, "id")
        return APIRequest(operation: operation, method: "GET", path: "/payment-methods/" + PercentEncoding.pathSegment(id))
    }

    /// `POST /payment-methods`.
    ///
    /// `externalPaymentMethodId` is unique per merchant, so sending the create
    /// again cannot make a second method: after an unknown outcome the client
    /// sends it again, and a 409 naming an existing method with what was sent
    /// is that earlier attempt's method, fetched and returned. A 409 on a
    /// first attempt (or naming a method that differs) is a `clientError`
    /// whose message names the existing method.
    public func createPaymentMethod(_ method: NewPaymentMethod) async throws(PaymentsError) -> PaymentMethod {
        let operation = "lumen.create_payment_method"
        let body = try method.body(caller.check(operation))
        let request = APIRequest(operation: operation, method: "POST", path: "/payment-methods", body: .object(body),
                                 movesMoney: true, reference: method.externalPaymentMethodId)
        let conflict = Locked<PaymentsError?>(nil)
        do {
            let answer = try await send(request, sent: body, depth: 0, conflict: conflict)
            return try caller.model(answer, as: PaymentMethod.self, operation: operation, path: "paymentMethod", wrapper: "paymentMethod")
        } catch {
            // A re-send met someone else's method: the create did not happen, and that is the answer.
            throw conflict.value ?? error
        }
    }

    /// Perform the create; an unknown outcome is settled by sending it again.
    func send(_ request: APIRequest, sent: JSONObject, depth: Int, conflict: Locked<PaymentsError?>) async throws(PaymentsError) -> APIAnswer {
        try await connection.perform(request, reconcile: { () async throws(PaymentsError) in
            .applied(try await self.sendAgain(request, sent: sent, depth: depth + 1, conflict: conflict))
        }, dryRunAnswer: { _ in
            var made = JSONObject([("id", .string("dry-run-" + UUID().uuidString.lowercased()))])
            for member in sent where PaymentMethod.keys.contains(member.key) { made[member.key] = member.value }
            return .object(["paymentMethod": Caller.dryRun(made)])
        })
    }

    /// Send the create again after an unknown outcome. A 409 about our
    /// `externalPaymentMethodId` naming a method with what was sent is the
    /// earlier attempt's: its answer stands.
    func sendAgain(_ request: APIRequest, sent: JSONObject, depth: Int, conflict: Locked<PaymentsError?>) async throws(PaymentsError) -> APIAnswer {
        guard depth <= Self.maxResends else {
            throw PaymentsError(kind: .outcomeUnknown, service: "lumen", operation: request.operation,
                                message: "still no answer after sending the create \(depth) times; check payment methods for externalPaymentMethodId \(sent["externalPaymentMethodId"]?.stringValue ?? "")")
        }
        do {
            return try await send(request, sent: sent, depth: depth, conflict: conflict)
        } catch {
            guard error.status == 409, let external = sent["externalPaymentMethodId"]?.stringValue,
                  error.message.contains(external) || error.message.contains(connection.redactor.text(external)),
                  let existing = Self.existingID(in: error) else { throw error }
            let answer = try await connection.perform(methodRequest(id: existing))
            let found = try caller.model(answer, as: PaymentMethod.self, operation: request.operation, path: "paymentMethod",
                                         wrapper: "paymentMethod")
            guard Self.matches(found, sent) else {
                conflict.value = error
                throw error
            }
            return answer
        }
    }

    /// The id of the method a 409 names: the last segment of its `Location`
    /// (`/lumen/v1/payment-methods/pm_9f3…`), else the last word of its
    /// message (`externalPaymentMethodId pm_ext_1 is already payment method
    /// pm_9f3…`) unless redaction masked part of it: an id with a
    /// Luhn-valid run of digits in it is shown masked, and fetching the
    /// masked text would find nothing.
    static func existingID(in error: PaymentsError) -> String? {
        if let location = error.location, let path = location.split(separator: "?").first,
           let segment = path.split(separator: "/").last, path.contains("payment-methods/") {
            return segment.removingPercentEncoding ?? String(segment)
        }
        guard let word = error.message.split(whereSeparator: \.isWhitespace).last
            .map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:'\"()")) }),
            !word.isEmpty, !word.contains("*"), !word.contains("[redacted]") else { return nil }
        return word
    }

    /// Whether `method` shows what was sent (the members a method echoes).
    static func matches(_ method: PaymentMethod, _ sent: JSONObject) -> Bool {
        PaymentMethod.keys.allSatisfy { key in key == "id" || sent[key] == nil || sent[key] == method.json[key] }
    }

    // MARK: Payments

    /// `GET /payments?customerId=`: the merchant's payments, of one customer when `customerId` is given.
    public func payments(customerId: String? = nil) async throws(PaymentsError) -> [PaymentSummary] {
        let operation = "lumen.payments"
        var query: [(name: String, value: String)] = []
        if let customerId { query.append(("customerId", try caller.check(operation).id(customerId, "customerId"))) }
        let request = APIRequest(operation: operation, method: "GET", path: "/payments", query: query)
        return try await caller.list(request, of: PaymentSummary.self, path: "payments", wrapper: "payments")
    }

    /// `GET /payments/{id}`, with its customer and invoice.
    public func payment(id: String) async throws(PaymentsError) -> Payment {
        let operation = "lumen.payment"
        let id = try caller.check(operation).id(id, "id")
        let request = APIRequest(operation: operation, method: "GET", path: "/payments/" + PercentEncoding.pathSegment(id))
        return try await caller.object(request, as: Payment.self, path: "payment", wrapper: "payment")
    }
}
