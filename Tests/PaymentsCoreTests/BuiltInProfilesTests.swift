import PaymentsCore
import Sandbox
import Testing

/// The built-in sandbox profile is a copy of what the sandbox serves at its
/// default address; this fails the day one of them changes without the other.
@Suite struct BuiltInProfilesTests {
    @Test func theSandboxProfileMatchesTheSandboxsEndpointsAndCredentials() throws {
        let endpoints = SandboxEndpoints(host: "127.0.0.1", port: 7297)
        #expect(BuiltInProfiles.sandboxRoot == endpoints.root)
        var covered: Set<SettingKey> = []
        for (variable, value) in endpoints.environment {
            let key = try #require(SettingKey.allCases.first { $0.environmentVariable == variable }, "\(variable) has no setting")
            #expect(BuiltInProfiles.sandbox[key] == value, "\(key)")
            covered.insert(key)
        }
        #expect(covered == Set(SettingKey.allCases), "the sandbox exports every setting")
        #expect(Set(BuiltInProfiles.sandbox.keys) == covered)
    }

    @Test func theSandboxCredentialsAreTheSandboxsOwn() {
        #expect(BuiltInProfiles.sandbox[.lumanuClientID] == SandboxCredentials.lumanuClientID)
        #expect(BuiltInProfiles.sandbox[.lumanuClientSecret] == SandboxCredentials.lumanuClientSecret)
        #expect(BuiltInProfiles.sandbox[.lumanuAudience] == SandboxCredentials.lumanuAudience)
        #expect(BuiltInProfiles.sandbox[.lumanuWorkspaceID] == SandboxCredentials.lumanuWorkspaceID)
        #expect(BuiltInProfiles.sandbox[.lumenAPIKey] == SandboxCredentials.lumenAPIKey)
        #expect(BuiltInProfiles.sandbox[.lumyriAccessToken] == SandboxCredentials.lumyriAccessToken)
    }
}
