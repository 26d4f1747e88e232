import PaymentsCore
import PayshConfig
import Testing

/// What `config.lua` may say, and how it is read.
@Suite struct ConfigFileTests {
    @Test func everySettingOfEveryServiceIsRead() throws {
        let document = try parse("""
            return {
              staging = {
                default = true,
                production = false,
                lumanu = {
                  base_url = "https://lumanu.example", token_url = "https://auth.example/oauth/token",
                  audience = "https://aud.example", client_id = "client-1", client_secret = "lumanu-secret-1",
                  workspace_id = "ws-1",
                },
                lumen = { base_url = "https://lumen.example/v1", api_key = "sk_test_0123456789" },
                lumyri = { base_url = "https://lumyri.example", access_token = "lumyri-token-1" },
              },
            }
            """)
        let profile = try #require(document.profile(named: "staging"))
        #expect(profile.isDefault && !profile.production)
        let expected: [SettingKey: String] = [
            .lumanuBaseURL: "https://lumanu.example", .lumanuTokenURL: "https://auth.example/oauth/token",
            .lumanuAudience: "https://aud.example", .lumanuClientID: "client-1", .lumanuClientSecret: "lumanu-secret-1",
            .lumanuWorkspaceID: "ws-1", .lumenBaseURL: "https://lumen.example/v1", .lumenAPIKey: "sk_test_0123456789",
            .lumyriBaseURL: "https://lumyri.example", .lumyriAccessToken: "lumyri-token-1",
        ]
        #expect(Set(profile.settings.keys) == Set(SettingKey.allCases))
        for (key, text) in expected {
            #expect(profile.settings[key] == key.value(text), "\(key)")
        }
        #expect(profile.settings[.lumenAPIKey] == .secret(Secret(.literal("sk_test_0123456789"))))
        #expect(profile.settings[.lumanuClientID] == .text("client-1"))
    }

    @Test(arguments: [("lumanu", "client_secret", SettingKey.lumanuClientSecret),
                      ("lumen", "api_key", .lumenAPIKey), ("lumyri", "access_token", .lumyriAccessToken)])
    func secretsComeAsTextFromAVariableOrFromACommand(service: String, name: String, key: SettingKey) throws {
        let document = try parse("""
            return {
              literal = { \(service) = { \(name) = "written-in-the-file" } },
              variable = { \(service) = { \(name) = env "SOME_SECRET" } },
              command = { \(service) = { \(name) = command "pass show some/secret" } },
            }
            """)
        #expect(document.profile(named: "literal")?.settings[key] == .secret(Secret(.literal("written-in-the-file"))))
        #expect(document.profile(named: "variable")?.settings[key] == .secret(Secret(.environment("SOME_SECRET"))))
        #expect(document.profile(named: "command")?.settings[key] == .secret(Secret(.command("pass show some/secret"))))
        guard case .secret(let secret) = document.profile(named: "command")?.settings[key] else { Issue.record(); return }
        #expect(secret.setting == key.rawValue, "errors revealing it will name the setting")
    }

    @Test func profilesAreInNameOrderAndMayBeEmpty() throws {
        let document = try parse("return { live = { production = true }, beta = {}, alpha = { lumen = {} } }")
        #expect(document.profiles.map(\.name) == ["alpha", "beta", "live"])
        #expect(document.profile(named: "live")?.production == true)
        #expect(document.profile(named: "alpha")?.settings.isEmpty == true)
        #expect(try parse("return {}").profiles.isEmpty)
    }

    @Test func theChunkIsOrdinaryLuaWithTheStandardLibraries() throws {
        let document = try parse("""
            local function lumen(key) return { api_key = key, base_url = "https://" .. string.lower("LUMEN.example") } end
            local profiles = {}
            for _, name in ipairs { "one", "two" } do profiles[name] = { lumen = lumen(env("KEY_" .. name:upper())) } end
            return profiles
            """)
        #expect(document.profile(named: "two")?.settings[.lumenAPIKey] == .secret(Secret(.environment("KEY_TWO"))))
        #expect(document.profile(named: "one")?.settings[.lumenBaseURL] == .text("https://lumen.example"))
    }

    @Test func theHelpersPrintWhatTheyStandFor() throws {
        let document = try parse(#"""
            assert(tostring(env "X") == 'env "X"', tostring(env "X"))
            assert(tostring(command "pass show x") == 'command "pass show x"')
            return {}
            """#)
        #expect(document.profiles.isEmpty)
    }

    @Test func metamethodsOnTheReturnedTablesAreNotRun() throws {
        let document = try parse("""
            local trap = setmetatable({}, { __index = function() error("ran a metamethod") end,
                                           __pairs = function() error("ran __pairs") end })
            trap.lumen = { api_key = "sk_test_0123456789" }
            return setmetatable({ p = trap }, { __index = function() error("ran a metamethod") end })
            """)
        #expect(document.profile(named: "p")?.settings[.lumenAPIKey] != nil)
    }

    @Test func aDocumentWithLiteralSecretsSaysSo() throws {
        #expect(try parse(#"return { p = { lumen = { api_key = "sk_test_0123456789" } } }"#).holdsLiteralSecrets)
        #expect(try !parse(#"return { p = { lumen = { api_key = env "K" }, lumyri = { access_token = command "x" } } }"#)
            .holdsLiteralSecrets)
        #expect(try !parse(#"return { p = { lumanu = { client_id = "not a secret" } } }"#).holdsLiteralSecrets)
    }
}
