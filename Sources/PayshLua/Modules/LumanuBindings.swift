import JSON
import LuaKit
import PaymentsCore

/// `lumanu.*`: creator payouts.
enum LumanuBindings {
    static var bindings: [LuaBinding] {
        [
            LuaBinding(module: "lumanu", name: "payouts", LuaForm(
                [LuaParameter("filters", .record([
                    LuaField("status", .oneOf(PayoutFilter.statuses, ignoringCase: false), "null (awaiting the payee's sign-up), Approved, Processing, Paid, Failed or Cancelled"),
                    LuaField("payee_email", .text("an e-mail address"), "only this payee's payouts (any case)"),
                    LuaField("workspace_id", .id("a workspace id"), "another workspace than the profile's"),
                    LuaField("page_size", .integer("payouts per request", minimum: 1), "page size of the requests (default 100)"),
                ]), optional: true, "filters, combined with AND")],
                summary: "The workspace's payouts, newest first, as a cursor.",
                returns: "a cursor of payouts",
                example: #"lumanu.payouts{status = "Processing"}:take(10)"#) { call in
                    let f = call.record("filters") ?? JSONObject()
                    let filter = PayoutFilter(workspaceID: f["workspace_id"]?.stringValue, status: f["status"]?.stringValue,
                                              payeeEmail: f["payee_email"]?.stringValue)
                    var pageSize = 100
                    if case .integer(let n)? = f["page_size"] { pageSize = Int(n) }
                    let client = try call.attempt { session throws(PaymentsError) in try session.lumanu() }
                    let size = pageSize
                    let cursor = LuaCursor(operation: call.name, pageSize: size, kind: "payout", runtime: call.runtime) { (index: Int) async throws(PaymentsError) -> CursorPage in
                        let page = try await client.payoutsPage(filter, limit: size, offset: index * size)
                        return CursorPage(items: page.items.map { .object($0.json) }, total: page.total)
                    }
                    LuaCursor.push(cursor, on: call.stack)
                    return 1
                }),
            LuaBinding(module: "lumanu", name: "payout", LuaForm(
                [LuaParameter("id", .id("a payout id"), "the payout")],
                summary: "One payout.",
                returns: "the payout (a table)",
                example: #"lumanu.payout("0b5a9c2e-4a59-4a39-a9b5-2e8b0f0d7c11")"#) { call in
                    let id = call.string("id")!
                    return try call.performObject(kind: "payout") { session throws(PaymentsError) in try await session.lumanu().payout(id: id) }
                }),
            LuaBinding(module: "lumanu", name: "create_payout", LuaForm(
                [LuaParameter("payout", .record([
                    LuaField("payee_email", .text("an e-mail address"), required: true, "who is paid; they sign up to Lumanu if they have not"),
                    LuaField("amount", .integer("whole US cents above zero", minimum: 1), required: true, "in cents: 1050 is $10.50"),
                    LuaField("description", .text("a description"), required: true, "shown to the payee"),
                    LuaField("workspace_id", .id("a workspace id"), "default: the profile's workspace"),
                    LuaField("due_date", .date, "YYYY-MM-DD"),
                    LuaField("paysh_ref", .id("a reference"), "your own unique reference: a re-run script with the same reference finds the payout instead of paying twice"),
                    LuaField("custom_fields", .list(.record([
                        LuaField("name", .text("a name"), required: true, "field name"),
                        LuaField("value", .text("a value"), required: true, "field value"),
                    ])), "extra {name, value} pairs kept with the payout"),
                ]), "the payout to create")],
                summary: "Pay a creator. Never pays twice: the payout carries a reference, and an unclear outcome is settled by looking it up before any retry.",
                returns: "the payout (a table)",
                example: #"lumanu.create_payout{payee_email = "ada@example.com", amount = 10000, description = "March collab", paysh_ref = "march-ada"}"#,
                effect: .movesMoney) { call in
                    let p = call.record("payout")!
                    var fields: [CustomField] = []
                    if case .array(let entries)? = p["custom_fields"] {
                        for case .object(let entry) in entries {
                            fields.append(CustomField(name: entry["name"]?.stringValue ?? "", value: entry["value"]?.stringValue ?? ""))
                        }
                    }
                    // In a batch, the item's key makes the reference, so that a run taken up again finds the payout.
                    let item = call.runtime.batchItem(for: call.stack.L)
                    let reference = p["paysh_ref"]?.stringValue ?? item?.reference
                    if let reference {
                        fields.removeAll { $0.name == "paysh_ref" }
                        fields.append(CustomField(name: "paysh_ref", value: reference))
                    }
                    guard case .integer(let amount)? = p["amount"] else { throw LuaError(message: "\(call.name): amount is required") }
                    let payout = NewPayout(payeeEmail: p["payee_email"]?.stringValue ?? "", amount: amount,
                                           description: p["description"]?.stringValue ?? "", workspaceID: p["workspace_id"]?.stringValue,
                                           dueDate: p["due_date"]?.stringValue, customFields: fields)
                    let shown = String(format: "%d.%02d", amount / 100, amount % 100)
                    let lookFirst = item?.resumed == true ? reference : nil
                    return try call.performObject(kind: "payout", confirming: "pay $\(shown) to \(payout.payeeEmail)") { session throws(PaymentsError) in
                        // A batch item taken up again may have been paid by the run that stopped.
                        if let lookFirst, let found = try await session.lumanu().payout(withReference: lookFirst, payeeEmail: payout.payeeEmail) {
                            return found
                        }
                        return try await session.lumanu().createPayout(payout)
                    }
                }),
        ] + RawBindings.bindings(for: "lumanu")
    }
}
