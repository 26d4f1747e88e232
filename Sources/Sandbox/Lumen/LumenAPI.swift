import Foundation
import GRDB
import Hummingbird
import JSON

/// Lumen, merchant payments, under `/lumen/v1`: payment methods (get,
/// create) and payments (list, get), each answer wrapped as the document
/// shows (`{"paymentMethod": …}`, `{"payments": […]}`, `{"payment": …}`).
///
/// A merchant is its secret key (`Authorization: Bearer sk_…`) and sees only
/// its own customers, payments and methods: another merchant's id is a 404.
/// `externalPaymentMethodId` is unique per merchant: a second create with
/// the same one is a 409 that names the existing method.
struct LumenAPI {
    let sandbox: Sandbox

    /// Merchants by secret key.
    static let merchants = [
        SandboxCredentials.lumenAPIKey: "merchant_acme",
        SandboxCredentials.lumenOtherAPIKey: "merchant_globex",
    ]

    func register(on router: Router<SandboxContext>) {
        let api = router.group("lumen/v1")
        api.get("payment-methods/:id") { request, context in
            let merchant = try merchant(of: request)
            let method = try sandbox.store.read { db in try db.object(.lumen, "payment_method", id: context.parameters.get("id")!) }
            guard let method, method.owner == merchant else { throw notFound("payment method") }
            return JSONResponse.make(["paymentMethod": .object(Self.methodView(method.body))])
        }
        api.post("payment-methods") { request, _ in try await createMethod(request) }
        api.get("payments") { request, _ in
            let merchant = try merchant(of: request)
            let customer = request.uri.queryParameters["customerId"].map(String.init)
            let payments = try sandbox.store.read { db in try db.objects(.lumen, "payment", owner: merchant) }
            let shown = payments.filter { customer == nil || $0.body["customer"]?["id"]?.stringValue == customer }
            return JSONResponse.make(["payments": .array(shown.map { .object(Self.paymentListView($0.body)) })])
        }
        api.get("payments/:id") { request, context in
            let merchant = try merchant(of: request)
            let payment = try sandbox.store.read { db in try db.object(.lumen, "payment", id: context.parameters.get("id")!) }
            guard let payment, payment.owner == merchant else { throw notFound("payment") }
            return JSONResponse.make(["payment": .object(Self.paymentView(payment.body))])
        }
    }

    func merchant(of request: Request) throws -> String {
        guard let key = request.bearerToken else {
            throw ServiceError(.lumen, .unauthorized, code: "unauthorized", "missing merchant credentials (Authorization: Bearer sk_...)")
        }
        guard let merchant = Self.merchants[key] else {
            throw ServiceError(.lumen, .unauthorized, code: "unauthorized", "invalid merchant secret key")
        }
        return merchant
    }

    func notFound(_ what: String) -> ServiceError {
        ServiceError(.lumen, .notFound, code: "not_found", "\(what) not found")
    }

    // MARK: Create

    static let methodFields = ["customerId", "provider", "paymentType", "externalPaymentMethodId", "status", "cardBrand", "cardLastFour"]
    static let paymentTypes: Set = ["card", "bank_account", "wallet"]
    static let methodStatuses: Set = ["active", "inactive"]

    func createMethod(_ request: Request) async throws -> Response {
        let merchant = try merchant(of: request)
        guard case .object(let body) = try await request.jsonBody(for: .lumen) else {
            throw invalid("the body must be a JSON object")
        }
        let fields = try validatedMethod(body)
        let result: Result<JSONObject, ServiceError> = try sandbox.store.write { db in
            guard let customer = try db.object(.lumen, "customer", id: fields["customerId"]!), customer.owner == merchant else {
                return .failure(notFound("customer"))
            }
            let existing = try db.objects(.lumen, "payment_method", owner: merchant)
                .first { $0.body["externalPaymentMethodId"]?.stringValue == fields["externalPaymentMethodId"] }
            if let existing {
                var error = ServiceError(.lumen, .conflict, code: "duplicate_external_payment_method",
                                         "externalPaymentMethodId \(fields["externalPaymentMethodId"]!) is already payment method \(existing.id)")
                error.headers[.location] = "/lumen/v1/payment-methods/\(existing.id)"
                return .failure(error)
            }
            let id = "pm_" + Self.randomSuffix()
            var stored = JSONObject()
            stored["id"] = .string(id)
            for name in Self.methodFields { stored[name] = .string(fields[name]!) }
            try db.save(.lumen, "payment_method", id: id, owner: merchant, body: stored)
            return .success(stored)
        }
        let method = try result.get()
        return JSONResponse.make(["paymentMethod": .object(Self.methodView(method))], status: .created)
    }

    /// Every field present, a string, and valid; no others.
    func validatedMethod(_ body: JSONObject) throws -> [String: String] {
        if let unknown = body.keys.first(where: { !Self.methodFields.contains($0) }) {
            throw invalid("unknown field '\(unknown)'; expected \(Self.methodFields.joined(separator: ", "))")
        }
        var fields: [String: String] = [:]
        for name in Self.methodFields {
            guard let value = body[name] else { throw invalid("'\(name)' is required") }
            guard let text = value.stringValue, !text.isEmpty else { throw invalid("'\(name)' must be a non-empty string") }
            fields[name] = text
        }
        guard Self.paymentTypes.contains(fields["paymentType"]!) else {
            throw invalid("'paymentType' must be one of \(Self.paymentTypes.sorted().joined(separator: ", "))")
        }
        guard Self.methodStatuses.contains(fields["status"]!) else {
            throw invalid("'status' must be one of \(Self.methodStatuses.sorted().joined(separator: ", "))")
        }
        guard fields["cardLastFour"]!.count == 4, fields["cardLastFour"]!.allSatisfy(\.isASCII), fields["cardLastFour"]!.allSatisfy(\.isNumber) else {
            throw invalid("'cardLastFour' must be exactly 4 digits")
        }
        return fields
    }

    func invalid(_ message: String) -> ServiceError {
        ServiceError(.lumen, .badRequest, code: "invalid_request", message)
    }

    /// 16 characters of base32 (`a`–`z`, `2`–`7`). Not hex: 16 hex
    /// characters hold a run of 13 or more digits about once in 130 ids, one
    /// in ten of them Luhn-valid, and such an id is shown masked wherever
    /// paysh redacts text, as a card number would be.
    static func randomSuffix() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0 ..< 16).map { _ in alphabet[Int(generator.next() % 32)] }, as: UTF8.self)
    }

    // MARK: Views: exactly the documented keys, in the documented order

    static func methodView(_ stored: JSONObject) -> JSONObject {
        JSONObject(["id", "provider", "paymentType", "status", "cardBrand", "cardLastFour"].map { ($0, stored[$0] ?? .null) })
    }

    static func paymentListView(_ stored: JSONObject) -> JSONObject {
        JSONObject([
            ("id", stored["id"] ?? .null), ("amountCents", stored["amountCents"] ?? .null),
            ("currency", stored["currency"] ?? .null), ("status", stored["status"] ?? .null),
            ("customerName", stored["customer"]?["name"] ?? .null), ("planName", stored["planName"] ?? .null),
        ])
    }

    static func paymentView(_ stored: JSONObject) -> JSONObject {
        JSONObject(["id", "amountCents", "currency", "status", "customer", "invoice"].map { ($0, stored[$0] ?? .null) })
    }
}
