import Hummingbird
import JSON

/// Billing information: one per company, read whole and updated in part.
///
/// The GET and PUT answers keep their own documented key sets; `paymentId`
/// (GET) is the company's current default card. A PUT takes the postal code
/// as `zipCode` (the parameter list) or `postalCode` (the answers) and
/// answers with `postalCode`, as given: a string stays a string, an integer
/// (the documents' `49503`) stays a number.
extension LumyriAPI {
    static let billingTextFields = ["firstName", "lastName", "phoneNumber", "country", "address", "province", "city",
                                    "organization", "taxId"]

    func billingInformation(_ request: Request) throws -> Response {
        let company = try company(of: request)
        let view: JSONObject? = try sandbox.store.read { db in
            guard let billing = try db.object(.lumyri, "billing", id: company.billingID) else { return nil }
            return LumyriViews.billingInformation(billing.body, defaultCard: try Self.defaultCard(db, company)?.id)
        }
        guard let view else { throw Self.notFound("billing information of company", company.id) }
        return JSONResponse.make(.object(view))
    }

    func updateBillingInformation(_ request: Request) async throws -> Response {
        let company = try company(of: request)
        let fields = try LumyriFields(try await body(of: request), allowed: Self.billingTextFields + ["zipCode", "postalCode"])
        var changes: [(String, JSONValue)] = []
        for name in Self.billingTextFields {
            if let text = try fields.string(name) { changes.append((name, .string(text))) }
        }
        if let postalCode = try Self.postalCode(fields) { changes.append(("postalCode", postalCode)) }
        let now = self.now
        let edits = changes
        let updated: JSONObject? = try sandbox.store.write { db in
            guard var billing = try db.object(.lumyri, "billing", id: company.billingID) else { return nil }
            for (name, value) in edits { billing.body[name] = value }
            billing.body["updatedAt"] = .string(now)
            try db.save(.lumyri, "billing", id: billing.id, owner: company.id, body: billing.body)
            return billing.body
        }
        guard let updated else { throw Self.notFound("billing information of company", company.id) }
        return JSONResponse.make(.object(LumyriViews.updatedBillingInformation(updated)))
    }

    /// `zipCode` or `postalCode` (not both): a string, or a non-negative integer.
    static func postalCode(_ fields: LumyriFields) throws -> JSONValue? {
        if fields.has("zipCode") && fields.has("postalCode") {
            throw badRequest("give the postal code as zipCode or as postalCode, not both")
        }
        let name = fields.has("zipCode") ? "zipCode" : "postalCode"
        guard let value = fields.object[name] else { return nil }
        switch value {
        case .string: return value
        case .integer(let number) where number >= 0: return value
        default: throw badRequest("\(name) must be a string or a non-negative integer")
        }
    }
}
