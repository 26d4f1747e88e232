import Foundation
import PaymentsCore
@testable import REPL
import Testing

/// The history file: private, masked, without blanks or repeats, entries of several lines kept whole.
@Suite struct HistoryFileTests {
    static func scratch(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-history-\(getpid())-\(name)-\(UUID().uuidString.prefix(6))")
        return dir.appendingPathComponent("data/paysh/history").path
    }

    static func mode(_ path: String) -> mode_t {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & 0o777 : 0
    }

    @Test func theFileAndItsFolderAreTheOwnersOnly() throws {
        let history = HistoryFile(path: try Self.scratch("mode"))
        try history.append("print(1)")
        #expect(Self.mode(history.path) == 0o600)
        #expect(Self.mode((history.path as NSString).deletingLastPathComponent) == 0o700)
        try history.compact()
        #expect(Self.mode(history.path) == 0o600, "the rewritten file too")
    }

    @Test func aWiderFileIsNarrowedWhenWritten() throws {
        let history = HistoryFile(path: try Self.scratch("wide"))
        try history.append("x = 1")
        chmod(history.path, 0o644)
        try history.append("x = 2")
        #expect(Self.mode(history.path) == 0o600)
    }

    @Test func entriesComeBackInOrderWithoutBlanksOrRepeats() throws {
        var history = HistoryFile(path: try Self.scratch("order"))
        for entry in ["a = 1", "   ", "b = 2", "a = 1", "", "c = 3"] { try history.append(entry) }
        #expect(history.load() == ["b = 2", "a = 1", "c = 3"])
        history.limit = 2
        try history.compact()
        #expect(history.load() == ["a = 1", "c = 3"])
        #expect(try String(contentsOfFile: history.path, encoding: .utf8) == "a = 1\nc = 3\n")
    }

    @Test func anEntryOfSeveralLinesIsKeptWhole() throws {
        let history = HistoryFile(path: try Self.scratch("lines"))
        let entry = "function f()\n  return \"a\\nb\" -- \\\\\nend"
        try history.append(entry)
        try history.append("print(f())")
        #expect(history.load() == [entry, "print(f())"])
        let file = try String(contentsOfFile: history.path, encoding: .utf8)
        #expect(file.split(separator: "\n").count == 2, "\(file)")
    }

    @Test(arguments: [
        ("lumyri.create_card{info = {cardNumber = \"4242424242424242\", cvv = \"123\"}}", ["4242424242424242", "\"123\""]),
        ("card = '4000 0000 0000 0002'", ["4000 0000 0000 0002", "0000 0000"]),
        ("n = 5555555555554444", ["5555555555554444"]),
        ("t = {cvc = 987, securityCode = '4321'}", ["987", "4321"]),
        ("client_secret = 'sandbox-client-secret-123'", ["sandbox-client-secret-123"]),
        ("h = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'", ["eyJhbGciOiJIUzI1NiJ9", "c2lnbmF0dXJl"]),
        ("os.setenv('LUMEN_API_KEY', 'sk_live_51Habcdefghijklmnop')", ["sk_live_51Habcdefghijklmnop"]),
        ("token = \"tok_abcdefghijklmnop\"", ["tok_abcdefghijklmnop"]),
        ("password = \"hunter2hunter2\"", ["hunter2hunter2"]),
    ] as [(String, [String])])
    func cardDataAndSecretsNeverReachTheFile(entry: String, secrets: [String]) throws {
        let history = HistoryFile(path: try Self.scratch("mask"))
        try history.append(entry)
        let file = try String(contentsOfFile: history.path, encoding: .utf8)
        for secret in secrets { #expect(!file.contains(secret), "\(secret) is in the history: \(file)") }
        #expect(!file.isEmpty)
    }

    @Test func aMaskedCardKeepsItsFirstSixAndLastFourDigits() {
        #expect(HistoryFile.mask("pay('4242424242424242')") == "pay('424242******4242')")
        #expect(HistoryFile.mask("lumyri.invoice('4e872310-58fb-40bf-9494-68731fb3d6b4')") == "lumyri.invoice('4e872310-58fb-40bf-9494-68731fb3d6b4')",
                "ids are not card numbers")
        #expect(HistoryFile.mask("lumanu.create_payout{amount = 1050}") == "lumanu.create_payout{amount = 1050}")
    }

    @Test func theDefaultPlaceIsTheDataFolder() {
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/ada"]) == "/home/ada/.local/share/paysh/history")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/home/ada", "XDG_DATA_HOME": "/data"]) == "/data/paysh/history")
        #expect(HistoryFile.defaultPath(environment: ["PAYSH_HISTORY": "/tmp/h"]) == "/tmp/h")
    }
}
