import Foundation
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
}
