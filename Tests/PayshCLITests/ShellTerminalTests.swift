import Foundation
import Testing

/// paysh's interactive shell in a real terminal (tmux): completion, kept
/// locals and results, Ctrl-C, history masking, help, the prompt.
@Suite(.serialized) struct ShellTerminalTests {
    static let payable = "4e872310-58fb-40bf-9494-68731fb3d6b4"

    /// A shell at its first prompt.
    static func shell(_ arguments: String = "", files: [String: String] = [:], home: String? = nil,
                      prompt: String = "sandbox> ") throws -> TerminalSession {
        let tty = try TerminalSession(command: "'\(payshBinary)' \(arguments)", files: files, home: home)
        let (ok, screen) = tty.waitFor(prompt: prompt, timeout: 20)
        #expect(ok, "\(screen)")
        return tty
    }

    /// Type a line, press Enter, and wait for the next prompt (so that nothing
    /// is typed while a line runs, when the terminal would echo it).
    static func enter(_ tty: TerminalSession, _ line: String, prompt: String = "sandbox") throws {
        try tty.type(line)
        try tty.press("Enter")
        let (ok, screen) = tty.waitFor("the prompt after \(line)", timeout: 20) {
            let last = lines(of: $0).last
            return last == prompt + ">" || last == prompt + ">>"
        }
        #expect(ok, "\(screen)")
    }

    /// The last line of the screen with text on it.
    static func lastLine(_ tty: TerminalSession) -> String { tty.lines.last ?? "" }

    @Test func tabCompletesModulesFunctionsAndIDsSeenBefore() throws {
        let tty = try Self.shell()
        try tty.type("lumy")
        try tty.press("Tab")
        var (ok, screen) = tty.waitFor("lumy completed") { Self.lines(of: $0).last == "sandbox> lumyri" }
        #expect(ok, "\(screen)")
        try tty.type(".pay_")
        try tty.press("Tab")
        (ok, screen) = tty.waitFor("pay_ completed") { Self.lines(of: $0).last == "sandbox> lumyri.pay_invoice(" }
        #expect(ok, "\(screen)")
        try tty.press("C-u")
        try Self.enter(tty, "lumyri.invoices():take(2)")
        (ok, screen) = tty.waitFor(text: Self.payable)
        #expect(ok, "\(screen)")
        #expect(tty.waitFor(prompt: "sandbox> ").0)
        try tty.type("lumyri.invoice(\"4e8")
        try tty.press("Tab")
        (ok, screen) = tty.waitFor("the invoice id completed") {
            Self.lines(of: $0).last == "sandbox> lumyri.invoice(\"\(Self.payable)\""
        }
        #expect(ok, "an id seen in a list completes the argument: \(screen)")
        try tty.type(").status")
        try tty.press("Enter")
        (ok, screen) = tty.waitFor(text: "\n\"Processing\"")
        #expect(ok, "\(screen)")
        try tty.type("lumanu.create_payout{payee")
        try tty.press("Tab")
        (ok, screen) = tty.waitFor("a declared field completed") { Self.lines(of: $0).last == "sandbox> lumanu.create_payout{payee_email =" }
        #expect(ok, "\(screen)")
    }

    @Test func aFunctionOverSeveralLinesLocalsAndResultsStay() throws {
        let tty = try Self.shell()
        try Self.enter(tty, "function add(a, b)")
        var (ok, screen) = tty.waitFor(prompt: "sandbox>> ")
        #expect(ok, "a continuation prompt: \(screen)")
        try Self.enter(tty, "  return a + b")
        try Self.enter(tty, "end")
        #expect(tty.waitFor(prompt: "sandbox> ").0)
        try Self.enter(tty, "local base = add(40, 2)")
        try Self.enter(tty, "base")
        (ok, screen) = tty.waitFor(text: "sandbox> base\n42\n")
        #expect(ok, "the local of the earlier line is still there: \(screen)")
        try Self.enter(tty, "_ + 1, _1 * 2")
        (ok, screen) = tty.waitFor("two results on one line") { Self.lines(of: $0).contains { $0.range(of: "^43 +84$", options: .regularExpression) != nil } }
        #expect(ok, "_ and _1 hold the last result: \(screen)")
        try Self.enter(tty, "{ id = 'inv_1', lines = { 1, 2, 3 } }")
        (ok, screen) = tty.waitFor(text: "{ id = \"inv_1\", lines = { 1, 2, 3 } }")
        #expect(ok, "a table is shown as inspect shows it: \(screen)")
        try Self.enter(tty, "nosuch.field")
        (ok, screen) = tty.waitFor("the error and the next prompt") {
            Self.lines(of: $0).suffix(2) == ["stdin:1: attempt to index a nil value (global 'nosuch')", "sandbox>"]
        }
        #expect(ok, "an error is one line, without a traceback: \(screen)")
    }

    @Test func aCursorShowsItsFirstItemsResultsAreColouredAndDebugShowsTracebacks() throws {
        let tty = try Self.shell("--debug")
        try Self.enter(tty, "lumyri.invoices{status = 'Processing'}")
        var (ok, screen) = tty.waitFor(text: "(lumyri.invoices: 10 of ")
        #expect(ok, "\(screen)")
        #expect(screen.contains("_:all() for every one"), "\(screen)")
        try Self.enter(tty, "'a string'")
        let line = tty.colouredScreen.split(separator: "\n").last { $0.contains("\"a string\"") && !$0.contains(">") } ?? ""
        #expect(line.contains("32m"), "strings are green: \(line.debugDescription)")
        try Self.enter(tty, "error('boom')")
        (ok, screen) = tty.waitFor(text: "stdin:1: boom\nstack traceback:")
        #expect(ok, "--debug adds the traceback: \(screen)")
    }

    @Test func aPastedBlockRunsAsOneChunk() throws {
        let tty = try Self.shell()
        // Only one chunk can jump over a line to a label further down.
        try tty.paste("goto skip\nprint('not skipped')\n::skip::\nprint('after the label')")
        try tty.press("Enter")
        let (ok, screen) = tty.waitFor(text: "\nafter the label\n")
        #expect(ok, "\(screen)")
        #expect(!screen.contains("\nnot skipped"), "\(screen)")
        #expect(!screen.contains("no visible label"), "\(screen)")
    }

    @Test func ctrlCClearsTheLineOrInterruptsARequestAndKeepsTheState() throws {
        let tty = try Self.shell()
        try tty.type("print('never run')")
        // Ctrl-C is a signal and overtakes keys readline has not read yet (the
        // terminal then drops them), so it is pressed once the line shows.
        var (ok, screen) = tty.waitFor("the typed line") { Self.lines(of: $0).last == "sandbox> print('never run')" }
        #expect(ok, "\(screen)")
        try tty.press("C-c")
        (ok, screen) = tty.waitFor("a new prompt") { Self.lines(of: $0).suffix(2) == ["sandbox> print('never run')^C", "sandbox>"] }
        #expect(ok, "Ctrl-C at the prompt abandons the line: \(screen)")
        try Self.enter(tty, "kept = 'still here'")
        try Self.enter(tty, "sandbox.faults('latency=30000')")
        #expect(tty.waitFor(prompt: "sandbox> ").0)
        try tty.type("print('ask' .. 'ing') lumyri.invoices():first()")
        try tty.press("Enter")
        #expect(tty.waitFor(text: "\nasking").0)
        usleep(300_000)
        let pressed = Date()
        try tty.press("C-c")
        (ok, screen) = tty.waitFor(text: "interrupted!")
        #expect(ok, "\(screen)")
        #expect(Date().timeIntervalSince(pressed) < 10, "the request in flight did not hold the prompt back")
        try Self.enter(tty, "kept")
        (ok, screen) = tty.waitFor(text: "\n\"still here\"")
        #expect(ok, "\(screen)")
        try Self.enter(tty, "sandbox.faults()")
        try Self.enter(tty, "lumyri.invoice('\(Self.payable)').id")
        (ok, screen) = tty.waitFor(text: "\n\"\(Self.payable)\"")
        #expect(ok, "the session still works: \(screen)")
        try tty.press("C-d")
        (ok, screen) = tty.waitFor(text: "[exited 0]")
        #expect(ok, "\(screen)")
    }

    @Test func ctrlCStopsEveryTaskOfAParallelRunAndNoneGoesOn() throws {
        let tty = try Self.shell()
        try Self.enter(tty, "finished = 0")
        try Self.enter(tty, "sandbox.faults('latency=20000')")
        try tty.type("print('start' .. 'ing') paysh.parallel({1, 2, 3, 4, 5, 6}, function() lumyri.invoices():first(); finished = finished + 1 end, {concurrency = 6})")
        try tty.press("Enter")
        #expect(tty.waitFor(text: "\nstarting").0)
        usleep(300_000)
        try tty.press("C-c")
        var (ok, screen) = tty.waitFor(text: "interrupted!")
        #expect(ok, "\(screen)")
        try Self.enter(tty, "sandbox.faults()")
        usleep(300_000)
        try Self.enter(tty, "finished")
        (ok, screen) = tty.waitFor("the count of finished tasks") { Self.lines(of: $0).suffix(2) == ["0", "sandbox>"] }
        #expect(ok, "no cancelled task ran on after Ctrl-C: \(screen)")
        try Self.enter(tty, "#paysh.parallel({1, 2}, function(n) return lumyri.invoice('\(Self.payable)').id end)")
        (ok, screen) = tty.waitFor("a new parallel run") { Self.lines(of: $0).suffix(2) == ["2", "sandbox>"] }
        #expect(ok, "the session still runs tasks: \(screen)")
    }

    @Test func historyIsKeptMaskedAndPrivateAcrossSessions() throws {
        let card = "4242424242424242"
        let tty = try Self.shell()
        try Self.enter(tty, "card = { cardNumber = '\(card)', cvv = '987' }")
        try Self.enter(tty, "note = 'paid with \(card)'")
        try Self.enter(tty, "x = 1")
        try Self.enter(tty, "x = 1")
        try Self.enter(tty, "   ")
        try tty.press("C-d")
        var (ok, screen) = tty.waitFor(text: "[exited 0]")
        #expect(ok, "\(screen)")
        let path = tty.directory + "/.local/share/paysh/history"
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!saved.contains(card) && !saved.contains("987"), "\(saved)")
        #expect(saved.contains("424242******4242"), "\(saved)")
        #expect(saved.components(separatedBy: "x = 1").count == 2, "a repeated line is kept once: \(saved)")
        #expect(!saved.contains("   \n"), "blank lines are not kept: \(saved)")
        var status = stat()
        #expect(stat(path, &status) == 0 && status.st_mode & 0o777 == 0o600)

        let again = try Self.shell(home: tty.directory)
        try again.press("Up", "Up")
        (ok, screen) = again.waitFor("the masked line recalled") { Self.lines(of: $0).last == "sandbox> note = 'paid with 424242******4242'" }
        #expect(ok, "the next session recalls the masked entry: \(screen)")
    }

    @Test func helpShowsTheDeclarations() throws {
        let tty = try Self.shell()
        try Self.enter(tty, "?lumyri.pay_invoice")
        var (ok, screen) = tty.waitFor(text: "Charge the company's default card for an invoice")
        #expect(ok, "\(screen)")
        #expect(screen.contains("Example: lumyri.pay_invoice(\""), "\(screen)")
        try Self.enter(tty, "help()")
        (ok, screen) = tty.waitFor(text: "paysh modules")
        #expect(ok, "\(screen)")
        try Self.enter(tty, "help(lumanu.create_payout)")
        (ok, screen) = tty.waitFor(text: "- Effect: moves money")
        #expect(ok, "\(screen)")
    }

    @Test func aProductionProfileHasARedPromptAndSaysSo() throws {
        let config = """
        return { live = { production = true, lumyri = { base_url = "http://127.0.0.1:9/lumyri", access_token = env "LIVE_TOKEN" } } }
        """
        let tty = try Self.shell("--profile live", files: [".config/paysh/config.lua": config], prompt: "live> ")
        let promptLine = Self.promptLine(tty.colouredScreen, "live>")
        #expect(promptLine.contains("31m"), "the profile's name is red: \(promptLine.debugDescription)")
        #expect(tty.screen.contains("PRODUCTION: real money moves"), "\(tty.screen)")
        #expect(tty.screen.contains("services: lumyri (not configured: lumanu, lumen)"), "\(tty.screen)")

        let sandbox = try Self.shell()
        let green = Self.promptLine(sandbox.colouredScreen, "sandbox>")
        #expect(!green.contains("31m") && green.contains("32m"), "the sandbox's prompt is green: \(green.debugDescription)")
        #expect(sandbox.screen.contains("no real money moves"), "\(sandbox.screen)")
    }

    @Test func viModeFromInputrcWorks() throws {
        let tty = try Self.shell(files: [".inputrc": "set editing-mode vi\n"])
        try tty.type("rint(6 * 7)")
        try tty.press("Escape")
        try tty.type("0ip")
        try tty.press("Enter")
        let (ok, screen) = tty.waitFor(text: "\n42\n")
        #expect(ok, "Escape, 0, i moved to the start of the line in vi mode: \(screen)")
    }

    /// The last line of a coloured screen that reads `text` once its colours are taken out.
    static func promptLine(_ coloured: String, _ text: String) -> String {
        let lines = coloured.split(separator: "\n").map(String.init)
        return lines.last { $0.replacingOccurrences(of: "\u{1b}\\[[0-9;]*m", with: "", options: .regularExpression)
            .trimmingCharacters(in: .whitespaces) == text } ?? ""
    }

    static func lines(of screen: String) -> [String] {
        TerminalSession.lines(of: screen).map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
    }
}
