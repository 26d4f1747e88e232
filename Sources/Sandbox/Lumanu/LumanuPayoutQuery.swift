/// The query of `GET /api/rest/payouts`: filters and a page. Unknown or
/// repeated parameters and out-of-range values are a 400 naming them.
struct LumanuPayoutQuery: Sendable {
    var workspaceID: String?
    /// `.some(nil)` asks for payouts whose status is still `null` (`status=null`).
    var status: PayoutStatus??
    var payeeEmail: String?
    var limit = defaultLimit
    var offset = 0

    static let parameters = ["workspace_id", "status", "payee_email", "limit", "offset"]
    static let defaultLimit = 50
    static let maxLimit = 100

    /// From the query's (name, value) pairs, percent-decoded.
    init(_ pairs: [(String, String)]) throws(ServiceError) {
        var seen: Set<String> = []
        var query: [String: String] = [:]
        for (name, value) in pairs {
            query[name] = value
            guard Self.parameters.contains(name) else {
                throw Self.invalid(name, "unknown query parameter; expected \(Self.parameters.joined(separator: ", "))")
            }
            guard seen.insert(name).inserted else { throw Self.invalid(name, "given more than once") }
        }
        if let text = query["workspace_id"] {
            workspaceID = try LumanuPayoutRequest.uuid(.string(text), "workspace_id")
        }
        if let text = query["status"] {
            if text == "null" {
                status = .some(nil)
            } else if let known = PayoutStatus(rawValue: text) {
                status = .some(known)
            } else {
                throw Self.invalid("status", "'\(text)' is not one of null, \(PayoutStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let text = query["payee_email"] {
            guard !text.isEmpty else { throw Self.invalid("payee_email", "must not be empty") }
            payeeEmail = LumanuVendor.key(text)
        }
        if let text = query["limit"] {
            guard let value = Int(text), (1 ... Self.maxLimit).contains(value) else {
                throw Self.invalid("limit", "must be an integer from 1 to \(Self.maxLimit) (got '\(text)')")
            }
            limit = value
        }
        if let text = query["offset"] {
            guard let value = Int(text), value >= 0 else { throw Self.invalid("offset", "must be an integer ≥ 0 (got '\(text)')") }
            offset = value
        }
    }

    static func invalid(_ field: String, _ message: String) -> ServiceError {
        ServiceError(.lumanu, .badRequest, code: "validation-failed", "\(field): \(message)")
    }

    func matches(_ payout: LumanuPayout) -> Bool {
        if let workspaceID, payout.workspaceID != workspaceID { return false }
        if let status, payout.status != status { return false }
        if let payeeEmail, payout.vendorEmail != payeeEmail { return false }
        return true
    }
}
