import Foundation
import HTTPTypes
import Hummingbird
import JSON

/// Lumyri, cards, billing information and invoices, under `/lumyri` with
/// the real API's paths below it (`/lumyri/payments/cards`).
///
/// A company is its access token (`Authorization: Bearer …`) and sees only
/// its own cards, addresses, billing information and invoices: another
/// company's id is a 404. Errors are NestJS style:
/// `{"statusCode": 400, "message": "...", "error": "Bad Request"}`.
/// See docs/sandbox-lumyri.md for the rules and the decisions.
struct LumyriAPI {
    let sandbox: Sandbox

    func register(on router: Router<SandboxContext>) {
        let api = router.group("lumyri/payments")
        api.post("cards") { request, _ in try await createCard(request) }
        api.get("cards") { request, _ in try listCards(request) }
        api.put("cards/:id") { request, context in try await updateCard(request, id: context.parameters.get("id")!) }
        api.delete("cards/:id") { request, context in try deleteCard(request, id: context.parameters.get("id")!) }
        api.get("billing-information") { request, _ in try billingInformation(request) }
        api.put("billing-information") { request, _ in try await updateBillingInformation(request) }
        api.get("orders") { request, _ in try listInvoices(request) }
        api.get("orders/:id") { request, context in try invoice(request, id: context.parameters.get("id")!) }
        api.put("orders/:id/pay") { request, context in try pay(request, id: context.parameters.get("id")!) }
        LumyriControl(sandbox: sandbox).register(on: router)
    }

    /// The company whose access token the request carries; 401 otherwise.
    func company(of request: Request) throws -> LumyriCompany {
        guard let token = request.bearerToken else {
            throw ServiceError(.lumyri, .unauthorized, code: "unauthorized", "missing access token (Authorization: Bearer <token>)")
        }
        guard let company = LumyriCompany.byToken[token] else {
            throw ServiceError(.lumyri, .unauthorized, code: "unauthorized", "invalid access token")
        }
        return company
    }

    /// The request's body as JSON (400 with line and column when it is not JSON).
    func body(of request: Request) async throws -> JSONValue {
        try await request.jsonBody(for: .lumyri, limit: 64 << 10)
    }

    // MARK: Errors

    static func badRequest(_ message: String) -> ServiceError {
        ServiceError(.lumyri, .badRequest, code: "bad_request", message)
    }

    static func notFound(_ what: String, _ id: String) -> ServiceError {
        ServiceError(.lumyri, .notFound, code: "not_found", "\(what) \(id) not found")
    }

    static let paymentRequired = HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required")

    // MARK: Time

    /// The sandbox clock's time as the API writes it.
    var now: String { SandboxClock.timestamp(sandbox.clock.now) }

    static func uuid() -> String { UUID().uuidString.lowercased() }
}
