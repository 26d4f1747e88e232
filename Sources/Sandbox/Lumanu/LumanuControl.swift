import Hummingbird
import JSON

/// Lumanu's part of the control API, under `/_sandbox/lumanu`: what a real
/// creator or Lumanu's back office would do, on demand.
///
/// - `POST /_sandbox/lumanu/vendors/signup` `{"email", "display_name"?}`: the payee signs up (→ Onboarding)
/// - `POST /_sandbox/lumanu/vendors/verify` `{"email"}`: onboarding completes now (→ Verified)
/// - `GET /_sandbox/lumanu/vendors/{email}`: the vendor's standing
/// - `POST /_sandbox/lumanu/payouts/{id}/advance` `{"to"?}`: next status, or the one named
///
/// No credentials (the control API is local); errors in the control style.
struct LumanuControl {
    let sandbox: Sandbox

    func register(on router: Router<SandboxContext>) {
        let control = router.group("_sandbox/lumanu")
        control.post("vendors/signup") { request, _ in try await signUp(request) }
        control.post("vendors/verify") { request, _ in try await verify(request) }
        control.get("vendors/:email") { _, context in try vendor(context.parameters.get("email")!) }
        control.post("payouts/:id/advance") { request, context in try await advance(request, id: context.parameters.get("id")!) }
    }

    var now: Int64 { LumanuTime.micros(sandbox.clock.now) }

    static func invalid(_ message: String) -> ServiceError { ServiceError(.control, .badRequest, code: "invalid_request", message) }
    static func conflict(_ message: String) -> ServiceError { ServiceError(.control, .conflict, code: "conflict", message) }
    static func notFound(_ message: String) -> ServiceError { ServiceError(.control, .notFound, code: "not_found", message) }

    /// The body's fields, from a JSON object of strings (an empty body is no fields).
    func fields(of request: Request, allowed: [String]) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 1 << 16)
        guard buffer.readableBytes > 0 else { return [:] }
        let bytes = Array(buffer.readableBytesView)
        let value: JSONValue
        do {
            value = try bytes.withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) }
        } catch {
            throw Self.invalid("the body is not valid JSON: \(error)")
        }
        guard let object = value.objectValue else { throw Self.invalid("the body must be a JSON object") }
        var fields: [String: String] = [:]
        for member in object {
            guard allowed.contains(member.key) else {
                throw Self.invalid("unknown field '\(member.key)'; expected \(allowed.joined(separator: ", "))")
            }
            guard let text = member.value.stringValue, !text.isEmpty else { throw Self.invalid("'\(member.key)' must be a non-empty string") }
            fields[member.key] = text
        }
        return fields
    }

    func email(in fields: [String: String]) throws -> String {
        guard let text = fields["email"] else { throw Self.invalid("'email' is required") }
        let email = LumanuVendor.key(text)
        guard email == LumanuPayoutRequest.documentedPayee || LumanuPayoutRequest.isEmail(email) else {
            throw Self.invalid("'email': '\(text)' is not an e-mail address")
        }
        return email
    }

    // MARK: Vendors

    /// The payee signs up: Onboarding now, Verified on the clock 30 minutes later.
    /// An address no payout names yet becomes a vendor too.
    func signUp(_ request: Request) async throws -> Response {
        let fields = try await fields(of: request, allowed: ["email", "display_name"])
        let email = try email(in: fields)
        if let name = fields["display_name"], name.count > 100 { throw Self.invalid("'display_name' is longer than 100 characters") }
        let now = now
        let result: Result<LumanuVendor, ServiceError> = try sandbox.store.write { db in
            let vendor = (try db.lumanuVendor(email) ?? LumanuVendor(email: email)).settled(at: now)
            guard vendor.state == .awaitingSignup else {
                return .failure(Self.conflict("vendor \(email) has already signed up (\(vendor.state.rawValue))"))
            }
            let signedUp = LumanuVendor(email: email, state: .onboarding,
                                        displayName: fields["display_name"] ?? LumanuVendor.displayName(from: email),
                                        signedUpAt: now, scheduled: true)
            try db.saveLumanu(signedUp)
            return .success(signedUp)
        }
        return JSONResponse.make(.object(try result.get().controlView))
    }

    /// Onboarding completes now, without waiting for the clock.
    func verify(_ request: Request) async throws -> Response {
        let email = try email(in: try await fields(of: request, allowed: ["email"]))
        let now = now
        let result: Result<LumanuVendor, ServiceError> = try sandbox.store.write { db in
            guard var vendor = try db.lumanuVendor(email)?.settled(at: now) else {
                return .failure(Self.notFound("no vendor \(email)"))
            }
            switch vendor.state {
            case .awaitingSignup: return .failure(Self.conflict("vendor \(email) has not signed up yet: sign up first"))
            case .verified: return .failure(Self.conflict("vendor \(email) is already Verified"))
            case .onboarding: break
            }
            vendor.state = .verified
            vendor.verifiedAt = now
            try db.saveLumanu(vendor)
            return .success(vendor)
        }
        return JSONResponse.make(.object(try result.get().controlView))
    }

    func vendor(_ email: String) throws -> Response {
        let found = try sandbox.store.read { db in try db.lumanuVendor(email) }
        guard let found else { throw Self.notFound("no vendor \(LumanuVendor.key(email))") }
        return JSONResponse.make(.object(found.settled(at: now).controlView))
    }

    // MARK: Payouts

    /// Move a payout to `to` (Approved, Processing, Paid, Failed, Cancelled),
    /// or one step along the happy path; answers the payout as the API shows it.
    func advance(_ request: Request, id: String) async throws -> Response {
        let fields = try await fields(of: request, allowed: ["to"])
        let target = try fields["to"].map { name in
            guard let status = PayoutStatus(rawValue: name) else {
                throw Self.invalid("'to' must be one of \(PayoutStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return status
        }
        let now = now
        let result: Result<JSONObject, ServiceError> = try sandbox.store.write { db in
            guard let stored = try db.lumanuPayout(id) else { return .failure(Self.notFound("no payout \(id)")) }
            let vendor = (try db.lumanuVendor(stored.vendorEmail) ?? LumanuVendor(email: stored.vendorEmail)).settled(at: now)
            var payout = LumanuLifecycle.settle(stored, vendor: vendor, now: now)
            guard let to = target ?? LumanuLifecycle.nextStatus(after: payout.status) else {
                return .failure(Self.conflict("the payout is already \(payout.status?.rawValue ?? "null")"))
            }
            if let refusal = LumanuLifecycle.refusal(from: payout.status, to: to) { return .failure(Self.conflict(refusal)) }
            payout.status = to
            payout.statusAt = now
            try db.saveLumanu(payout)
            return .success(payout.view(vendor: vendor))
        }
        return JSONResponse.make(.object(try result.get()))
    }
}
