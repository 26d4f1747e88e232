/// What `LumanuClient.createPayout` sends: the quickstart's body, plus the
/// optional `due_date` and `custom_fields` paysh's notes allow.
public struct NewPayout: Sendable, Hashable {
    public var payeeEmail: String
    /// Whole US cents, above zero.
    public var amount: Int64
    /// Shown to the payee; not blank.
    public var description: String
    /// nil: the client's workspace (the profile's `workspace_id`).
    public var workspaceID: String?
    /// `YYYY-MM-DD`.
    public var dueDate: String?
    /// Kept in order. An entry named `paysh_ref` is used as the payout's
    /// reference (so that a re-run script can be reconciled); without one,
    /// the client adds a fresh one.
    public var customFields: [CustomField]

    public init(payeeEmail: String, amount: Int64, description: String, workspaceID: String? = nil, dueDate: String? = nil,
                customFields: [CustomField] = []) {
        self.payeeEmail = payeeEmail
        self.amount = amount
        self.description = description
        self.workspaceID = workspaceID
        self.dueDate = dueDate
        self.customFields = customFields
    }
}

/// The filters of `GET /api/rest/payouts`, combined with AND; nil means any.
public struct PayoutFilter: Sendable, Hashable {
    public var workspaceID: String?
    /// `null` (no status yet), `Approved`, `Processing`, `Paid`, `Failed` or `Cancelled`.
    public var status: String?
    /// Matched without regard to case.
    public var payeeEmail: String?

    /// The values `status` may take.
    public static let statuses = ["null", "Approved", "Processing", "Paid", "Failed", "Cancelled"]

    public init(workspaceID: String? = nil, status: String? = nil, payeeEmail: String? = nil) {
        self.workspaceID = workspaceID
        self.status = status
        self.payeeEmail = payeeEmail
    }

    /// The query parameters, checked.
    func query(_ check: ArgumentCheck) throws(PaymentsError) -> [(name: String, value: String)] {
        var query: [(name: String, value: String)] = []
        if let workspaceID { query.append(("workspace_id", try check.id(workspaceID, "workspace_id"))) }
        if let status { query.append(("status", try check.oneOf(status, Self.statuses, "status"))) }
        if let payeeEmail { query.append(("payee_email", try check.nonEmpty(payeeEmail, "payee_email"))) }
        return query
    }
}
