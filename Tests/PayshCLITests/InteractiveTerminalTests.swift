import Foundation
import Testing

/// A program running in a real terminal: a tmux session on a private server.
final class TerminalSession {
    let server = "paysh-test-\(getpid())-\(UUID().uuidString.prefix(8))"
    let directory: String

    /// Run `command` in a new terminal whose home is a fresh folder holding `files`
    /// (or the folder `home`, to start a second session on the same files).
    init(command: String, files: [String: String] = [:], home: String? = nil) throws {
        directory = try home ?? fixtureDirectory("tty-\(server)", files: files)
        for (path, content) in files where home != nil {
            try content.write(toFile: directory + "/" + path, atomically: true, encoding: .utf8)
        }
        // A world of its own (no XDG folders or paysh variables from outside); the command's
        // status is printed when it ends, and the pane stays for the test to read.
        let isolated = "env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u PAYSH_HISTORY -u PAYSH_CONFIG "
            + "-u PAYSH_PROFILE -u PAYSH_SANDBOX_STATE -u NO_COLOR -u INPUTRC HOME='\(directory)' "
        let wrapped = "cd '\(directory)' && \(isolated)\(command); echo \"[exited $?]\"; sleep 30"
        try tmux("new-session", "-d", "-s", "main", "-x", "120", "-y", "40", wrapped)
    }

    deinit { _ = try? tmux("kill-server") }

    @discardableResult
    func tmux(_ args: String...) throws -> String {
        let quoted = args.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let outcome = try runShell("tmux -L \(server) " + quoted, binary: payshBinary, directory: "/tmp")
        return outcome.stdout
    }

    /// Type text literally, or press keys by tmux name (`Enter`, `C-c`, `Home`).
    func type(_ text: String) throws { try tmux("send-keys", "-t", "main", "-l", text) }
    func press(_ keys: String...) throws { for key in keys { try tmux("send-keys", "-t", "main", key) } }

    var screen: String { (try? tmux("capture-pane", "-p", "-t", "main")) ?? "" }

    /// The screen with its colours, as SGR sequences.
    var colouredScreen: String { (try? tmux("capture-pane", "-p", "-e", "-t", "main")) ?? "" }

    /// Paste `text` as a terminal does (bracketed, when the program asked for it).
    func paste(_ text: String) throws {
        let file = directory + "/.paste"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        try tmux("load-buffer", file)
        try tmux("paste-buffer", "-p", "-t", "main")
    }

    /// Wait until the screen satisfies `condition`; the screen is returned for messages.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 10, _ condition: (String) -> Bool) -> (Bool, String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen
            if condition(last) { return (true, last) }
            usleep(50_000)
        }
        return (false, "waiting for \(what); screen:\n\(last)")
    }

    func waitFor(text: String, timeout: TimeInterval = 10) -> (Bool, String) {
        waitFor(text, timeout: timeout) { $0.contains(text) }
    }

    /// Wait until the last line of the screen is exactly `prompt` (tmux drops trailing spaces).
    func waitFor(prompt: String, timeout: TimeInterval = 10) -> (Bool, String) {
        let wanted = prompt.trimmingCharacters(in: .whitespaces)
        return waitFor("the prompt \(prompt)", timeout: timeout) { screen in
            Self.lines(of: screen).last?.trimmingCharacters(in: .whitespaces) == wanted
        }
    }

    /// The lines of the screen, trailing blanks removed.
    var lines: [String] { Self.lines(of: screen) }

    static func lines(of screen: String) -> [String] {
        screen.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
            .reversed().drop(while: { $0.trimmingCharacters(in: .whitespaces).isEmpty }).reversed()
    }
}

@Suite(.serialized) struct InteractiveTerminalTests {
    @Test func printsExpressionsAndContinuesIncompleteChunks() throws {
        let tty = try TerminalSession(command: "'\(payshBinary)'")
        var (ok, screen) = tty.waitFor(prompt: "sandbox> ")
        #expect(ok, "\(screen)")
        #expect(screen.contains("Lua 5.4"), "banner: \(screen)")
        try tty.type("1 + 1")
        try tty.press("Enter")
        (ok, screen) = tty.waitFor("the value and a new prompt") { TerminalSession.lines(of: $0).suffix(3) == ["sandbox> 1 + 1", "2", "sandbox>"] }
        #expect(ok, "value of 1 + 1 printed on its own line: \(screen)")
        try tty.type("for i = 1, 2 do")
        try tty.press("Enter")
        (ok, screen) = tty.waitFor(prompt: "sandbox>> ")
        #expect(ok, "continuation prompt: \(screen)")
        try tty.type("io.write('item ', i, ';') end")
        try tty.press("Enter")
        (ok, screen) = tty.waitFor(text: "item 1;item 2;")
        #expect(ok, "\(screen)")
    }

    @Test func readlineEditsTheLineAndReadsInputrc() throws {
        let inputrc = "$if paysh\n\"\\C-xp\": \"print('from inputrc')\"\n$endif\n"
        let tty = try TerminalSession(command: "'\(payshBinary)'", files: [".inputrc": inputrc])
        #expect(tty.waitFor(prompt: "sandbox> ").0)
        try tty.type("rint('edited ' .. 6 * 7)")
        try tty.press("Home")
        try tty.type("p")
        try tty.press("Enter")
        var (ok, screen) = tty.waitFor(text: "edited 42")
        #expect(ok, "Home moved the cursor to the start of the line: \(screen)")
        try tty.press("C-x", "p", "Enter")
        (ok, screen) = tty.waitFor(text: "\nfrom inputrc")
        #expect(ok, "the $if paysh binding of ~/.inputrc ran: \(screen)")
        try tty.press("Up", "Up", "Enter")
        (ok, screen) = tty.waitFor("history recalls the earlier line") { $0.components(separatedBy: "edited 42").count >= 3 }
        #expect(ok, "\(screen)")
    }

    @Test func ctrlCInterruptsARunningChunkAndKeepsTheState() throws {
        let tty = try TerminalSession(command: "'\(payshBinary)'")
        #expect(tty.waitFor(prompt: "sandbox> ").0)
        try tty.type("kept = 'still here'")
        try tty.press("Enter")
        // Ctrl-C once the chunk is seen running: pressed while the line is still
        // unread, it would abandon the line at the prompt instead.
        try tty.type("print('spin' .. 'ning') while true do end")
        try tty.press("Enter")
        #expect(tty.waitFor(text: "\nspinning").0)
        try tty.press("C-c")
        var (ok, screen) = tty.waitFor(text: "interrupted!")
        #expect(ok, "\(screen)")
        try tty.type("kept")
        try tty.press("Enter")
        (ok, screen) = tty.waitFor(text: "\n\"still here\"")
        #expect(ok, "\(screen)")
        try tty.press("C-d")
        (ok, screen) = tty.waitFor(text: "[exited 0]")
        #expect(ok, "Ctrl-D at an empty prompt exits with status 0: \(screen)")
    }
}
