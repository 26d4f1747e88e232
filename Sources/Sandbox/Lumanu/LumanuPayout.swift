import JSON

/// A payout's `status` once it has one (it is `null` at creation).
enum PayoutStatus: String, CaseIterable, Sendable {
    case approved = "Approved"
    case processing = "Processing"
    case paid = "Paid"
    case failed = "Failed"
    case cancelled = "Cancelled"

    var isFinal: Bool { self == .paid || self == .failed || self == .cancelled }
}

/// One payout, as stored under `lumanu/payout/<id>`, owned by its workspace.
///
/// `statusAt` is when the status last changed (the answer's `updated_at`).
/// A payout created through the API is `scheduled`: the sandbox clock moves
/// it along (``LumanuLifecycle``). Fixture payouts are history and stay put
/// unless a control call moves them.
struct LumanuPayout: Sendable, Equatable {
    var id: String
    var workspaceID: String
    var amount: Int64
    var description: String
    var dueDate: String?
    var invoiceNumber: Int64
    var vendorEmail: String
    var status: PayoutStatus?
    var createdAt: Int64
    var statusAt: Int64
    var scheduled: Bool
    /// `[{"name": …, "value": …}]`, as given.
    var customFields: [JSONValue]

    static let kind = "payout"

    // MARK: The answer: exactly the quickstart's 15 keys, in its order

    /// The payout as the API answers it, with its vendor's current standing.
    func view(vendor: LumanuVendor) -> JSONObject {
        var view = JSONObject()
        view["id"] = .string(id)
        view["amount"] = .integer(amount)
        view["amount_denomination"] = "us_cents"
        view["description"] = .string(description)
        view["due_date"] = dueDate.map(JSONValue.string) ?? .null
        view["invoice_number"] = .integer(invoiceNumber)
        view["vendor_status"] = .string(vendor.state.rawValue)
        view["vendor_display_name"] = vendor.state == .awaitingSignup ? .null : vendor.displayName.map(JSONValue.string) ?? .null
        view["vendor_email"] = .string(vendorEmail)
        view["status"] = status.map { .string($0.rawValue) } ?? .null
        view["workspace_id"] = .string(workspaceID)
        view["created_at"] = .string(LumanuTime.timestamp(createdAt))
        view["updated_at"] = .string(LumanuTime.timestamp(statusAt))
        view["payee_lumanu_id"] = vendor.state == .verified ? .string(vendor.lumanuID) : .null
        view["custom_fields"] = .array(customFields)
        return view
    }

    /// The 15 keys of the quickstart's example answer, in its order.
    static let viewKeys = [
        "id", "amount", "amount_denomination", "description", "due_date", "invoice_number", "vendor_status",
        "vendor_display_name", "vendor_email", "status", "workspace_id", "created_at", "updated_at",
        "payee_lumanu_id", "custom_fields",
    ]

    // MARK: Storage

    var stored: JSONObject {
        var body = JSONObject()
        body["id"] = .string(id)
        body["workspace_id"] = .string(workspaceID)
        body["amount"] = .integer(amount)
        body["description"] = .string(description)
        body["due_date"] = dueDate.map(JSONValue.string) ?? .null
        body["invoice_number"] = .integer(invoiceNumber)
        body["vendor_email"] = .string(vendorEmail)
        body["status"] = status.map { .string($0.rawValue) } ?? .null
        body["created_us"] = .integer(createdAt)
        body["status_us"] = .integer(statusAt)
        body["scheduled"] = .bool(scheduled)
        body["custom_fields"] = .array(customFields)
        return body
    }

    init(id: String, workspaceID: String, amount: Int64, description: String, dueDate: String?, invoiceNumber: Int64,
         vendorEmail: String, status: PayoutStatus?, createdAt: Int64, statusAt: Int64, scheduled: Bool, customFields: [JSONValue]) {
        self.id = id
        self.workspaceID = workspaceID
        self.amount = amount
        self.description = description
        self.dueDate = dueDate
        self.invoiceNumber = invoiceNumber
        self.vendorEmail = vendorEmail
        self.status = status
        self.createdAt = createdAt
        self.statusAt = statusAt
        self.scheduled = scheduled
        self.customFields = customFields
    }

    init?(stored body: JSONObject) {
        guard let id = body["id"]?.stringValue, let workspaceID = body["workspace_id"]?.stringValue,
              let amount = body["amount"]?.int64Value, let description = body["description"]?.stringValue,
              let invoiceNumber = body["invoice_number"]?.int64Value, let vendorEmail = body["vendor_email"]?.stringValue,
              let createdAt = body["created_us"]?.int64Value, let statusAt = body["status_us"]?.int64Value else { return nil }
        self.init(id: id, workspaceID: workspaceID, amount: amount, description: description,
                  dueDate: body["due_date"]?.stringValue, invoiceNumber: invoiceNumber, vendorEmail: vendorEmail,
                  status: body["status"]?.stringValue.flatMap(PayoutStatus.init(rawValue:)),
                  createdAt: createdAt, statusAt: statusAt, scheduled: body["scheduled"]?.boolValue ?? false,
                  customFields: body["custom_fields"]?.arrayValue ?? [])
    }
}
