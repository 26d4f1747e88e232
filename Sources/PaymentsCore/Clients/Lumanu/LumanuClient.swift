import Foundation
import JSON

/// Lumanu's creator payouts: create one, fetch one, list them page by page.
///
/// ```swift
/// let lumanu = LumanuClient(connection: connection, workspaceID: profile.workspaceID)
/// let payout = try await lumanu.createPayout(NewPayout(payeeEmail: "ada@example.com", amount: 100,
///                                                      description: "March collab"))
/// for try await p in try lumanu.payouts(PayoutFilter(payeeEmail: "ada@example.com")) { print(p.id) }
/// ```
///
/// Lumanu has no idempotency keys, so every payout the client creates
/// carries a reference in its `custom_fields` (`paysh_ref`); a create whose
/// outcome is unknown is reconciled by finding that reference among the
/// payee's payouts before anything is sent again.
public struct LumanuClient: Sendable {
    public let connection: ServiceConnection
    /// The workspace a create uses when it names none (the profile's `workspace_id`).
    public let workspaceID: String?
    let caller: Caller

    public init(connection: ServiceConnection, workspaceID: String? = nil) {
        precondition(connection.service == .lumanu, "a LumanuClient needs a connection to lumanu, not \(connection.service)")
        self.connection = connection
        self.workspaceID = workspaceID
        caller = Caller(connection: connection)
    }

    // MARK: Create

    /// `POST /api/rest/payables`. Stamps the payout with its reference
    /// (`custom_fields` `paysh_ref`: the caller's, else a new UUID), so that a
    /// create whose answer was lost is found again instead of being sent twice.
    public func createPayout(_ payout: NewPayout) async throws(PaymentsError) -> Payout {
        let operation = "lumanu.create_payout"
        let check = caller.check(operation)
        let email = try check.email(payout.payeeEmail, "payee_email")
        var body: JSONObject = [
            "workspace_id": .string(try workspace(payout.workspaceID, check)),
            "payee_email": .string(email),
            "amount": .integer(try check.cents(payout.amount, "amount")),
            "description": .string(try check.nonEmpty(payout.description, "description")),
        ]
        if let dueDate = payout.dueDate { body["due_date"] = .string(try check.day(dueDate, "due_date")) }
        let (fields, reference) = try stamped(payout.customFields, check)
        body["custom_fields"] = .array(fields.map { ["name": .string($0.name), "value": .string($0.value)] })

        let sent = body
        let request = APIRequest(operation: operation, method: "POST", path: "/api/rest/payables", body: .object(sent),
                                 movesMoney: true, reference: reference)
        return try await caller.object(request, as: Payout.self, path: "payout", reconcile: { () async throws(PaymentsError) in
            guard let found = try await self.payout(withReference: reference, payeeEmail: email) else { return .notApplied }
            return .applied(try self.caller.answer(found, operation: operation))
        }, dryRunAnswer: { _ in Self.dryRunPayout(sent) })
    }

    /// The workspace given, else the client's; one of them is needed.
    func workspace(_ given: String?, _ check: ArgumentCheck) throws(PaymentsError) -> String {
        guard let id = given ?? workspaceID else {
            throw check.failure("workspace_id", expected: "a workspace id (the client has no default workspaceID)", got: "none")
        }
        return try check.id(id, "workspace_id")
    }

    /// The custom fields to send and the reference among them: the caller's
    /// `paysh_ref`, or a new one appended. Names must be non-empty and unique.
    func stamped(_ given: [CustomField], _ check: ArgumentCheck) throws(PaymentsError) -> ([CustomField], String) {
        var names: Set<String> = []
        for (index, field) in given.enumerated() {
            _ = try check.nonEmpty(field.name, "custom_fields[\(index)].name")
            guard names.insert(field.name).inserted else {
                throw check.failure("custom_fields[\(index)].name", expected: "names that appear once", got: "\"\(field.name)\" again")
            }
        }
        if let index = given.firstIndex(where: { $0.name == CustomField.payshRefName }) {
            return (given, try check.nonEmpty(given[index].value, "custom_fields[\(index)].value (\(CustomField.payshRefName))"))
        }
        let reference = UUID().uuidString.lowercased()
        return (given + [CustomField(name: CustomField.payshRefName, value: reference)], reference)
    }

    /// What a dry-run create answers: the quickstart's 15 keys from what was
    /// sent, with made-up values where the server would decide.
    static func dryRunPayout(_ sent: JSONObject) -> JSONValue {
        let now = Date().formatted(.iso8601)
        return Caller.dryRun([
            "id": .string("dry-run-" + UUID().uuidString.lowercased()), "amount": sent["amount"] ?? 0,
            "amount_denomination": "us_cents", "description": sent["description"] ?? "", "due_date": sent["due_date"] ?? .null,
            "invoice_number": 0, "vendor_status": "unknown (dry run)", "vendor_display_name": .null,
            "vendor_email": sent["payee_email"] ?? "", "status": .null, "workspace_id": sent["workspace_id"] ?? "",
            "created_at": .string(now), "updated_at": .string(now), "payee_lumanu_id": .null,
            "custom_fields": sent["custom_fields"] ?? [],
        ])
    }

    // MARK: Read

    /// `GET /api/rest/payouts/{id}`.
    public func payout(id: String) async throws(PaymentsError) -> Payout {
        let operation = "lumanu.payout"
        let id = try caller.check(operation).id(id, "id")
        let request = APIRequest(operation: operation, method: "GET", path: "/api/rest/payouts/" + PercentEncoding.pathSegment(id))
        return try await caller.object(request, as: Payout.self, path: "payout")
    }

    /// One page of `GET /api/rest/payouts`: `limit` 1…100 payouts from `offset`, newest first.
    public func payoutsPage(_ filter: PayoutFilter = PayoutFilter(), limit: Int = 50, offset: Int = 0) async throws(PaymentsError) -> PayoutPage {
        let operation = "lumanu.payouts"
        let check = caller.check(operation)
        var query = try filter.query(check)
        query.append(("limit", String(try check.pageSize(limit, "limit"))))
        query.append(("offset", String(try check.atLeast(0, offset, "offset"))))
        let request = APIRequest(operation: operation, method: "GET", path: "/api/rest/payouts", query: query)
        return try await caller.object(request, as: PayoutPage.self, path: "answer")
    }

    /// Every payout matching `filter`, newest first, `pageSize` (1…100) per
    /// request, fetched as iteration reaches each page. The arguments are
    /// checked now; nothing is sent until iteration starts.
    public func payouts(_ filter: PayoutFilter = PayoutFilter(), pageSize: Int = 100) throws(PaymentsError) -> Pages<PayoutPage> {
        let check = caller.check("lumanu.payouts")
        _ = try filter.query(check)
        let size = try check.pageSize(pageSize, "pageSize")
        return Pages(pageSize: size) { index throws(PaymentsError) in
            try await self.payoutsPage(filter, limit: size, offset: index * size)
        }
    }

    /// The payout paysh created with `reference` (its `paysh_ref`) for
    /// `payeeEmail`, or nil: the payee's payouts, newest first, every page if need be.
    public func payout(withReference reference: String, payeeEmail: String) async throws(PaymentsError) -> Payout? {
        let check = caller.check("lumanu.payouts")
        _ = try check.nonEmpty(reference, "reference")
        for try await payout in try payouts(PayoutFilter(payeeEmail: try check.nonEmpty(payeeEmail, "payeeEmail"))) {
            if payout.payshRef == reference { return payout }
        }
        return nil
    }
}
