import JSON
import Sandbox
import Testing

@Suite struct TokenEndpointTests {
    static let goodBody = """
        {"client_id":"\(SandboxCredentials.lumanuClientID)","client_secret":"\(SandboxCredentials.lumanuClientSecret)",
         "audience":"\(SandboxCredentials.lumanuAudience)","grant_type":"client_credentials"}
        """

    @Test func clientCredentialsInJSONGetABearerJWTWithExpiry() async throws {
        try await SandboxHarness.with({ $0.tokenTTL = 120 }) { sandbox in
            let (status, body) = try await sandbox.request(.post, "/auth/oauth/token", json: Self.goodBody)
            #expect(status == .ok)
            #expect(keys(body) == ["access_token", "expires_in", "token_type"])
            #expect(body?["token_type"] == "Bearer")
            #expect(body?["expires_in"] == 120)
            let token = try #require(body?["access_token"]?.stringValue)
            #expect(token.split(separator: ".").count == 3)
            let claims = try AccessTokensProbe.claims(of: token)
            let exp = try #require(claims["exp"]?.int64Value), iat = try #require(claims["iat"]?.int64Value)
            #expect(exp - iat == 120)
            #expect(claims["aud"]?.stringValue == SandboxCredentials.lumanuAudience)
        }
    }

    @Test func formEncodedBodiesWorkToo() async throws {
        try await SandboxHarness.with { sandbox in
            let form = "grant_type=client_credentials&client_id=\(SandboxCredentials.lumanuClientID)"
                + "&client_secret=\(SandboxCredentials.lumanuClientSecret)"
                + "&audience=https%3A%2F%2Flumanu-demo.hasura.app%2Fv1%2Fgraphql"
            let (status, body) = try await sandbox.request(.post, "/auth/oauth/token", json: form,
                                                           contentType: "application/x-www-form-urlencoded")
            #expect(status == .ok)
            #expect(body?["access_token"]?.stringValue != nil)
        }
    }

    @Test(arguments: [
        ("client_secret", "wrong", 401, "access_denied"),
        ("audience", "https://elsewhere.example/api", 403, "access_denied"),
        ("grant_type", "password", 403, "unsupported_grant_type"),
        ("client_id", "someone-else", 401, "access_denied"),
    ])
    func refusalsAnswerInAuth0Style(field: String, value: String, status: Int, error: String) async throws {
        try await SandboxHarness.with { sandbox in
            var fields: [(String, JSONValue)] = [
                ("client_id", .string(SandboxCredentials.lumanuClientID)),
                ("client_secret", .string(SandboxCredentials.lumanuClientSecret)),
                ("audience", .string(SandboxCredentials.lumanuAudience)),
                ("grant_type", "client_credentials"),
            ]
            fields = fields.map { $0.0 == field ? ($0.0, .string(value)) : $0 }
            let body = try JSONValue.object(JSONObject(fields)).encodedString()
            let (answer, json) = try await sandbox.request(.post, "/auth/oauth/token", json: body)
            #expect(Int(answer.code) == status)
            #expect(keys(json) == ["error", "error_description"])
            #expect(json?["error"]?.stringValue == error)
        }
    }

    @Test func missingFieldsAndBrokenBodiesAre400() async throws {
        try await SandboxHarness.with { sandbox in
            let (missing, body) = try await sandbox.request(.post, "/auth/oauth/token", json: #"{"grant_type":"client_credentials"}"#)
            #expect(missing == .badRequest)
            #expect(body?["error"] == "invalid_request")
            let (broken, brokenBody) = try await sandbox.request(.post, "/auth/oauth/token", json: #"{"client_id": "x",}"#)
            #expect(broken == .badRequest)
            #expect(brokenBody?["error_description"]?.stringValue?.contains("line 1") == true)
        }
    }
}

/// Reads a JWT's claims without checking it (what a client does to find `exp`).
enum AccessTokensProbe {
    static func claims(of token: String) throws -> JSONObject {
        let part = token.split(separator: ".")[1]
        var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try #require(Data(base64Encoded: base64))
        let value = try Array(data).withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) }
        return try #require(value.objectValue)
    }
}

import Foundation
