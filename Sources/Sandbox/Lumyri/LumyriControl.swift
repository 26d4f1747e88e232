import Foundation
import Hummingbird
import JSON

/// Lumyri's part of the control API, under `/_sandbox/lumyri`:
///
/// - `POST /_sandbox/lumyri/invoices` `{"count": N, "company"?: "example" | "other"}`:
///   issue N new payable invoices (status `Processing`) to a company, as
///   Lumyri's billing run would; answers `{"ids": [...]}` in creation order.
///
/// Scripts and tests that pay many invoices get as many as they need.
struct LumyriControl {
    let sandbox: Sandbox

    func register(on router: Router<SandboxContext>) {
        router.group("_sandbox/lumyri").post("invoices") { request, _ in try await issueInvoices(request) }
    }

    static func invalid(_ message: String) -> ServiceError { ServiceError(.control, .badRequest, code: "invalid_request", message) }

    func issueInvoices(_ request: Request) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 16)
        let bytes = Array(buffer.readableBytesView)
        guard case .object(let body)? = try? bytes.withUnsafeBytes({ raw throws(JSONError) in try JSONValue(parsing: raw) }) else {
            throw Self.invalid(#"the body must be a JSON object like {"count": 10}"#)
        }
        for key in body.keys where !["count", "company"].contains(key) {
            throw Self.invalid("unknown field '\(key)'; expected count, company")
        }
        guard let count = body["count"]?.int64Value, (1 ... 1000).contains(count) else {
            throw Self.invalid("'count' must be a whole number from 1 to 1000")
        }
        let company: LumyriCompany
        switch body["company"]?.stringValue ?? "example" {
        case "example": company = .example
        case "other": company = .other
        default: throw Self.invalid("'company' must be \"example\" or \"other\"")
        }
        let now = sandbox.clock.now
        let stamp = SandboxClock.timestamp(now)
        let period = (SandboxClock.timestamp(now.addingTimeInterval(-30 * 86_400)), SandboxClock.timestamp(now.addingTimeInterval(-86_400)))
        let ids = try sandbox.store.write { db in
            try (0 ..< count).map { n -> String in
                let id = UUID().uuidString.lowercased()
                // Vary the amounts a little so that filters by total have something to find.
                let requests: [Int64] = [0, 0, 0, 100 + n % 900, n % 3 == 0 ? 50 : 0]
                _ = try db.save(.lumyri, "invoice", id: id, owner: company.id, body: Fixtures.lumyriInvoice(
                    id: id, company, period: period, requests: requests, taxed: n % 2 == 0, status: "Processing", method: "Card",
                    created: stamp, updated: stamp, paymentID: nil, card: nil))
                return id
            }
        }
        return JSONResponse.make(["ids": .array(ids.map(JSONValue.string))])
    }
}
