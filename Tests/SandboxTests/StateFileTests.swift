import Foundation
import GRDB
@testable import Sandbox
import Testing

/// The sandbox's state file holds card numbers and its token-signing key:
/// only its owner may read it.
@Suite struct StateFileTests {
    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int).flatMap { $0 }
    }

    @Test func aNewStateIsPrivateInAPrivateFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-state-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/made/by/the/sandbox/state.sqlite"
        let previous = umask(0o022)
        defer { umask(previous) }
        let store = try SandboxStore(.file(path))
        try store.write { db in try db.setSetting("probe", "1") }
        #expect(Self.mode(path) == 0o600)
        #expect(Self.mode(path + "-wal") == 0o600, "the log has the file's mode")
        #expect(Self.mode(root + "/made/by/the/sandbox") == 0o700)
        #expect(Self.mode(root + "/made") == 0o700)
    }

    @Test func anOlderStateThatAnyoneCouldReadIsNarrowed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-state-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = root + "/state.sqlite"
        _ = try SandboxStore(.file(path))
        #expect(chmod(path, 0o644) == 0)
        _ = try SandboxStore(.file(path))
        #expect(Self.mode(path) == 0o600)
    }

    /// A state file from before the payee index (schema v1 alone) is brought
    /// up to date when opened, and its payouts are found through the index.
    @Test func aStateFromBeforeThePayeeIndexGetsIt() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-state-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let path = root + "/state.sqlite"
        do {
            let old = try DatabaseQueue(path: path)
            try SandboxStore.migrator.migrate(old, upTo: "v1")
            try old.write { db in
                try db.execute(sql: """
                    INSERT INTO object (service, kind, id, owner, sequence, body) VALUES
                    ('lumanu', 'payout', 'p1', 'w1', 1, '{"vendor_email":"a@example.com"}'),
                    ('lumanu', 'payout', 'p2', 'w1', 2, '{"vendor_email":"b@example.com"}')
                    """)
            }
            try old.close()
        }
        let store = try SandboxStore(.file(path))
        let indexes = try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'") }
        #expect(indexes.contains("object_payout_by_payee"))
        let ids = try store.read { db in try Row.fetchAll(db, sql: Database.payoutsOfPayee, arguments: ["b@example.com", nil as String?]).map { $0["id"] as String } }
        #expect(ids == ["p2"])
    }

    /// Processes opening one new state file at once (a `paysh sandbox` and a
    /// program serving the sandbox itself) each get it open.
    @Test func severalOpeningOneNewStateAtOnceAllGetIt() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-state-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var failures: [String] = []
        for round in 0 ..< 20 {
            let path = root + "/state-\(round).sqlite"
            failures += await withTaskGroup(of: String?.self) { group in
                for opener in 0 ..< 4 {
                    group.addTask {
                        do { _ = try SandboxStore(.file(path)); return nil } catch { return "round \(round), opener \(opener): \(error)" }
                    }
                }
                var failed: [String] = []
                for await result in group { if let result { failed.append(result) } }
                return failed
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
    }
}
