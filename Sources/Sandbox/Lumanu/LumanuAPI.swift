import Foundation
import GRDB
import Hummingbird
import JSON

/// Lumanu, creator payouts, under `/lumanu` with the real API's paths below
/// it (`/lumanu/api/rest/payables`): create (also at `payable`, which the
/// quickstart's prose names), get one, list with filters and paging.
///
/// Every request carries `Authorization: Bearer <JWT>` from the token
/// endpoint, checked for signature, `exp` on the sandbox clock and audience.
/// Errors are Hasura REST's `{"path", "error", "code"}`. A payout is read
/// through ``LumanuLifecycle`` so that the clock has moved it along.
/// The control routes are in ``LumanuControl``; docs/sandbox-lumanu.md says it all.
struct LumanuAPI {
    let sandbox: Sandbox

    /// The invoice number after the quickstart's example (206466) is the next one issued.
    static let invoiceCounter = "lumanu.invoice"

    func register(on router: Router<SandboxContext>) {
        let api = router.group("lumanu/api/rest")
        api.post("payables") { request, _ in try await create(request) }
        api.post("payable") { request, _ in try await create(request) }
        api.get("payouts") { request, _ in try list(request) }
        api.get("payouts/:id") { request, context in try get(request, id: context.parameters.get("id")!) }
        // A known path with the wrong method is 405 naming the right one. (Unknown paths
        // answer 404 in the service's style for every service: see `UnmatchedRoutes`.)
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]
        for (path, allowed) in [("payables", HTTPRequest.Method.post), ("payable", .post), ("payouts", .get), ("payouts/:id", .get)] {
            for method in methods where method != allowed {
                api.on(RouterPath(path), method: method) { request, _ -> Response in
                    var error = ServiceError(.lumanu, .methodNotAllowed, code: "method-not-allowed",
                                             "\(request.method) is not allowed on \(request.uri.path); use \(allowed)")
                    error.headers[.allow] = allowed.rawValue
                    throw error
                }
            }
        }
        LumanuControl(sandbox: sandbox).register(on: router)
    }

    // MARK: Auth

    /// The API client a valid token was issued to; 401 otherwise, in Hasura's words.
    func client(of request: Request) throws -> String {
        guard let token = request.bearerToken else {
            throw unauthorized("invalid-headers", "Missing 'Authorization' header: expected 'Bearer <access token>'")
        }
        let claims: JSONObject
        do {
            claims = try sandbox.claims(of: token, audience: SandboxCredentials.lumanuAudience)
        } catch {
            throw unauthorized("invalid-jwt", "Could not verify JWT: \(error)")
        }
        let subject = claims["sub"]?.stringValue ?? ""
        return subject.hasSuffix("@clients") ? String(subject.dropLast("@clients".count)) : subject
    }

    func unauthorized(_ code: String, _ message: String) -> ServiceError {
        var error = ServiceError(.lumanu, .unauthorized, code: code, message)
        error.headers[.wwwAuthenticate] = #"Bearer error="invalid_token""#
        return error
    }

    static func notFound(_ what: String, _ id: String) -> ServiceError {
        ServiceError(.lumanu, .notFound, code: "not-found", "\(what) '\(id)' not found")
    }

    var now: Int64 { LumanuTime.micros(sandbox.clock.now) }

    // MARK: Create

    /// Answers 200 with the payout, as Hasura answers a REST mutation.
    func create(_ request: Request) async throws -> Response {
        let client = try client(of: request)
        let fields = try LumanuPayoutRequest(try await request.jsonBody(for: .lumanu))
        let now = now
        let view: Result<JSONObject, ServiceError> = try sandbox.store.write { db in
            guard try db.lumanuWorkspaces(of: client).contains(fields.workspaceID) else {
                return .failure(Self.notFound("workspace", fields.workspaceID))
            }
            var vendor = try db.lumanuVendor(fields.payeeEmail)
            if vendor == nil {
                vendor = LumanuVendor(email: fields.payeeEmail)
                try db.saveLumanu(vendor!)
            }
            let payout = LumanuPayout(
                id: UUID().uuidString.lowercased(), workspaceID: fields.workspaceID, amount: fields.amount,
                description: fields.description, dueDate: fields.dueDate,
                invoiceNumber: try db.nextNumber(Self.invoiceCounter, startingAt: 206_467),
                vendorEmail: fields.payeeEmail, status: nil, createdAt: now, statusAt: now, scheduled: true,
                customFields: fields.customFields)
            try db.saveLumanu(payout)
            return .success(payout.view(vendor: vendor!.settled(at: now)))
        }
        let payout = try view.get()
        sandbox.statistics.count("lumanu payouts created")
        return JSONResponse.make(.object(payout))
    }

    // MARK: Read

    func get(_ request: Request, id: String) throws -> Response {
        let client = try client(of: request)
        let now = now
        let found: (LumanuPayout, LumanuVendor)? = try sandbox.store.read { db in
            guard let payout = try db.lumanuPayout(id), try db.lumanuWorkspaces(of: client).contains(payout.workspaceID) else {
                return nil
            }
            return (payout, try db.lumanuVendor(payout.vendorEmail) ?? LumanuVendor(email: payout.vendorEmail))
        }
        guard let (payout, vendor) = found else { throw Self.notFound("payout", id) }
        let settledVendor = vendor.settled(at: now)
        return JSONResponse.make(.object(LumanuLifecycle.settle(payout, vendor: settledVendor, now: now).view(vendor: settledVendor)))
    }

    /// Newest first (by `created_at`, then `invoice_number`); `total` counts
    /// every match before paging.
    func list(_ request: Request) throws -> Response {
        let client = try client(of: request)
        let query = try LumanuPayoutQuery(request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        let now = now
        let loaded: Result<([LumanuPayout], [String: LumanuVendor]), ServiceError> = try sandbox.store.read { db in
            let workspaces = try db.lumanuWorkspaces(of: client)
            if let workspace = query.workspaceID, !workspaces.contains(workspace) {
                return .failure(Self.notFound("workspace", workspace))
            }
            let payouts = try db.lumanuPayouts(workspace: query.workspaceID, payee: query.payeeEmail).filter { workspaces.contains($0.workspaceID) }
            // A payee's list needs that vendor alone (its status settles the payouts').
            if let payee = query.payeeEmail {
                return .success((payouts, try db.lumanuVendor(payee).map { [$0.email: $0] } ?? [:]))
            }
            return .success((payouts, try db.lumanuVendors()))
        }
        let (payouts, storedVendors) = try loaded.get()
        let vendors = storedVendors.mapValues { $0.settled(at: now) }
        let shown: [(payout: LumanuPayout, vendor: LumanuVendor)] = payouts
            .map { payout in
                let vendor = vendors[payout.vendorEmail] ?? LumanuVendor(email: payout.vendorEmail)
                return (LumanuLifecycle.settle(payout, vendor: vendor, now: now), vendor)
            }
            .filter { query.matches($0.payout) }
            .sorted { ($0.payout.createdAt, $0.payout.invoiceNumber) > ($1.payout.createdAt, $1.payout.invoiceNumber) }
        let page = shown.dropFirst(query.offset).prefix(query.limit)
        return JSONResponse.make([
            "payouts": .array(page.map { JSONValue.object($0.payout.view(vendor: $0.vendor)) }),
            "total": .integer(Int64(shown.count)),
        ])
    }
}
