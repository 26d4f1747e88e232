import Foundation
import Testing

/// What stands between a command line and money moving: confirmation on a
/// production profile, card data that never sits in a command line or on a
/// screen. Each runs paysh as a process against a `paysh sandbox`.
@Suite struct MoneySafetyTests {
    static let invoice = "4e872310-58fb-40bf-9494-68731fb3d6b4"

    /// A `live` profile marked production, pointing at the sandbox the snippet started.
    static let config = """
        return {
          live = {
            production = true,
            lumyri = { base_url = os.getenv("LUMYRI_BASE_URL"), access_token = env "LUMYRI_ACCESS_TOKEN" },
          },
        }
        """

    @Test func aProductionProfileRefusesToMoveMoneyWhenNobodyCanConfirm() throws {
        let directory = try fixtureDirectory("production-refuses", files: ["config.lua": Self.config])
        let snippet = SandboxCommandTests.start + "\n" + #"""
            mkdir -p config/paysh && mv config.lua config/paysh/
            STATE=$PWD/state.sqlite start_sandbox
            "$BIN" --profile live -e 'lumyri.pay_invoice("\#(Self.invoice)")' < /dev/null 2> refused.txt; echo "refused $?"
            "$BIN" --profile live --dry-run -e 'lumyri.pay_invoice("\#(Self.invoice)")' < /dev/null > dry.txt 2>&1; echo "dry $?"
            "$BIN" --profile live -p 'lumyri.invoice("\#(Self.invoice)").status' < /dev/null; echo "read $?"
            "$BIN" --profile live --yes -p 'lumyri.pay_invoice("\#(Self.invoice)").status' < /dev/null; echo "yes $?"
            echo "--- stderr of the refusal"; cat refused.txt
            kill -TERM $SANDBOX; wait $SANDBOX
            """#
        let outcome = try runShell(snippet, binary: payshBinary, directory: directory,
                                   environment: ["XDG_CONFIG_HOME": directory + "/config", "XDG_DATA_HOME": directory + "/data"], timeout: 60)
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("refused 2"), "\(outcome)")
        #expect(lines.contains("dry 0"), "a dry run sends nothing, so it needs no confirmation: \(outcome)")
        #expect(lines.firstIndex(of: "\"Processing\"").map { $0 < lines.firstIndex(of: "read 0")! } == true,
                "neither the refusal nor the dry run paid: \(outcome)")
        #expect(lines.contains("\"Succeeded\"") && lines.contains("yes 0"), "--yes goes ahead: \(outcome)")
        let refusal = outcome.stdout.components(separatedBy: "--- stderr of the refusal\n").last ?? ""
        #expect(refusal.contains("production profile \"live\"") && refusal.contains("--yes"))
        #expect(refusal.split(separator: "\n").count == 1, "one line: \(refusal)")
    }

    @Test func aProductionProfileAsksThePersonAtTheTerminal() throws {
        let directory = try fixtureDirectory("production-asks", files: ["config.lua": Self.config])
        let snippet = SandboxCommandTests.start + "\n" + #"""
            mkdir -p config/paysh && mv config.lua config/paysh/
            STATE=$PWD/state.sqlite start_sandbox
            cat > ask.sh <<EOF
            export LUMYRI_BASE_URL='$LUMYRI_BASE_URL' LUMYRI_ACCESS_TOKEN='$LUMYRI_ACCESS_TOKEN'
            export XDG_CONFIG_HOME='$PWD/config' XDG_DATA_HOME='$PWD/data'
            "$BIN" --profile live -p 'lumyri.pay_invoice("\#(Self.invoice)").status'
            EOF
            echo $SANDBOX > sandbox.pid
            """#
        _ = try runShell(snippet, binary: payshBinary, directory: directory, timeout: 30)
        defer { _ = try? runShell("kill -TERM $(cat sandbox.pid)", binary: payshBinary, directory: directory) }
        let first = try TerminalSession(command: "sh '\(directory)/ask.sh'")
        #expect(first.waitFor("the question") { $0.contains("on production profile \"live\"?") && $0.contains("y/N]") }.0, "\(first.screen)")
        try first.type("n")
        try first.press("Enter")
        let (refused, screen) = first.waitFor("the refusal") { $0.contains("[exited 2]") }
        #expect(refused && screen.contains("not confirmed: nothing was sent"), "\(screen)")
        let second = try TerminalSession(command: "sh '\(directory)/ask.sh'")
        #expect(second.waitFor("the question") { $0.contains("y/N]") }.0)
        try second.type("y")
        try second.press("Enter")
        let (paid, after) = second.waitFor("the payment") { $0.contains("[exited 0]") }
        #expect(paid && after.contains("Succeeded"), "\(after)")
    }

    @Test func aCardNumberIsAskedForWithoutEchoAndNeverShown() throws {
        let script = """
            local card = lumyri.create_card{ info = { cardName = "Ada Lovelace", expMonth = 12, expYear = 2031, country = "US" } }
            print("created " .. card.id)
            """
        let session = try TerminalSession(command: "XDG_DATA_HOME=\"$PWD/data\" '\(payshBinary)' add_card.lua", files: ["add_card.lua": script])
        #expect(session.waitFor("the number prompt") { $0.contains("Card number (not shown):") }.0, "\(session.screen)")
        try session.type("4242 4242 4242 4242")
        try session.press("Enter")
        #expect(session.waitFor("the CVV prompt") { $0.contains("CVV (not shown):") }.0, "\(session.screen)")
        try session.type("987")
        try session.press("Enter")
        let (done, screen) = session.waitFor("the card") { $0.contains("[exited") }
        #expect(done && screen.contains("created ") && screen.contains("[exited 0]"), "\(screen)")
        #expect(!screen.contains("4242 4242") && !screen.contains("4242424242424242") && !screen.contains("987"), "\(screen)")
    }

    @Test func aCardNumberOnTheCommandLineIsRefusedBeforeAnythingRuns() throws {
        let directory = try fixtureDirectory("card-on-command-line", files: [:])
        let outcome = try runShell(#""$BIN" -e 'print("ran") lumyri.create_card{info = {cardNumber = "4242 4242 4242 4242"}}'; echo "status $?""#,
                                   binary: payshBinary, directory: directory, environment: ["XDG_DATA_HOME": directory + "/data"])
        #expect(outcome.stdout == "status 2\n", "\(outcome)")
        #expect(outcome.stderr.contains("looks like a card number") && !outcome.stderr.contains("4242 4242"), "\(outcome)")
    }
}
