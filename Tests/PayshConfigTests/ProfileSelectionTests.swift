import PaymentsCore
import PayshConfig
import Testing

/// Which profile is used: `--profile` > `PAYSH_PROFILE` > `default = true` >
/// the file's only profile > `sandbox`.
@Suite struct ProfileSelectionTests {
    static let twoWithDefault = #"return { staging = { default = true }, live = { production = true } }"#
    static let twoWithoutDefault = #"return { staging = {}, live = { production = true } }"#

    static func chosen(_ source: String?, flag: String? = nil, environment: [String: String] = [:]) throws -> ResolvedProfile {
        try ProfileResolver.resolve(flags: ProfileFlags(profile: flag), environment: environment, document: source.map { try parse($0) })
    }

    @Test func withoutAFileTheSandboxIsUsed() throws {
        let profile = try Self.chosen(nil)
        #expect(profile.name == "sandbox" && profile.choice == .builtInDefault)
        #expect(profile.sources["profile"] == .builtIn)
        #expect(profile.choice.description == "built-in default")
    }

    @Test func theProfileMarkedDefaultIsUsed() throws {
        let profile = try Self.chosen(Self.twoWithDefault)
        #expect(profile.name == "staging" && profile.choice == .markedDefault(path: "config.lua"))
        #expect(profile.sources["profile"] == .file(path: "config.lua", profile: "staging"))
        #expect(profile.choice.description == "default = true in config.lua")
        #expect(!profile.isSandbox)
    }

    @Test func theOnlyProfileIsUsed() throws {
        let profile = try Self.chosen(#"return { live = { production = true } }"#)
        #expect(profile.name == "live" && profile.production && profile.choice == .onlyProfile(path: "config.lua"))
        #expect(profile.choice.description == "the only profile in config.lua")
    }

    @Test func severalProfilesAndNoDefaultMeanTheSandbox() throws {
        let profile = try Self.chosen(Self.twoWithoutDefault)
        #expect(profile.name == "sandbox" && profile.choice == .builtInDefault)
        #expect(try Self.chosen("return {}").name == "sandbox")
    }

    @Test func paysProfileBeatsTheFilesDefault() throws {
        let profile = try Self.chosen(Self.twoWithDefault, environment: ["PAYSH_PROFILE": "live"])
        #expect(profile.name == "live" && profile.production)
        #expect(profile.choice == .environment("PAYSH_PROFILE"))
        #expect(profile.sources["profile"] == .environment("PAYSH_PROFILE"))
        let sandbox = try Self.chosen(Self.twoWithDefault, environment: ["PAYSH_PROFILE": "sandbox"])
        #expect(sandbox.isSandbox && sandbox.lumen.apiKey == Secret(.literal("sk_sandbox_merchant_acme")))
    }

    @Test func theFlagBeatsPaysProfile() throws {
        let profile = try Self.chosen(Self.twoWithDefault, flag: "staging", environment: ["PAYSH_PROFILE": "live"])
        #expect(profile.name == "staging" && profile.choice == .flag("--profile"))
        #expect(profile.sources["profile"] == .flag("--profile"))
        #expect(profile.sources["profile"]?.description == "flag --profile")
        #expect(try Self.chosen(Self.twoWithDefault, flag: "sandbox").isSandbox)
    }

    @Test func anUnknownProfileIsAnErrorListingTheKnownOnes() {
        #expect(failure { try Self.chosen(Self.twoWithDefault, flag: "prod") }
            == #"unknown profile "prod" (from flag --profile); the profiles are sandbox, live, staging"#)
        #expect(failure { try Self.chosen(Self.twoWithDefault, environment: ["PAYSH_PROFILE": "Live"]) }
            == #"unknown profile "Live" (from env PAYSH_PROFILE); the profiles are sandbox, live, staging"#)
        #expect(failure { try Self.chosen(nil, flag: "staging") }
            == #"unknown profile "staging" (from flag --profile); the profiles are sandbox (there is no config file)"#)
    }

    @Test func aFileProfileTakesOnlyItsOwnSettings() throws {
        let profile = try Self.chosen(#"""
            return {
              staging = { default = true, lumen = { api_key = "sk_test_staging_0001" } },
              live = { lumen = { api_key = "sk_live_live_00000001" } },
            }
            """#)
        #expect(profile.lumen.apiKey == Secret(.literal("sk_test_staging_0001")))
        #expect(profile.lumyri.accessToken == nil, "a file profile never borrows the sandbox's credentials")
    }

    @Test func theDefaultIsKnownWithoutResolving() throws {
        #expect(ProfileResolver.defaultChoice(in: try parse(Self.twoWithDefault)).name == "staging")
        #expect(ProfileResolver.defaultChoice(in: try parse(Self.twoWithoutDefault)).name == "sandbox")
        #expect(ProfileResolver.profileNames(in: try parse(Self.twoWithDefault)) == ["sandbox", "live", "staging"])
    }
}
