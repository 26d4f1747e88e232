import Foundation
import Hummingbird
import JSON

/// `POST /auth/oauth/token`: the OAuth 2.0 client-credentials grant, as the
/// Auth0 tenant in the Lumanu documents answers it. The body may be JSON or
/// form-encoded; the answer carries a JWT with `exp` and `expires_in`.
struct TokenEndpoint {
    let sandbox: Sandbox

    func register(on router: Router<SandboxContext>) {
        router.post("auth/oauth/token") { request, _ in try await issue(request) }
    }

    func issue(_ request: Request) async throws -> Response {
        let fields = try await credentials(from: request)
        for name in ["grant_type", "client_id", "client_secret", "audience"] where fields[name] == nil {
            throw ServiceError(.auth, .badRequest, code: "invalid_request", "Missing required parameter: \(name)")
        }
        guard fields["grant_type"] == "client_credentials" else {
            throw ServiceError(.auth, .forbidden, code: "unsupported_grant_type",
                               "Grant type '\(fields["grant_type"]!)' not allowed for the client.")
        }
        guard fields["client_id"] == SandboxCredentials.lumanuClientID,
              fields["client_secret"] == SandboxCredentials.lumanuClientSecret else {
            throw ServiceError(.auth, .unauthorized, code: "access_denied", "Unauthorized")
        }
        guard fields["audience"] == SandboxCredentials.lumanuAudience else {
            throw ServiceError(.auth, .forbidden, code: "access_denied",
                               "Service not enabled within domain: \(fields["audience"]!)")
        }
        let ttl = sandbox.configuration.tokenTTL
        let token = try sandbox.accessTokens().issue(
            clientID: SandboxCredentials.lumanuClientID, audience: SandboxCredentials.lumanuAudience,
            issuer: "https://paysh-sandbox/", now: sandbox.clock.now, ttl: ttl)
        sandbox.statistics.count("tokens_issued")
        return JSONResponse.make(["access_token": .string(token), "expires_in": .integer(Int64(ttl)), "token_type": "Bearer"])
    }

    /// The four fields, from a JSON object or a form-encoded body.
    func credentials(from request: Request) async throws -> [String: String] {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let buffer = try await request.body.collect(upTo: 1 << 16)
            return Self.formFields(String(decoding: buffer.readableBytesView, as: UTF8.self))
        }
        guard case .object(let object) = try await request.jsonBody(for: .auth) else {
            throw ServiceError(.auth, .badRequest, code: "invalid_request", "the body must be a JSON object or a form")
        }
        var fields: [String: String] = [:]
        for member in object {
            guard let text = member.value.stringValue else {
                throw ServiceError(.auth, .badRequest, code: "invalid_request", "\(member.key) must be a string")
            }
            fields[member.key] = text
        }
        return fields
    }

    /// `a=1&b=x%20y` as a dictionary (`+` is a space, as forms encode it).
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
