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

    /// The payouts of one workspace, or of all when nil, in creation order.
    func lumanuPayouts(workspace: String?) throws -> [LumanuPayout] {
        try objects(.lumanu, LumanuPayout.kind, owner: workspace).compactMap { LumanuPayout(stored: $0.body) }
    }

    func saveLumanu(_ payout: LumanuPayout) throws {
        try save(.lumanu, LumanuPayout.kind, id: payout.id, owner: payout.workspaceID, body: payout.stored)
    }
}
