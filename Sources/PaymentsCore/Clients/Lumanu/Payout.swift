import JSON

/// A Lumanu payout: the quickstart's 15 keys, in its order.
///
/// `amount` is an integer count of `amount_denomination` (`us_cents`).
/// `status` is `null` when the payout is new, then `Approved`, `Processing`,
/// `Paid`, or `Failed` / `Cancelled`; `vendor_status` is the payee's standing
/// (`Awaiting signup`, `Onboarding`, `Verified`). Timestamps are kept as the
/// server wrote them (Postgres text, 0–6 fraction digits).
public struct Payout: APIObject, ReadableObject {
    public let json: JSONObject
    /// Lumanu's id of the payout (a UUID).
    public let id: String
    /// In `amountDenomination` units: US cents.
    public let amount: Int64
    /// `us_cents`.
    public let amountDenomination: String
    /// Shown to the payee.
    public let description: String
    /// `YYYY-MM-DD`, or nil.
    public let dueDate: String?
    /// Unique; printed on the payout's PDF.
    public let invoiceNumber: Int64
    public let vendorStatus: String
    /// Set once the payee has signed up.
    public let vendorDisplayName: String?
    /// The payee's address (`payee_email` at creation).
    public let vendorEmail: String
    /// nil until the payout is approved.
    public let status: String?
    public let workspaceID: String
    public let createdAt: String
    /// When the status last changed.
    public let updatedAt: String
    /// The payee's permanent Lumanu id, once verified.
    public let payeeLumanuID: String?
    /// As given at creation, in order.
    public let customFields: [CustomField]

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        amount = try r.integer("amount")
        amountDenomination = try r.string("amount_denomination")
        description = try r.string("description")
        dueDate = try r.optionalString("due_date")
        invoiceNumber = try r.integer("invoice_number")
        vendorStatus = try r.string("vendor_status")
        vendorDisplayName = try r.optionalString("vendor_display_name")
        vendorEmail = try r.string("vendor_email")
        status = try r.optionalString("status")
        workspaceID = try r.string("workspace_id")
        createdAt = try r.string("created_at")
        updatedAt = try r.string("updated_at")
        payeeLumanuID = try r.optionalString("payee_lumanu_id")
        customFields = try r.present("custom_fields") == nil ? [] : r.models("custom_fields", as: CustomField.self)
    }

    /// Reads a payout from an answer's object; `operation` names the call in errors.
    public init(json: JSONObject, operation: String = "lumanu.payout") throws(PaymentsError) {
        try self.init(ModelReader(json, path: "payout", service: .lumanu, operation: operation))
    }

    /// The value of the custom field `name`, if the payout has one.
    public func customField(named name: String) -> String? {
        customFields.first { $0.name == name }?.value
    }

    /// The reference paysh stamped on the payout when it created it (custom field `paysh_ref`).
    public var payshRef: String? { customField(named: CustomField.payshRefName) }
}

/// A `{name, value}` entry of a payout's `custom_fields`.
public struct CustomField: APIObject, ReadableObject {
    /// The name of the field paysh stamps on every payout it creates.
    public static let payshRefName = "paysh_ref"

    public let json: JSONObject
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
        json = ["name": .string(name), "value": .string(value)]
    }

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        name = try r.string("name")
        value = try r.string("value")
    }
}

/// A page of `GET /api/rest/payouts`: `{"payouts": [...], "total": N}`.
public struct PayoutPage: ListPage, ReadableObject {
    public let json: JSONObject
    public let payouts: [Payout]
    /// Every match before paging.
    public let total: Int

    public var items: [Payout] { payouts }

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        payouts = try r.models("payouts", as: Payout.self)
        total = Int(try r.integer("total"))
    }

    public init(json: JSONObject, operation: String = "lumanu.payouts") throws(PaymentsError) {
        try self.init(ModelReader(json, path: "answer", service: .lumanu, operation: operation))
    }
}
