import JSON
@testable import Sandbox
import Testing

/// Every rule of the create body: a refusal is a 400 in Hasura's style whose
/// message names the field; nothing is created.
@Suite struct LumanuValidationTests {
    static let valid = """
        {"workspace_id": "\(SandboxCredentials.lumanuWorkspaceID)", "payee_email": "jane@example.com", \
        "amount": 100, "description": "A payout", "due_date": "2025-10-01", \
        "custom_fields": [{"name": "paysh_ref", "value": "abc"}]}
        """

    @Test(arguments: [
        // amount: integer minor units above zero, nothing else
        (#""amount": 100"#, #""amount": 1.5"#, "amount"),
        (#""amount": 100"#, #""amount": 100.0"#, "amount"),
        (#""amount": 100"#, #""amount": 1e2"#, "amount"),
        (#""amount": 100"#, #""amount": "100""#, "amount"),
        (#""amount": 100"#, #""amount": 0"#, "amount"),
        (#""amount": 100"#, #""amount": -100"#, "amount"),
        (#""amount": 100"#, #""amount": 100000000001"#, "amount"),
        (#""amount": 100"#, #""amount": 99999999999999999999999"#, "amount"),
        (#""amount": 100"#, #""amount": null"#, "amount"),
        (#""amount": 100, "#, "", "amount"),
        // payee_email
        (#""payee_email": "jane@example.com""#, #""payee_email": "jane""#, "payee_email"),
        (#""payee_email": "jane@example.com""#, #""payee_email": "jane@example""#, "payee_email"),
        (#""payee_email": "jane@example.com""#, #""payee_email": "ja ne@example.com""#, "payee_email"),
        (#""payee_email": "jane@example.com""#, #""payee_email": "jane@@example.com""#, "payee_email"),
        (#""payee_email": "jane@example.com""#, #""payee_email": 42"#, "payee_email"),
        (#""payee_email": "jane@example.com", "#, "", "payee_email"),
        // description
        (#""description": "A payout""#, #""description": """#, "description"),
        (#""description": "A payout""#, #""description": "   ""#, "description"),
        (#""description": "A payout""#, #""description": 7"#, "description"),
        (#""description": "A payout""#, "\"description\": \"\(String(repeating: "x", count: 501))\"", "description"),
        (#""description": "A payout", "#, "", "description"),
        // workspace_id
        (#""workspace_id": "90413206-0be5-48a5-af6c-6d52f3ec69f6", "#, "", "workspace_id"),
        (#""workspace_id": "90413206-0be5-48a5-af6c-6d52f3ec69f6""#, #""workspace_id": "workspace-1""#, "workspace_id"),
        (#""workspace_id": "90413206-0be5-48a5-af6c-6d52f3ec69f6""#, #""workspace_id": 90413206"#, "workspace_id"),
        // due_date: YYYY-MM-DD naming a real day
        (#""due_date": "2025-10-01""#, #""due_date": "2025-02-29""#, "due_date"),
        (#""due_date": "2025-10-01""#, #""due_date": "2025-13-01""#, "due_date"),
        (#""due_date": "2025-10-01""#, #""due_date": "2025/10/01""#, "due_date"),
        (#""due_date": "2025-10-01""#, #""due_date": "2025-10-01T00:00:00Z""#, "due_date"),
        (#""due_date": "2025-10-01""#, #""due_date": 20251001"#, "due_date"),
        // custom_fields: [{name, value}] of strings, names unique
        (#"[{"name": "paysh_ref", "value": "abc"}]"#, #"{"name": "paysh_ref", "value": "abc"}"#, "custom_fields"),
        (#"[{"name": "paysh_ref", "value": "abc"}]"#, #"[{"name": "paysh_ref"}]"#, "custom_fields[0]"),
        (#"[{"name": "paysh_ref", "value": "abc"}]"#, #"[{"name": "paysh_ref", "value": 1}]"#, "custom_fields[0].value"),
        (#"[{"name": "paysh_ref", "value": "abc"}]"#, #"[{"name": "", "value": "abc"}]"#, "custom_fields[0].name"),
        (#"[{"name": "paysh_ref", "value": "abc"}]"#, #"[{"name": "a", "value": "b", "kind": "c"}]"#, "custom_fields[0]"),
        (#"[{"name": "paysh_ref", "value": "abc"}]"#, #"[{"name": "a", "value": "b"}, {"name": "a", "value": "c"}]"#, "custom_fields[1].name"),
        (#"[{"name": "paysh_ref", "value": "abc"}]"#, #""abc""#, "custom_fields"),
        // unknown fields are named
        (#""amount": 100"#, #""amount": 100, "currency": "usd""#, "currency"),
        (#""amount": 100"#, #""amount": 100, "amount_cents": 100, "payee": "x""#, "amount_cents, payee"),
    ])
    func invalidCreatesAre400NamingTheFieldAndCreateNothing(from: String, to: String, field: String) async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let (_, before) = try await sandbox.payouts(token, "limit=1")
            let body = Self.valid.replacingOccurrences(of: from, with: to)
            try #require(body != Self.valid)
            let (status, error) = try await sandbox.request(.post, "/lumanu/api/rest/payables", bearer: token, json: body)
            #expect(status == .badRequest)
            #expect(keys(error) == ["path", "error", "code"])
            #expect(error?["code"] == "validation-failed")
            #expect(error?["error"]?.stringValue?.hasPrefix(field + ":") == true, "\(String(describing: error))")
            let (_, after) = try await sandbox.payouts(token, "limit=1")
            #expect(after == before)
        }
    }

    @Test func validBodyWithEveryOptionalFieldIsEchoed() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let body = Self.valid.replacingOccurrences(of: "2025-10-01", with: "2028-02-29")
                .replacingOccurrences(of: #""abc"}]"#, with: #""abc"}, {"name": "campaign", "value": ""}]"#)
            let (status, payout) = try await sandbox.request(.post, "/lumanu/api/rest/payables", bearer: token, json: body)
            #expect(status == .ok)
            #expect(payout?["due_date"] == "2028-02-29")
            #expect(payout?["custom_fields"] == [["name": "paysh_ref", "value": "abc"], ["name": "campaign", "value": ""]])
            #expect(payout?["vendor_email"] == "jane@example.com")
        }
    }

    @Test func payeeEmailIsKeptInLowerCase() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let payout = try await sandbox.createdPayout(token, email: "Jane.Doe@Example.COM")
            #expect(payout["vendor_email"] == "jane.doe@example.com")
        }
    }

    @Test func unknownWorkspaceIs404() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let (status, error) = try await sandbox.createPayout(token, workspace: "00000000-0000-4000-8000-000000000000")
            #expect(status == .notFound)
            #expect(error?["code"] == "not-found")
            #expect(error?["error"]?.stringValue?.contains("00000000-0000-4000-8000-000000000000") == true)
        }
    }

    @Test func anotherClientsWorkspaceIs404() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let (status, _) = try await sandbox.createPayout(token, workspace: Fixtures.lumanuOtherWorkspace.0)
            #expect(status == .notFound)
        }
    }

    @Test(arguments: ["not json", "[1, 2]", #"{"workspace_id": "x",}"#, ""])
    func bodiesThatAreNotAJSONObjectAre400(body: String) async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let (status, error) = try await sandbox.request(.post, "/lumanu/api/rest/payables", bearer: token, json: body)
            #expect(status == .badRequest)
            #expect(keys(error) == ["path", "error", "code"])
        }
    }
}
