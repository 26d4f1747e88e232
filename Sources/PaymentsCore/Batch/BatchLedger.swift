import Foundation
import GRDB
import Synchronization

/// The durable record of batches (`paysh.batch`): for every item of a named
/// batch, by its key, how far it got —
///
///     pending → sent → done (with the remote id)
///                    → failed (with the reason, and whether trying again is safe)
///
/// `sent` is written, and on disk, before the item's first request leaves;
/// an item still `sent` when its batch is run again is one whose outcome
/// nobody learnt (the process was killed, or the call's outcome stayed
/// unknown), and is reconciled before anything is sent again.
///
/// One SQLite file, `$PAYSH_LEDGER`, else `batches.sqlite` next to the
/// journal; private (0600, in a 0700 folder), WAL, `synchronous = FULL`; the
/// items of a batch in flight together share commits (``GroupCommit``).
public final class BatchLedger: Sendable {
    public enum State: String, Sendable, CaseIterable {
        case pending, sent, done, failed
    }

    /// One item's row.
    public struct Item: Sendable, Equatable {
        public var key: String
        public var position: Int
        public var state: State
        public var attempts: Int
        public var remoteID: String?
        public var reason: String?
        /// For a failed item: whether the failure did nothing, so that trying again is safe.
        public var retryable: Bool
        public var updatedAt: String
        /// `updatedAt` as a date (nil if the text is not one of the ledger's timestamps).
        public var updated: Date? { JournalTimestamp.date(updatedAt) }
    }

    /// A batch and how many of its items are in each state.
    public struct Summary: Sendable, Equatable {
        public var name: String
        public var profile: String
        public var createdAt: String
        public var updatedAt: String
        public var counts: [State: Int]
        public var total: Int { counts.values.reduce(0, +) }
    }

    public let path: String
    private let opened = Mutex<DatabaseQueue?>(nil)
    let commits = GroupCommit()

    /// `path` for a ledger that lives only as long as this object (a dry run's).
    public static let inMemory = ":memory:"

    public init(path: String) { self.path = path }

    /// The ledger where `environment` puts it.
    public convenience init(environment: [String: String]) {
        self.init(path: Self.defaultPath(environment: environment))
    }

    /// `$PAYSH_LEDGER`, else `batches.sqlite` in paysh's data folder.
    public static func defaultPath(environment: [String: String]) -> String {
        if let explicit = environment["PAYSH_LEDGER"], !explicit.isEmpty { return explicit }
        return PrivateFiles.dataDirectory(environment: environment) + "/batches.sqlite"
    }

    // MARK: Running a batch

    /// Start (or take up again) batch `name` of `profile` with `keys`, in
    /// order: keys it does not know yet are added as `pending`. Returns every
    /// row of the batch by key. A batch is tied to the profile it was first run on.
    public func open(batch name: String, profile: String, keys: [String]) async throws(PaymentsError) -> [String: Item] {
        let now = JournalTimestamp.text(Date())
        let queue = try database()
        var rows: [String: Item] = [:]
        do {
            rows = try await commits.write(to: queue) { db -> [String: Item] in
                if let existing = try String.fetchOne(db, sql: "SELECT profile FROM batch WHERE name = ?", arguments: [name]) {
                    guard existing == profile else { throw LedgerRefusal("batch \"\(name)\" belongs to profile \"\(existing)\", not \"\(profile)\"") }
                    try db.execute(sql: "UPDATE batch SET updated_at = ? WHERE name = ?", arguments: [now, name])
                } else {
                    try db.execute(sql: "INSERT INTO batch (name, profile, created_at, updated_at) VALUES (?, ?, ?, ?)",
                                   arguments: [name, profile, now, now])
                }
                var next = try Int.fetchOne(db, sql: "SELECT coalesce(max(position), 0) FROM item WHERE batch = ?", arguments: [name]) ?? 0
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO item (batch, key, position, state, attempts, retryable, updated_at)
                    VALUES (?, ?, ?, 'pending', 0, 0, ?) ON CONFLICT (batch, key) DO NOTHING
                    """)
                for key in keys {
                    next += 1
                    try insert.execute(arguments: [name, key, next, now])
                }
                var found: [String: Item] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM item WHERE batch = ?", arguments: [name]) {
                    let item = Self.item(row)
                    found[item.key] = item
                }
                return found
            }
        } catch {
            throw failure("open batch \"\(name)\"", error)
        }
        return rows
    }

    /// The item is about to send its first request (again): `sent`, one more attempt.
    public func markSent(batch: String, key: String) async throws(PaymentsError) {
        try await update(batch, key, "mark \(key) sent",
                         sql: "UPDATE item SET state = 'sent', attempts = attempts + 1, updated_at = ? WHERE batch = ? AND key = ?")
    }

    /// The item is done; `remoteID` is what it made or found (a payout id).
    ///
    /// This and the other outcomes below are committed without waiting for a
    /// disk sync when no `sent` shares the commit: safe from the process
    /// being killed; a power cut can lose them, and the item then reads as
    /// `sent`, which the next run reconciles.
    public func markDone(batch: String, key: String, remoteID: String?) async throws(PaymentsError) {
        try await update(batch, key, "mark \(key) done", durable: false,
                         sql: "UPDATE item SET state = 'done', remote_id = ?, reason = NULL, retryable = 0, updated_at = ? WHERE batch = ? AND key = ?",
                         first: [remoteID])
    }

    /// The item failed for `reason`; `retryable` when the failure did nothing.
    public func markFailed(batch: String, key: String, reason: String, retryable: Bool) async throws(PaymentsError) {
        try await update(batch, key, "mark \(key) failed", durable: false,
                         sql: "UPDATE item SET state = 'failed', reason = ?, retryable = ?, updated_at = ? WHERE batch = ? AND key = ?",
                         first: [Redactor.standard.text(reason), retryable])
    }

    /// The item's outcome is unknown: it stays `sent` (a later run reconciles it), with the reason.
    public func markUndecided(batch: String, key: String, reason: String) async throws(PaymentsError) {
        try await update(batch, key, "mark \(key) undecided", durable: false,
                         sql: "UPDATE item SET state = 'sent', reason = ?, updated_at = ? WHERE batch = ? AND key = ?",
                         first: [Redactor.standard.text(reason)])
    }

    private func update(_ batch: String, _ key: String, _ action: String, durable: Bool = true, sql: String,
                        first: [(any DatabaseValueConvertible)?] = []) async throws(PaymentsError) {
        let arguments = StatementArguments(first + [JournalTimestamp.text(Date()), batch, key])
        let queue = try database()
        do {
            try await commits.write(to: queue, durable: durable) { db in
                try db.cachedStatement(sql: sql).execute(arguments: arguments)
                guard db.changesCount == 1 else { throw LedgerRefusal("batch \"\(batch)\" has no item \"\(key)\"") }
            }
        } catch {
            throw failure(action, error)
        }
    }

    // MARK: Reading

    /// Every batch, newest first, with its counts. Empty when there is no ledger yet.
    public func batches() throws(PaymentsError) -> [Summary] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, profile, created_at, updated_at FROM batch ORDER BY updated_at DESC, name").map { row in
                try Self.summary(db, name: row["name"], profile: row["profile"], created: row["created_at"], updated: row["updated_at"])
            }
        } ?? []
    }

    /// One batch's counts, or nil when there is no such batch.
    public func summary(of name: String) throws(PaymentsError) -> Summary? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT name, profile, created_at, updated_at FROM batch WHERE name = ?", arguments: [name])
            else { return nil }
            return try Self.summary(db, name: row["name"], profile: row["profile"], created: row["created_at"], updated: row["updated_at"])
        } ?? nil
    }

    /// A batch's items in their order.
    public func items(of name: String) throws(PaymentsError) -> [Item] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM item WHERE batch = ? ORDER BY position", arguments: [name]).map(Self.item)
        } ?? []
    }

    static let columns = "key, position, state, attempts, remote_id, reason, retryable, updated_at"

    static func item(_ row: Row) -> Item {
        Item(key: row["key"], position: row["position"], state: State(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
             remoteID: row["remote_id"], reason: row["reason"], retryable: row["retryable"], updatedAt: row["updated_at"])
    }

    static func summary(_ db: Database, name: String, profile: String, created: String, updated: String) throws -> Summary {
        var counts: [State: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT state, count(*) AS n FROM item WHERE batch = ? GROUP BY state", arguments: [name]) {
            if let state = State(rawValue: row["state"]) { counts[state] = row["n"] }
        }
        return Summary(name: name, profile: profile, createdAt: created, updatedAt: updated, counts: counts)
    }

    // MARK: The file

    private func database() throws(PaymentsError) -> DatabaseQueue {
        let result: Result<DatabaseQueue, PaymentsError> = opened.withLock { opened in
            if let opened { return .success(opened) }
            do {
                if path == Self.inMemory {
                    let queue = try DatabaseQueue()
                    try Self.migrator.migrate(queue)
                    opened = queue
                    return .success(queue)
                }
                let queue = try JournalFile.openDatabase(path, label: "paysh.ledger", migrator: Self.migrator)
                opened = queue
                return .success(queue)
            } catch {
                return .failure(failure("open it", error))
            }
        }
        return try result.get()
    }

    private func read<T>(_ body: (Database) throws -> T) throws(PaymentsError) -> T? {
        guard path == Self.inMemory || FileManager.default.fileExists(atPath: path) else { return nil }
        let queue = try database()
        do { return try queue.read(body) } catch { throw failure("read it", error) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE batch (
                    name TEXT PRIMARY KEY NOT NULL,
                    profile TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE TABLE item (
                    batch TEXT NOT NULL REFERENCES batch (name),
                    key TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'done', 'failed')),
                    attempts INTEGER NOT NULL,
                    remote_id TEXT,
                    reason TEXT,
                    retryable INTEGER NOT NULL CHECK (retryable IN (0, 1)),
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (batch, key)
                );
                """)
        }
        return migrator
    }

    /// `ledger PATH: cannot ACTION: WHY`.
    private func failure(_ action: String, _ error: any Error) -> PaymentsError {
        let why = (error as? LedgerRefusal)?.sentence ?? (error as? PaymentsError)?.message ?? (error as? PrivateFiles.Problem)?.sentence
            ?? (error as? DatabaseError).map { $0.message ?? "\($0)" } ?? "\(error)"
        return PaymentsError(kind: .validation, service: "paysh", operation: "paysh.batch",
                             message: Redactor.standard.text("ledger \(path): cannot \(action): \(why)"))
    }
}

/// A write the ledger refuses (another profile's batch, an unknown item).
struct LedgerRefusal: Error {
    let sentence: String
    init(_ sentence: String) { self.sentence = sentence }
}
