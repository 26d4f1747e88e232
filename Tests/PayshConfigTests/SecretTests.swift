import Foundation
import PaymentsCore
import PayshConfig
import Testing

/// Secrets are read only when revealed, once, and never shown.
@Suite struct SecretTests {
    @Test func aCommandRunsOnlyWhenTheSecretIsRevealedAndOnlyOnce() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let file = try dir.write("config.lua", #"""
            return { p = { lumen = { api_key = command "echo ran >> '\#(dir.path)/runs'; printf 'sk_from_command_0001\\nsecond line\\n'" } } }
            """#)
        let config = try ConfigLoader.load(profile: nil, environment: [:], path: file)
        #expect(!dir.exists("runs"), "loading the file runs no command")
        let key = try #require(config.profile.lumen.apiKey)
        #expect(key.description.hasPrefix("(from command: echo ran"))
        #expect(!dir.exists("runs"), "describing the secret runs no command")
        #expect(try key.reveal() == "sk_from_command_0001")
        #expect(try key.reveal() == "sk_from_command_0001")
        #expect(try String(contentsOfFile: dir.path + "/runs", encoding: .utf8) == "ran\n")
    }

    @Test func revealingFromManyTasksAtOnceRunsTheCommandOnce() async throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let secret = Secret(.command("echo ran >> '\(dir.path)/runs'; sleep 0.2; echo tok_concurrent_0001"))
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0 ..< 6 { group.addTask { try secret.reveal() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: "tok_concurrent_0001", count: 6))
        #expect(try String(contentsOfFile: dir.path + "/runs", encoding: .utf8) == "ran\n")
    }

    @Test(arguments: [
        ("printf 'sk_%s' leaked_0001; exit 3", "the secret command `printf 'sk_%s' leaked_0001; exit 3` exited with status 3"),
        ("true", "the secret command `true` printed nothing"),
        ("echo; printf 'sk_%s' leaked_0001", "the secret command `echo; printf 'sk_%s' leaked_0001` printed nothing on its first line"),
        ("kill -9 $$", "the secret command `kill -9 $$` was killed by signal 9"),
    ])
    func aFailingCommandIsAClearErrorWithoutTheSecret(command: String, message: String) {
        let secret = Secret(.command(command), setting: "lumen.api_key")
        do {
            _ = try secret.reveal()
            Issue.record("revealed")
        } catch {
            #expect(error.message == message)
            #expect(error.operation == "lumen.api_key")
            #expect(error.kind == .validation)
            #expect(error.description == "lumen.api_key: " + message)
            #expect(!error.description.contains("sk_leaked_0001"), "what the command printed stays out of the error")
        }
    }

    @Test func aFailedCommandIsTriedAgainNextTime() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        let secret = Secret(.command("test -e '\(dir.path)/ready' && echo tok_ready_00000001"))
        #expect(failure { try secret.reveal() } != nil)
        try dir.write("ready", "")
        #expect(try secret.reveal() == "tok_ready_00000001")
    }

    @Test func aVariableIsReadWhenRevealed() throws {
        let secret = Secret(.environment("LUMEN_LIVE_KEY"), setting: "lumen.api_key")
        #expect(failure { try secret.reveal(environment: [:]) }
            == "the secret is to come from the environment variable LUMEN_LIVE_KEY, which is not set")
        #expect(failure { try secret.reveal(environment: ["LUMEN_LIVE_KEY": ""]) }
            == "the secret is to come from the environment variable LUMEN_LIVE_KEY, which is empty")
        #expect(try secret.reveal(environment: ["LUMEN_LIVE_KEY": "sk_live_from_variable"]) == "sk_live_from_variable")
    }

    @Test func aDescriptionNeverHoldsTheValue() {
        #expect(Secret(.literal("sk_live_0123456789abcdef")).description == "sk_l…(24 chars)")
        #expect(Secret(.literal("short")).description == "****")
        #expect(Secret(.environment("K")).description == "(from $K)")
        #expect(Secret(.command("pass show k")).description == "(from command: pass show k)")
        #expect(String(describing: SettingValue.secret(Secret(.literal("paysh-sandbox-secret")))) == "pays…(20 chars)")
    }
}
