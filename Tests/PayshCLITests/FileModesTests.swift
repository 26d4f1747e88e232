import Foundation
import Testing

/// Every file paysh makes in a session touching everything that keeps state —
/// the REPL's history, the built-in sandbox's state, the journal, the batch
/// ledger, the OAuth token cache — is 0600 and every folder it makes 0700,
/// even under `umask 000`, where anything created without care would be
/// open to every user of the machine.
@Suite struct FileModesTests {
    @Test func everyFileAndFolderPayshMakesIsPrivate() throws {
        let dir = try fixtureDirectory("file-modes", files: [
            "session.lua": """
                lumanu.create_payout { payee_email = "modes@example.com", amount = 100, description = "file modes" }
                paysh.batch { name = "modes", items = { 1, 2 }, key = function(n) return n end,
                  run = function(n) return lumanu.create_payout { payee_email = "modes" .. n .. "@example.com", amount = 100, description = "m" } end }
                lumyri.invoices():first()
                print("session done")
                """,
        ])
        let snippet = #"""
            umask 000
            export HOME=$PWD/world XDG_DATA_HOME=$PWD/world/data XDG_CONFIG_HOME=$PWD/world/config XDG_CACHE_HOME=$PWD/world/cache
            mkdir -m 755 world
            "$BIN" session.lua
            echo "script status $?"
            (printf 'x = 1\nlumyri.invoices():first()\n'; sleep 2; printf '\004') | timeout 60 script -qec "$BIN" /dev/null > repl.txt 2>&1
            echo "repl status $?"
            cd world && find . -mindepth 1 -printf '%m %y %p\n' | sort -k3
            """#
        let outcome = try runShell(snippet, binary: payshBinary, directory: dir, timeout: 120)
        #expect(outcome.stdout.contains("session done") && outcome.stdout.contains("script status 0"), "\(outcome)")
        #expect(outcome.stdout.contains("repl status 0"), "\(outcome)")
        let entries = outcome.stdout.split(separator: "\n").compactMap { line -> (mode: String, kind: String, path: String)? in
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[2].hasPrefix("./") else { return nil }
            return (parts[0], parts[1], parts[2])
        }
        let paths = Set(entries.map(\.path))
        for expected in ["./data/paysh/history", "./data/paysh/journal.sqlite", "./data/paysh/batches.sqlite", "./data/paysh/sandbox.sqlite"] {
            #expect(paths.contains(expected), "\(expected) was made:\n\(outcome)")
        }
        #expect(paths.contains { $0.hasPrefix("./cache/paysh/") && !$0.hasSuffix("/paysh") }, "the token cache was written:\n\(outcome)")
        for entry in entries {
            let expected = entry.kind == "d" ? "700" : "600"
            #expect(entry.mode == expected, "\(entry.path) is \(entry.mode), expected \(expected)")
        }
    }
}
