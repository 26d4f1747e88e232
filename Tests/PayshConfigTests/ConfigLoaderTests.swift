import Foundation
import PaymentsCore
import PayshConfig
import Testing

/// Finding the file, reading it from disk, and the warning about its permissions.
@Suite struct ConfigLoaderTests {
    static let literal = #"return { staging = { lumen = { api_key = "sk_live_0123456789abcdefghij" } } }"#
    static let indirect = #"return { staging = { lumen = { api_key = env "LUMEN_LIVE_KEY" }, lumyri = { access_token = command "false" } } }"#

    @Test func theFileIsLookedForInPaysConfigThenXDGThenHome() {
        let all = ["PAYSH_CONFIG": "/etc/p.lua", "XDG_CONFIG_HOME": "/x", "HOME": "/home/u"]
        #expect(ConfigLocation.find(environment: all).path == "/etc/p.lua")
        #expect(ConfigLocation.find(environment: all).isExplicit)
        #expect(ConfigLocation.find(environment: all, path: "/given.lua").path == "/given.lua")
        var env = all
        env["PAYSH_CONFIG"] = ""
        #expect(ConfigLocation.find(environment: env).path == "/x/paysh/config.lua")
        #expect(!ConfigLocation.find(environment: env).isExplicit)
        env["XDG_CONFIG_HOME"] = "relative/dir"
        #expect(ConfigLocation.find(environment: env).path == "/home/u/.config/paysh/config.lua", "a relative XDG_CONFIG_HOME is ignored")
        env["XDG_CONFIG_HOME"] = nil
        #expect(ConfigLocation.find(environment: env).path == "/home/u/.config/paysh/config.lua")
        #expect(ConfigLocation.find(environment: env).displayPath == "~/.config/paysh/config.lua")
        #expect(ConfigLocation(path: "/home/user2/c.lua", isExplicit: true, home: "/home/u").displayPath == "/home/user2/c.lua")
        #expect(ConfigLocation(path: "/home/u/c.lua", isExplicit: true, home: "/home/u/").displayPath == "~/c.lua")
    }

    @Test func withoutAFileTheSandboxIsUsedAndNothingIsWrong() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let config = try ConfigLoader.load(profile: nil, environment: ["HOME": dir.path])
        #expect(config.path == nil && config.document == nil && config.warnings.isEmpty)
        #expect(config.displayPath == "~/.config/paysh/config.lua")
        #expect(config.profile.isSandbox && config.profileNames == ["sandbox"] && config.defaultProfile == "sandbox")
    }

    @Test func theFileUnderHomeIsReadAndItsProfileResolved() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try dir.write(".config/paysh/config.lua", #"return { staging = { lumen = { api_key = env "K" } } }"#)
        let config = try ConfigLoader.load(profile: nil, environment: ["HOME": dir.path, "LUMEN_BASE_URL": "https://lumen.test"])
        #expect(config.path == file)
        #expect(config.profile.name == "staging" && config.profile.choice == .onlyProfile(path: "~/.config/paysh/config.lua"))
        #expect(config.profile.sources["lumen.api_key"] == .file(path: "~/.config/paysh/config.lua", profile: "staging"))
        #expect(config.profile.sources["lumen.base_url"] == .environment("LUMEN_BASE_URL"))
        #expect(config.profileNames == ["sandbox", "staging"] && config.defaultProfile == "staging")
    }

    @Test func xdgConfigHomeAndPaysConfigAreFollowed() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        try dir.write("xdg/paysh/config.lua", "return { fromxdg = {} }")
        let named = try dir.write("named.lua", "return { fromvariable = {} }")
        let xdg = try ConfigLoader.load(profile: nil, environment: ["HOME": dir.path, "XDG_CONFIG_HOME": dir.path + "/xdg"])
        #expect(xdg.profile.name == "fromxdg")
        let env = ["HOME": dir.path, "XDG_CONFIG_HOME": dir.path + "/xdg", "PAYSH_CONFIG": named]
        #expect(try ConfigLoader.load(profile: nil, environment: env).profile.name == "fromvariable")
    }

    @Test func aNamedFileThatIsMissingOrNotAFileIsAnError() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        #expect(failure { try ConfigLoader.load(profile: nil, environment: ["PAYSH_CONFIG": dir.path + "/nope.lua"]) }
            == "\(dir.path)/nope.lua: cannot read the config file: No such file or directory")
        #expect(failure { try ConfigLoader.load(profile: nil, environment: [:], path: dir.path) }
            == "\(dir.path): the config file is not a regular file")
    }

    @Test func errorsNameTheFileAsTheUserWroteIt() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        try dir.write(".config/paysh/config.lua", "return {\n  staging = { lumen = { api_kye = 'x' } },\n}")
        #expect(failure { try ConfigLoader.load(profile: nil, environment: ["HOME": dir.path]) }
            == #"~/.config/paysh/config.lua: profile "staging": lumen: unknown setting "api_kye" (expected base_url, api_key)"#)
        try dir.write(".config/paysh/config.lua", "return {\n  staging = { lumen = { api_key = 'x' } \n}")
        #expect(failure { try ConfigLoader.load(profile: nil, environment: ["HOME": dir.path]) }
            == "~/.config/paysh/config.lua:3: '}' expected (to close '{' at line 1) near <eof>")
    }

    @Test(arguments: [(0o644, true), (0o640, true), (0o604, true), (0o600, false), (0o400, false)])
    func literalSecretsInAFileOthersCanReadAreWarnedAbout(mode: Int, warned: Bool) throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        try dir.write(".config/paysh/config.lua", Self.literal, mode: mode)
        let config = try ConfigLoader.load(profile: nil, environment: ["HOME": dir.path])
        if warned {
            #expect(config.warnings == ["warning: ~/.config/paysh/config.lua holds secrets and is readable by others; "
                    + "run chmod 600 ~/.config/paysh/config.lua"])
        } else {
            #expect(config.warnings.isEmpty)
        }
        #expect(!config.warnings.joined().contains("0123456789abcdefghij"))
    }

    @Test func secretsKeptOutOfTheFileNeedNoWarning() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try dir.write("config.lua", Self.indirect, mode: 0o644)
        #expect(try ConfigLoader.load(profile: nil, environment: [:], path: file).warnings.isEmpty)
    }

    @Test func theWarningQuotesAPathTheShellWouldSplit() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try dir.write("my config.lua", Self.literal, mode: 0o644)
        let config = try ConfigLoader.load(profile: nil, environment: ["HOME": "/nonexistent"], path: file)
        #expect(config.warnings == ["warning: \(file) holds secrets and is readable by others; run chmod 600 '\(file)'"])
    }

    @Test func listingNeedsNoProfileChoice() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try dir.write("config.lua", "return { a = {}, b = { default = true } }")
        let contents = try ConfigLoader.read(environment: ["PAYSH_PROFILE": "unknown"], path: file)
        #expect(contents.document?.profiles.map(\.name) == ["a", "b"])
        #expect(contents.location.path == file)
    }
}
