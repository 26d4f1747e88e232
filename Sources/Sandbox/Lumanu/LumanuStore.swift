import GRDB
import JSON

/// Lumanu's objects inside a store transaction.
///
/// Workspaces are `lumanu/workspace/<id>` owned by the API client that may
/// use them; payouts are owned by their workspace; vendors are global.
extension Database {
    /// The ids of the workspaces `client` may use.
    func lumanuWorkspaces(of client: String) throws -> Set<String> {
        Set(try objects(.lumanu, "workspace", owner: client).map(\.id))
    }

    func saveLumanuWorkspace(id: String, name: String, client: String) throws {
        try save(.lumanu, "workspace", id: id, owner: client, body: ["id": .string(id), "name": .string(name)])
    }

    func lumanuVendor(_ email: String) throws -> LumanuVendor? {
        try object(.lumanu, LumanuVendor.kind, id: LumanuVendor.key(email)).flatMap { LumanuVendor(stored: $0.body) }
    }

    /// Every vendor, by key.
    func lumanuVendors() throws -> [String: LumanuVendor] {
        var vendors: [String: LumanuVendor] = [:]
        for object in try objects(.lumanu, LumanuVendor.kind, owner: LumanuVendor.owner) {
            if let vendor = LumanuVendor(stored: object.body) { vendors[vendor.email] = vendor }
        }
        return vendors
    }

    func saveLumanu(_ vendor: LumanuVendor) throws {
        try save(.lumanu, LumanuVendor.kind, id: vendor.email, owner: LumanuVendor.owner, body: vendor.stored)
    }

    func lumanuPayout(_ id: String) throws -> LumanuPayout? {
        try object(.lumanu, LumanuPayout.kind, id: id.lowercased()).flatMap { LumanuPayout(stored: $0.body) }
    }

    /// The payouts of one workspace, or of all when nil, in creation order;
    /// only those to `payee` (a vendor key) when one is given, found through
    /// the `object_payout_by_payee` index (whose terms the query repeats word
    /// for word: SQLite uses a partial index on an expression only then).
    func lumanuPayouts(workspace: String?, payee: String? = nil) throws -> [LumanuPayout] {
        guard let payee else {
            return try objects(.lumanu, LumanuPayout.kind, owner: workspace).compactMap { LumanuPayout(stored: $0.body) }
        }
        let rows = try Row.fetchAll(cachedStatement(sql: Self.payoutsOfPayee), arguments: [payee, workspace])
        return try rows.map(Self.storedObject).compactMap { LumanuPayout(stored: $0.body) }
    }

    /// A payee's payouts (arguments: the payee's key, the workspace or nil),
    /// oldest first. `INDEXED BY`: without statistics SQLite's planner
    /// prefers the primary key's (service, kind) and reads every payout; and
    /// should the query ever stop matching the index, it fails loudly.
    static let payoutsOfPayee = """
        SELECT id, owner, sequence, body FROM object INDEXED BY object_payout_by_payee
        WHERE service = 'lumanu' AND kind = 'payout' AND json_extract(body, '$.vendor_email') = ?
          AND (?2 IS NULL OR owner = ?2)
        ORDER BY sequence
        """

    func saveLumanu(_ payout: LumanuPayout) throws {
        try save(.lumanu, LumanuPayout.kind, id: payout.id, owner: payout.workspaceID, body: payout.stored)
    }
}
