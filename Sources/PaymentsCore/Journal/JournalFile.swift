import Foundation
import GRDB

/// The journal's file on disk: where it is by default, and making it private
/// before SQLite writes anything to it.
enum JournalFile {
    /// `$PAYSH_JOURNAL`, else `$XDG_DATA_HOME/paysh/journal.sqlite`, else
    /// `$HOME/.local/share/paysh/journal.sqlite` (empty variables count as unset).
    static func defaultPath(environment: [String: String]) -> String {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let explicit = value("PAYSH_JOURNAL") { return explicit }
        return PrivateFiles.dataDirectory(environment: environment) + "/journal.sqlite"
    }

    /// `USER@hostname`: the login name from `USER` or `LOGNAME` (else the
    /// account's), the host's name as `gethostname` gives it.
    static func operatorName(environment: [String: String]) -> String {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let user = value("USER") ?? value("LOGNAME") ?? accountName() ?? "uid\(getuid())"
        return user + "@" + (hostName() ?? "localhost")
    }

    static func accountName() -> String? {
        guard let entry = getpwuid(getuid()) else { return nil }
        return String(validatingCString: entry.pointee.pw_name)
    }

    static func hostName() -> String? {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return nil }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return host.isEmpty ? nil : host
    }

    /// Make `path` exist, creating it as a file only its owner can read and
    /// write (0600), and missing directories as 0700, before SQLite creates
    /// it with its own default mode. Existing directories are left as they
    /// are: they may be shared (`/tmp`). Throws a sentence naming what failed.
    ///
    /// An existing file is not opened: closing a descriptor of a database
    /// file drops every POSIX lock this process holds on it, the locks
    /// SQLite's other connections to it rely on.
    static func create(_ path: String) throws(FileProblem) {
        if exists(path) { return }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try PrivateFiles.makeDirectories(directory) }
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 || errno == EEXIST else { throw FileProblem("the file cannot be created (\(PrivateFiles.reason(errno)))") }
        if fd >= 0 { close(fd) }
    }

    /// Open the private SQLite file at `path` the way the journal and the
    /// batch ledger keep theirs: made 0600 (in 0700 folders) before SQLite
    /// touches it, WAL, `synchronous = FULL` (GRDB sets NORMAL with WAL; FULL
    /// syncs the log on every commit, so a row survives a power cut), writers
    /// from other processes waited for up to ten seconds, its schema brought
    /// up to date by `migrator` (``migrate(_:_:)``).
    ///
    /// Processes opening one new file at the same moment can be told "database
    /// is locked" without SQLite's busy wait: switching the file to WAL, or a
    /// migration's read turning into a write, is refused at once when another
    /// process got there first, since waiting could deadlock. Opening is
    /// repeatable, so such a refusal is retried after a short random pause,
    /// for up to ten seconds.
    static func openDatabase(_ path: String, label: String, migrator: DatabaseMigrator) throws -> DatabaseQueue {
        try create(path)
        let deadline = DispatchTime.now().uptimeNanoseconds + 10_000_000_000
        while true {
            do {
                return try openOnce(path, label: label, migrator: migrator)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                guard DispatchTime.now().uptimeNanoseconds < deadline else { throw error }
                usleep(UInt32.random(in: 5_000 ... 50_000))
            }
        }
    }

    private static func openOnce(_ path: String, label: String, migrator: DatabaseMigrator) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.journalMode = .wal
        configuration.label = label
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try migrate(migrator, queue)
        narrow(path)
        return queue
    }

    /// Bring a file's schema up to date. GRDB's migrator reads which
    /// migrations are applied before it opens the transaction that applies
    /// one, so two processes opening one new file at once can both see v1
    /// missing: the one that loses fails on `CREATE TABLE` ("already
    /// exists"), after the winner's transaction, which also marked v1
    /// applied, has committed. Looking again then finds the schema complete,
    /// which is all that matters; any other failure is thrown.
    static func migrate(_ migrator: DatabaseMigrator, _ writer: any DatabaseWriter) throws {
        do {
            try migrator.migrate(writer)
        } catch {
            guard try writer.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
        }
    }

    /// Narrow the journal and its `-wal`/`-shm` companions to 0600 where they
    /// are more open (an older file, a umask that let more through). Called
    /// once the file is known to be a journal; a failure here is not one to stop for.
    static func narrow(_ path: String) {
        var status = stat()
        for file in [path, path + "-wal", path + "-shm"] {
            if stat(file, &status) == 0, status.st_mode & 0o7777 != 0o600 { _ = chmod(file, 0o600) }
        }
    }

    /// Whether `path` names an existing file.
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    typealias FileProblem = PrivateFiles.Problem
}
