import Foundation
import GRDB
import JSON

/// One object of a simulated API, as stored: its JSON in the API's key
/// order, who owns it (merchant, company, workspace), and when it was made.
public struct StoredObject: Sendable, Equatable {
    public var id: String
    public var owner: String
    /// Creation order within the sandbox (lists are in this order).
    public var sequence: Int64
    public var body: JSONObject
}

/// The sandbox's state in SQLite, through GRDB.
///
/// A file uses WAL, and every API call that changes anything does so in one
/// transaction, so a crash or `kill -9` leaves either the old state or the
/// new one, never a torn file. Objects are JSON documents keyed by service,
/// kind and id; lists filter them in Swift (the sandbox's data is small).
public final class SandboxStore: Sendable {
    let database: any DatabaseWriter

    public init(_ state: SandboxConfiguration.State) throws {
        switch state {
        case .memory:
            database = try DatabaseQueue()
        case .file(let path):
            try Self.createPrivately(path)
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            database = try DatabasePool(path: path, configuration: configuration)
        }
        try Self.migrate(database)
        if case .file(let path) = state { Self.narrow(path) }
    }

    /// Bring the state's schema up to date. GRDB's migrator reads which
    /// migrations are applied before it takes the write lock, so two
    /// processes opening one state file at once (a `paysh sandbox` and a
    /// program serving the sandbox itself) can both set out to apply one;
    /// the loser fails on `CREATE` after the winner committed, and finds the
    /// schema complete when it looks again.
    static func migrate(_ database: any DatabaseWriter) throws {
        do {
            try migrator.migrate(database)
        } catch {
            guard try database.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
        }
    }

    /// The state holds card numbers and the sandbox's signing key: its file
    /// is made 0600 before SQLite creates it (SQLite gives its `-wal` and
    /// `-shm` files the same mode), and folders it has to make 0700.
    /// Existing folders are left as they are (they may be shared).
    static func createPrivately(_ path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        // Only a file that does not exist yet is opened: no connection of this process holds locks on it.
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
    }

    /// A state file from before, or made under a looser umask, narrowed to 0600 with its companions.
    static func narrow(_ path: String) {
        var status = stat()
        for file in [path, path + "-wal", path + "-shm"] where stat(file, &status) == 0 && status.st_mode & 0o777 != 0o600 {
            _ = chmod(file, 0o600)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE object (
                    service TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    body TEXT NOT NULL,
                    PRIMARY KEY (service, kind, id)
                );
                CREATE INDEX object_by_owner ON object (service, kind, owner, sequence);
                CREATE TABLE setting (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                """)
        }
        // A payee's payouts found without reading every payout: reconciling a
        // create looks for its reference among its payee's payouts, and a
        // sandbox that has made tens of thousands would otherwise decode
        // them all for each look-up (``Database/lumanuPayouts(workspace:payee:)``).
        migrator.registerMigration("v2: payouts by payee") { db in
            try db.execute(sql: """
                CREATE INDEX object_payout_by_payee ON object (json_extract(body, '$.vendor_email'), owner, sequence)
                WHERE service = 'lumanu' AND kind = 'payout';
                """)
        }
        return migrator
    }

    // MARK: Transactions

    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try database.read(body)
    }

    /// Run `body` in one write transaction: all of its changes, or none.
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try database.write(body)
    }

    /// Drop every object and setting (the caller then loads the fixtures again).
    public func wipe() throws {
        try write { db in
            try db.execute(sql: "DELETE FROM object; DELETE FROM setting")
        }
    }
}

/// Object access inside a transaction.
extension Database {
    public func object(_ service: SandboxService, _ kind: String, id: String) throws -> StoredObject? {
        try Row.fetchOne(cachedStatement(sql: "SELECT id, owner, sequence, body FROM object WHERE service = ? AND kind = ? AND id = ?"),
                         arguments: [service.rawValue, kind, id]).map(Self.storedObject)
    }

    /// Every object of a kind that `owner` owns (all owners when nil), oldest first.
    public func objects(_ service: SandboxService, _ kind: String, owner: String?) throws -> [StoredObject] {
        if let owner {
            return try Row.fetchAll(cachedStatement(sql: """
                SELECT id, owner, sequence, body FROM object
                WHERE service = ? AND kind = ? AND owner = ? ORDER BY sequence
                """), arguments: [service.rawValue, kind, owner]).map(Self.storedObject)
        }
        return try Row.fetchAll(cachedStatement(sql: "SELECT id, owner, sequence, body FROM object WHERE service = ? AND kind = ? ORDER BY sequence"),
                                arguments: [service.rawValue, kind]).map(Self.storedObject)
    }

    /// Insert or replace an object. A new object gets the next sequence number.
    @discardableResult
    public func save(_ service: SandboxService, _ kind: String, id: String, owner: String, body: JSONObject) throws -> StoredObject {
        let text = try JSONValue.object(body).encodedString()
        let existing = try Int64.fetchOne(cachedStatement(sql: "SELECT sequence FROM object WHERE service = ? AND kind = ? AND id = ?"),
                                          arguments: [service.rawValue, kind, id])
        let sequence = try existing ?? nextNumber("sequence")
        try cachedStatement(sql: """
            INSERT INTO object (service, kind, id, owner, sequence, body) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (service, kind, id) DO UPDATE SET owner = excluded.owner, body = excluded.body
            """).execute(arguments: [service.rawValue, kind, id, owner, sequence, text])
        return StoredObject(id: id, owner: owner, sequence: sequence, body: body)
    }

    public func deleteObject(_ service: SandboxService, _ kind: String, id: String) throws {
        try execute(sql: "DELETE FROM object WHERE service = ? AND kind = ? AND id = ?", arguments: [service.rawValue, kind, id])
    }

    /// The next value of a named counter (1, 2, ...), kept in the same transaction.
    public func nextNumber(_ name: String, startingAt first: Int64 = 1) throws -> Int64 {
        let current = try setting("counter." + name).flatMap { Int64($0) }
        let next = current.map { $0 + 1 } ?? first
        try setSetting("counter." + name, String(next))
        return next
    }

    public func setting(_ key: String) throws -> String? {
        try String.fetchOne(cachedStatement(sql: "SELECT value FROM setting WHERE key = ?"), arguments: [key])
    }

    public func setSetting(_ key: String, _ value: String) throws {
        try cachedStatement(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .execute(arguments: [key, value])
    }

    static func storedObject(_ row: Row) throws -> StoredObject {
        let text: String = row["body"]
        guard case .object(let body) = try JSONValue(parsing: text) else {
            throw DatabaseError(message: "stored object is not a JSON object")
        }
        return StoredObject(id: row["id"], owner: row["owner"], sequence: row["sequence"], body: body)
    }
}
