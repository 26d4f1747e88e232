import Foundation
import PaymentsCore
import Testing

/// Several connections opening one new journal, or one new batch ledger, at
/// the same moment: each must get the file open with its schema, none may
/// be told "table already exists" or "database is locked". This is what a
/// batch started beside a long-lived paysh on a new machine does (the soak
/// starts both at once; a batch that lost this race once ended with exit 3).
///
/// Each round starts its openers together on a fresh file; separate
/// `BatchLedger` and `Journal` objects hold separate SQLite connections, so
/// they lock against each other as processes do.
@Suite struct OpeningANewFileAtOnceTests {
    static let rounds = 25
    static let openers = 6

    /// Run `open(path, opener)` from `openers` threads released together, on
    /// a fresh file each round; returns what failed, round by round.
    static func race(_ name: String, _ open: @escaping @Sendable (String, Int) async throws -> Void) async throws -> [String] {
        let folder = try JournalTests.scratch(name)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var failures: [String] = []
        for round in 0 ..< rounds {
            let path = folder + "/round-\(round).sqlite"
            let gate = DispatchGroup()
            gate.enter()
            let results = await withTaskGroup(of: String?.self) { group in
                for opener in 0 ..< openers {
                    group.addTask {
                        // Park on a thread of its own until every opener is ready.
                        await withCheckedContinuation { (ready: CheckedContinuation<Void, Never>) in
                            Thread.detachNewThread { gate.wait(); ready.resume() }
                        }
                        do { try await open(path, opener); return nil } catch { return "round \(round), opener \(opener): \(error)" }
                    }
                }
                usleep(20_000)
                gate.leave()
                var failed: [String] = []
                for await result in group { if let result { failed.append(result) } }
                return failed
            }
            failures += results
        }
        return failures
    }

    @Test func everyLedgerOpenerGetsItsBatchIn() async throws {
        let failures = try await Self.race(#function) { path, opener in
            let ledger = BatchLedger(path: path)
            let rows = try await ledger.open(batch: "b\(opener)", profile: "sandbox", keys: ["k1", "k2"])
            guard rows.count == 2 else { throw LedgerCheck.wrongCount(rows.count) }
            try await ledger.markSent(batch: "b\(opener)", key: "k1")
        }
        #expect(failures.isEmpty, "\(failures.count) of \(Self.rounds * Self.openers) openings failed; first: \(failures.prefix(3))")
    }

    @Test func everyJournalOpenerGetsItsCallIn() async throws {
        let failures = try await Self.race(#function) { path, opener in
            let journal = Journal(path: path)
            try journal.recordIntent(JournalTests.intent("call-\(opener)", profile: "p\(opener)"))
        }
        #expect(failures.isEmpty, "\(failures.count) of \(Self.rounds * Self.openers) openings failed; first: \(failures.prefix(3))")
    }

    enum LedgerCheck: Error { case wrongCount(Int) }
}
