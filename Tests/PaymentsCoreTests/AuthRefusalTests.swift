import Foundation
@testable import PaymentsCore
import Testing

/// How a refusal of the token endpoint is reported, whatever status it came with.
@Suite struct AuthRefusalTests {
    static let secret = "refusal-test-secret-0b3e"

    /// Never sends anything: its transport is dropped (and its pools closed) with it.
    static var oauth: OAuthClientCredentials {
        OAuthClientCredentials(
            tokenURL: "https://tenant.example/oauth/token", audience: "https://api.example/graphql", clientID: "client-42",
            clientSecret: Secret(.literal(secret)), transport: Transport(), profile: "test", cache: nil)
    }

    static func error(status: Int, code: String?, message: String) -> PaymentsError {
        PaymentsError(kind: FailureClassifier.classify(status: status) ?? .clientError, service: "auth", operation: "lumanu.token",
                      status: status, code: code, message: message)
    }

    @Test func refusedCredentialsAreUnauthorizedWhateverTheStatus() {
        for (status, code) in [(401, "access_denied"), (403, "access_denied"), (400, "invalid_client"), (400, "unauthorized_client"),
                               (401, nil)] {
            let explained = Self.oauth.explained(Self.error(status: status, code: code, message: "Unauthorized"), secret: Self.secret)
            #expect(explained.kind == .unauthorized, "\(status) \(code ?? "")")
            #expect(explained.message.contains("refused the client id client-42") && explained.message.contains("audience https://api.example/graphql"))
        }
    }

    @Test func otherClientErrorsStayAsTheyAre() {
        let explained = Self.oauth.explained(Self.error(status: 400, code: "invalid_request", message: "Missing required parameter: audience"),
                                             secret: Self.secret)
        #expect(explained.kind == .clientError)
        #expect(explained.message == "Missing required parameter: audience")
    }

    @Test func aSecretEchoedByTheServerIsRedacted() {
        let explained = Self.oauth.explained(Self.error(status: 400, code: "invalid_request", message: "bad secret \(Self.secret)"),
                                             secret: Self.secret)
        #expect(!explained.description.contains(Self.secret))
        #expect(explained.message == "bad secret [redacted]")
    }
}
