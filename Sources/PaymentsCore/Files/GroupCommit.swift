import Dispatch
import GRDB
import Synchronization

/// Writes to one SQLite database from many tasks at once, each durable when
/// it returns, with one commit — one sync of the log to disk — for all the
/// writes that arrived while the previous commit was being made.
///
/// With `synchronous = FULL` a commit costs a disk sync (about 1.5 ms here),
/// so fifty payouts in flight that each record an intent would otherwise
/// wait in line for fifty syncs. Here the first write starts a commit on a
/// thread of its own (never Swift's cooperative pool, which it would block);
/// whatever queues up meanwhile goes into the next one. Each write runs in a
/// savepoint, so one that fails (a refused row) fails alone and the others
/// still commit.
///
/// A write that need not survive a power cut (`durable: false`: an outcome,
/// which reconciliation can find again) is committed without the sync when
/// nothing durable shares its commit: `synchronous = NORMAL` for that one
/// transaction. In WAL mode such a commit is still safe from the process
/// being killed (it is in the operating system's hands), and the next
/// durable commit's sync of the log takes it to disk as well.
final class GroupCommit: Sendable {
    typealias Write = @Sendable (Database) throws -> Void

    private struct Pending: Sendable {
        let write: Write
        let durable: Bool
        let done: CheckedContinuation<Void, any Error>
    }

    private struct Queue: ~Copyable {
        var pending: [Pending] = []
        var committing = false
    }

    private let queue = Mutex(Queue())
    private let thread = DispatchQueue(label: "paysh.group-commit")
    private let commitsMade = Atomic<Int>(0)
    private let syncsMade = Atomic<Int>(0)

    /// How many commits have been made.
    var made: Int { commitsMade.load(ordering: .relaxed) }
    /// How many of them synced the log to disk.
    var synced: Int { syncsMade.load(ordering: .relaxed) }

    /// Run `write` in the next commit of `database` (an immediate
    /// transaction, so another process writing waits its turn); returns once
    /// that commit is made — on disk when `durable` — or throws what `write`
    /// or the commit threw.
    func write(to database: DatabaseQueue, durable: Bool = true, _ write: @escaping Write) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let start = queue.withLock { queue -> Bool in
                queue.pending.append(Pending(write: write, durable: durable, done: done))
                defer { queue.committing = true }
                return !queue.committing
            }
            if start { thread.async { self.commitAll(to: database) } }
        }
    }

    /// `write`, returning what `body` made.
    func write<T: Sendable>(to database: DatabaseQueue, durable: Bool = true,
                            _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let made = Mutex<T?>(nil)
        try await write(to: database, durable: durable) { db in
            let value = try body(db)
            made.withLock { $0 = value }
        }
        return made.withLock { $0! }
    }

    /// Commit what is queued, then what queued meanwhile, until nothing is.
    private func commitAll(to database: DatabaseQueue) {
        while true {
            let batch = queue.withLock { queue -> [Pending] in
                let batch = queue.pending
                queue.pending = []
                if batch.isEmpty { queue.committing = false }
                return batch
            }
            if batch.isEmpty { return }
            var failures = [(any Error)?](repeating: nil, count: batch.count)
            let durable = batch.contains { $0.durable }
            do {
                try database.writeWithoutTransaction { db in
                    // The connection stays FULL for everyone else; only this commit skips the sync.
                    if !durable { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
                    defer { if !durable { try? db.execute(sql: "PRAGMA synchronous = FULL") } }
                    try db.inTransaction(.immediate) {
                        for (i, pending) in batch.enumerated() {
                            do {
                                try db.inSavepoint {
                                    try pending.write(db)
                                    return .commit
                                }
                            } catch {
                                failures[i] = error
                            }
                        }
                        return .commit
                    }
                }
            } catch {
                for i in failures.indices where failures[i] == nil { failures[i] = error }
            }
            commitsMade.add(1, ordering: .relaxed)
            if durable { syncsMade.add(1, ordering: .relaxed) }
            for (pending, failure) in zip(batch, failures) {
                if let failure { pending.done.resume(throwing: failure) } else { pending.done.resume() }
            }
        }
    }
}
