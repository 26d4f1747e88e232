import Foundation
import HTTPTypes
import JSON
@testable import Sandbox
import Testing

/// What the Lumanu tests share: the quickstart's requests and answer, a
/// token, and shortcuts for the API and its control routes.
enum LumanuDocument {
    /// Step 2's token request, with the sandbox credentials filled in.
    static let tokenRequest = """
        {
            "client_id":"\(SandboxCredentials.lumanuClientID)",
            "client_secret":"\(SandboxCredentials.lumanuClientSecret)",
            "audience":"https://lumanu-demo.hasura.app/v1/graphql",
            "grant_type":"client_credentials"
          }
        """

    /// Step 3's create body, with the workspace filled in.
    static let createRequest = """
        {
            "workspace_id": "\(SandboxCredentials.lumanuWorkspaceID)",
            "payee_email": "[email protected]",
            "amount": 100,
            "description": "My first payout via the API"
          }
        """

    /// Step 4's answer, verbatim.
    static let exampleAnswer = """
        {
          "id": "32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9",
          "amount": 100,
          "amount_denomination": "us_cents",
          "description": "My first payout via the API",
          "due_date": null,
          "invoice_number": 206466,
          "vendor_status": "Awaiting signup",
          "vendor_display_name": null,
          "vendor_email": "[email protected]",
          "status": null,
          "workspace_id": "90413206-0be5-48a5-af6c-6d52f3ec69f6",
          "created_at": "2025-09-17T15:57:04.482673+00:00",
          "updated_at": "2025-09-17T15:57:04.482673+00:00",
          "payee_lumanu_id": null,
          "custom_fields": []
        }
        """

    static var example: JSONValue { try! JSONValue(parsing: exampleAnswer) }
    static let exampleID = "32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9"
}

/// The JSON type of a value, to compare answers with the document's types.
func jsonType(_ value: JSONValue?) -> String {
    switch value {
    case nil: return "missing"
    case .null?: return "null"
    case .bool?: return "boolean"
    case .integer?: return "integer"
    case .double?, .number?: return "number"
    case .string?: return "string"
    case .array?: return "array"
    case .object?: return "object"
    }
}

extension SandboxHarness {
    /// A fresh access token from the token endpoint, as the quickstart gets one.
    func lumanuToken() async throws -> String {
        let (status, body) = try await request(.post, "/auth/oauth/token", json: LumanuDocument.tokenRequest)
        #expect(status == .ok)
        return try #require(body?["access_token"]?.stringValue)
    }

    var sandboxClock: SandboxClock { running.sandbox.clock }

    /// Create a payout; the answer's status and body.
    @discardableResult
    func createPayout(_ token: String, email: String = "creator@example.com", amount: String = "2500",
                      workspace: String = SandboxCredentials.lumanuWorkspaceID, extra: String = "",
                      path: String = "payables") async throws -> (HTTPResponse.Status, JSONValue?) {
        let body = #"{"workspace_id": "\#(workspace)", "payee_email": "\#(email)", "amount": \#(amount), "description": "Test payout"\#(extra)}"#
        return try await request(.post, "/lumanu/api/rest/\(path)", bearer: token, json: body)
    }

    /// Create a payout that must succeed; its answer.
    func createdPayout(_ token: String, email: String = "creator@example.com", extra: String = "",
                       workspace: String = SandboxCredentials.lumanuWorkspaceID) async throws -> JSONValue {
        let (status, body) = try await createPayout(token, email: email, workspace: workspace, extra: extra)
        try #require(status == .ok, "\(String(describing: body))")
        return try #require(body)
    }

    func payout(_ token: String, _ id: String) async throws -> JSONValue {
        let (status, body) = try await request(.get, "/lumanu/api/rest/payouts/\(id)", bearer: token)
        try #require(status == .ok, "\(String(describing: body))")
        return try #require(body)
    }

    /// `GET /api/rest/payouts?<query>`, which must succeed: the page and the total.
    func payouts(_ token: String, _ query: String = "") async throws -> ([JSONValue], Int64) {
        let (status, body) = try await request(.get, "/lumanu/api/rest/payouts" + (query.isEmpty ? "" : "?" + query), bearer: token)
        try #require(status == .ok, "\(String(describing: body))")
        #expect(keys(body) == ["payouts", "total"])
        return (try #require(body?["payouts"]?.arrayValue), try #require(body?["total"]?.int64Value))
    }

    /// Every page of a listing, `limit` at a time.
    func allPayouts(_ token: String, _ query: String = "", limit: Int = 100) async throws -> [JSONValue] {
        var all: [JSONValue] = []
        while true {
            let (page, total) = try await payouts(token, query + (query.isEmpty ? "" : "&") + "limit=\(limit)&offset=\(all.count)")
            all += page
            if page.isEmpty || all.count >= total { return all }
        }
    }

    @discardableResult
    func control(_ path: String, _ json: String? = nil) async throws -> (HTTPResponse.Status, JSONValue?) {
        try await request(.post, "/_sandbox/lumanu/" + path, json: json)
    }

    /// Move the sandbox clock forward.
    func advanceClock(minutes: Double) { sandboxClock.advance(by: minutes * 60) }
}

/// A payout's time field in microseconds.
func micros(_ value: JSONValue?) -> Int64? { value?.stringValue.flatMap { LumanuTime.micros(timestamp: $0) } }
