import Foundation
import Testing

/// `paysh config` as a process, with HOME in a scratch directory so that
/// nothing of the real user's configuration is read.
@Suite struct ConfigCommandTests {
    static let sandboxSecrets = ["paysh-sandbox-secret", "sk_sandbox_merchant_acme", "lumyri_sandbox_token"]
    static let fileSecret = "sk_live_0123456789abcdefghij"

    static let config = #"""
        return {
          staging = {
            default = true,
            lumanu = { client_id = "client-staging", client_secret = env "LUMANU_STAGING_SECRET", workspace_id = "ws-1" },
            lumen = { api_key = "\#(fileSecret)" },
            lumyri = { base_url = "https://lumyri.staging.example", access_token = command "touch ran-the-command; echo tok" },
          },
          live = { production = true, lumen = { api_key = env "LUMEN_LIVE_KEY" } },
        }
        """#

    /// Run `paysh config ARGS` in a directory holding `~/.config/paysh/config.lua` (when given).
    static func run(_ name: String, _ arguments: String, config: String? = nil, mode: String = "600",
                    environment: [String: String] = [:]) throws -> (Outcome, String) {
        let dir = try fixtureDirectory("config-\(name)", files: [:])
        var snippet = "rm -rf .config ran-the-command\n"
        if let config {
            try FileManager.default.createDirectory(atPath: dir + "/.config/paysh", withIntermediateDirectories: true)
            try config.write(toFile: dir + "/.config/paysh/config.lua", atomically: false, encoding: .utf8)
            snippet = "chmod \(mode) .config/paysh/config.lua\nrm -f ran-the-command\n"
        }
        snippet += #""$BIN" config "# + arguments
        return (try runShell(snippet, binary: payshBinary, directory: dir, environment: environment, timeout: 30), dir)
    }

    static func expectNoSecrets(_ outcome: Outcome, _ secrets: [String] = sandboxSecrets + [fileSecret]) {
        for secret in secrets {
            #expect(!outcome.stdout.contains(secret) && !outcome.stderr.contains(secret), "\(secret) leaked:\n\(outcome)")
        }
    }

    /// The line of `paysh config` output for `setting`, split into its columns.
    static func row(_ outcome: Outcome, _ setting: String) -> [String] {
        let line = outcome.stdout.split(separator: "\n").first { $0.hasPrefix(setting + " ") } ?? ""
        return line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    @Test func withoutAFileTheSandboxProfileIsShownWithItsSecretsMasked() throws {
        let (outcome, _) = try Self.run("nofile", "")
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stderr.isEmpty, "\(outcome)")
        #expect(outcome.stdout.hasPrefix("profile     sandbox (built-in default)\nproduction  no\nconfig      none (no file at ~/.config/paysh/config.lua)\n"),
                "\(outcome)")
        #expect(Self.row(outcome, "lumen.api_key") == ["lumen.api_key", "sk_s…(24 chars)", "built-in"], "\(outcome)")
        #expect(Self.row(outcome, "lumanu.client_secret") == ["lumanu.client_secret", "pays…(20 chars)", "built-in"])
        #expect(Self.row(outcome, "lumen.base_url") == ["lumen.base_url", "http://127.0.0.1:7297/lumen/v1", "built-in"])
        #expect(!outcome.stdout.contains("not configured"))
        Self.expectNoSecrets(outcome)
    }

    @Test func theFilesDefaultProfileIsShownSettingBySetting() throws {
        let (outcome, dir) = try Self.run("file", "", config: Self.config, environment: ["LUMEN_BASE_URL": "https://lumen.env.example/v1"])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.hasPrefix("""
            profile     staging (default = true in ~/.config/paysh/config.lua)
            production  no
            config      ~/.config/paysh/config.lua

            """), "\(outcome)")
        let file = "~/.config/paysh/config.lua [staging]"
        #expect(Self.row(outcome, "lumen.api_key") == ["lumen.api_key", "sk_l…(28 chars)", file], "\(outcome)")
        #expect(Self.row(outcome, "lumen.base_url") == ["lumen.base_url", "https://lumen.env.example/v1", "env LUMEN_BASE_URL"])
        #expect(Self.row(outcome, "lumanu.client_id") == ["lumanu.client_id", "client-staging", file])
        #expect(Self.row(outcome, "lumanu.client_secret")
            == ["lumanu.client_secret", "(from $LUMANU_STAGING_SECRET, which is not set)", file])
        #expect(Self.row(outcome, "lumanu.token_url") == ["lumanu.token_url", "https://lumanu-staging.auth0.com/oauth/token", "built-in"])
        #expect(Self.row(outcome, "lumyri.access_token")
            == ["lumyri.access_token", "(from command: touch ran-the-command; echo tok)", file])
        #expect(!FileManager.default.fileExists(atPath: dir + "/ran-the-command"), "paysh config runs no command")
        Self.expectNoSecrets(outcome)
    }

    @Test func aSecretFromTheEnvironmentIsMaskedAndAttributed() throws {
        let key = "sk_live_from_the_environment_0001"
        let (outcome, _) = try Self.run("envsecret", "--profile live", config: Self.config,
                                        environment: ["LUMEN_API_KEY": key, "LUMEN_LIVE_KEY": "sk_live_unused_00000001"])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.hasPrefix("profile     live (flag --profile)\nproduction  yes\n"), "\(outcome)")
        #expect(Self.row(outcome, "lumen.api_key") == ["lumen.api_key", "sk_l…(33 chars)", "env LUMEN_API_KEY"], "\(outcome)")
        #expect(outcome.stdout.contains("lumanu is not configured: missing client_id, client_secret"), "\(outcome)")
        #expect(outcome.stdout.contains("lumyri is not configured: missing access_token"), "\(outcome)")
        Self.expectNoSecrets(outcome, Self.sandboxSecrets + [Self.fileSecret, key, "sk_live_unused_00000001"])
    }

    @Test func paysProfileChoosesTheProfile() throws {
        let (outcome, _) = try Self.run("envprofile", "", config: Self.config, environment: ["PAYSH_PROFILE": "sandbox"])
        #expect(outcome.stdout.hasPrefix("profile     sandbox (env PAYSH_PROFILE)\n"), "\(outcome)")
        Self.expectNoSecrets(outcome)
    }

    @Test func aFileOthersCanReadGetsOneWarningOnStderr() throws {
        let (outcome, _) = try Self.run("warn", "", config: Self.config, mode: "644")
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stderr == "warning: ~/.config/paysh/config.lua holds secrets and is readable by others; "
            + "run chmod 600 ~/.config/paysh/config.lua\n", "\(outcome)")
        #expect(!outcome.stdout.contains("warning"))
        Self.expectNoSecrets(outcome)
    }

    @Test func listShowsEveryProfileAndTheDefault() throws {
        let (outcome, _) = try Self.run("list", "--list", config: Self.config)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout == """
            sandbox  built-in
            live     ~/.config/paysh/config.lua  production
            staging  ~/.config/paysh/config.lua  default

            """, "\(outcome)")
        let (selected, _) = try Self.run("list-selected", "--list", config: Self.config, environment: ["PAYSH_PROFILE": "live"])
        #expect(selected.stdout.contains("live     ~/.config/paysh/config.lua  production, selected by env PAYSH_PROFILE"), "\(selected)")
        let (none, _) = try Self.run("list-none", "--list")
        #expect(none.stdout == "sandbox  built-in  default\n", "\(none)")
    }

    @Test func jsonCarriesTheSameMaskedData() throws {
        let (outcome, dir) = try Self.run("json", "--json", config: Self.config)
        #expect(outcome.status == 0, "\(outcome)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(object["profile"] as? String == "staging")
        #expect(object["chosen_by"] as? String == "default = true in ~/.config/paysh/config.lua")
        #expect(object["production"] as? Bool == false && object["sandbox"] as? Bool == false)
        #expect(object["config_file"] as? String == dir + "/.config/paysh/config.lua")
        let settings = try #require(object["settings"] as? [String: [String: Any]])
        #expect(settings.count == 10)
        #expect(settings["lumen.api_key"]?["value"] as? String == "sk_l…(28 chars)")
        #expect(settings["lumen.api_key"]?["source"] as? String == "~/.config/paysh/config.lua [staging]")
        #expect(settings["lumen.api_key"]?["secret"] as? Bool == true)
        #expect(settings["lumen.base_url"]?["source"] as? String == "built-in")
        #expect(settings["lumanu.client_id"]?["secret"] as? Bool == false)
        let missing = try #require(object["not_configured"] as? [String: [String]])
        #expect(missing.isEmpty, "\(missing)")
        Self.expectNoSecrets(outcome)

        let (sandbox, _) = try Self.run("json-sandbox", "--json")
        let unconfigured = try #require(try JSONSerialization.jsonObject(with: Data(sandbox.stdout.utf8)) as? [String: Any])
        #expect(unconfigured["config_file"] is NSNull)
        #expect(unconfigured["chosen_by"] as? String == "built-in default")
        Self.expectNoSecrets(sandbox)
    }

    @Test func listAsJSON() throws {
        let (outcome, _) = try Self.run("list-json", "--list --json", config: Self.config)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let profiles = try #require(object["profiles"] as? [[String: Any]])
        #expect(profiles.map { $0["name"] as? String } == ["sandbox", "live", "staging"])
        #expect(profiles.map { $0["default"] as? Bool } == [false, false, true])
        #expect(profiles.map { $0["production"] as? Bool } == [false, true, false])
        #expect(profiles.map { $0["built_in"] as? Bool } == [true, false, false])
    }

    @Test(arguments: [
        ("unknown-setting", "return {\n  staging = { lumen = { api_kye = 'x' } },\n}", "paysh config: ~/.config/paysh/config.lua: profile \"staging\": lumen: unknown setting \"api_kye\" (expected base_url, api_key)\n"),
        ("syntax", "return {\n  staging = {", "paysh config: ~/.config/paysh/config.lua:2: unexpected symbol near <eof>\n"),
        ("two-defaults", "return { a = { default = true }, b = { default = true } }", "paysh config: ~/.config/paysh/config.lua: more than one profile is marked default = true (\"a\", \"b\"); mark only one\n"),
    ])
    func aBrokenFileIsAOneLineErrorAndStatus1(name: String, config: String, message: String) throws {
        let (outcome, _) = try Self.run("broken-\(name)", "", config: config)
        #expect(outcome.status == 1, "\(outcome)")
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr == message, "\(outcome)")
    }

    @Test func anUnknownProfileIsAOneLineErrorAndStatus1() throws {
        let (outcome, _) = try Self.run("unknown", "--profile prod", config: Self.config)
        #expect(outcome.status == 1, "\(outcome)")
        #expect(outcome.stderr == "paysh config: unknown profile \"prod\" (from flag --profile); the profiles are sandbox, live, staging\n",
                "\(outcome)")
        let (list, _) = try Self.run("unknown-list", "--list", config: Self.config, environment: ["PAYSH_PROFILE": "prod"])
        #expect(list.status == 1 && list.stderr.contains("the profiles are sandbox, live, staging"), "\(list)")
    }

    @Test func theBuiltInSandboxAddressIsTheSandboxCommandsDefault() throws {
        let dir = try fixtureDirectory("config-sandbox-port", files: [:])
        let outcome = try runShell(#""$BIN" sandbox --help"#, binary: payshBinary, directory: dir)
        let words = outcome.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("--port <port> Port to listen on (0 picks a free one). (default: 7297)"), "\(outcome)")
    }

    @Test func helpNamesTheOptions() throws {
        let (outcome, _) = try Self.run("help", "--help")
        #expect(outcome.status == 0)
        for option in ["--profile", "--list", "--json", "PAYSH_CONFIG"] {
            #expect(outcome.stdout.contains(option), "\(option):\n\(outcome)")
        }
    }
}
