import Foundation
import GRDB
import Synchronization

/// The journal of mutations in a local SQLite file (docs/journal.md).
///
/// The file is opened on first use, so a run that changes nothing never
/// creates it. It is private (0600, in a 0700 directory when paysh makes the
/// directory), in WAL mode with `synchronous = FULL`: when `recordIntent`
/// returns, the row is on disk, and the request may leave. Several paysh
/// processes can write to one file; each waits its turn for up to ten seconds.
///
/// ```swift
/// let journal = Journal(environment: ProcessInfo.processInfo.environment)
/// let connection = ServiceConnection(service: .lumyri, …, journal: journal)
/// try journal.unresolved()   // calls whose outcome nobody knows yet
/// ```
public final class Journal: MutationJournal {
    /// The SQLite file.
    public let path: String
    /// `USER@hostname`, recorded with every intent.
    public let operatorName: String
    let clock: @Sendable () -> Date
    let redactor = Redactor.standard
    private let opened = Mutex<DatabaseQueue?>(nil)
    /// Intents and outcomes of calls in flight together share commits.
    let commits = GroupCommit()

    /// A journal in `path`. `clock` stamps the rows (tests give their own).
    public init(path: String, operatorName: String = Journal.operatorName(environment: ProcessInfo.processInfo.environment),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.path = path
        self.operatorName = operatorName
        self.clock = clock
    }

    /// The journal where `environment` puts it (``defaultPath(environment:)``), its operator from the same environment.
    public convenience init(environment: [String: String]) {
        self.init(path: Self.defaultPath(environment: environment), operatorName: Self.operatorName(environment: environment))
    }

    /// `$PAYSH_JOURNAL`, else `$XDG_DATA_HOME/paysh/journal.sqlite`, else `~/.local/share/paysh/journal.sqlite`.
    public static func defaultPath(environment: [String: String]) -> String {
        JournalFile.defaultPath(environment: environment)
    }

    /// `USER@hostname` from `USER` (or `LOGNAME`) and the host's name.
    public static func operatorName(environment: [String: String]) -> String {
        JournalFile.operatorName(environment: environment)
    }

    /// Whether the file exists yet (nothing has been recorded in it when it does not).
    public var exists: Bool { JournalFile.exists(path) }

    // MARK: Recording

    /// Record `intent`, durably, before its request is sent. The `async`
    /// form (what connections use) shares its commit with the other calls in flight.
    public func recordIntent(_ intent: JournalIntent) throws(PaymentsError) {
        let (action, body) = intentRow(intent)
        try write(intent.operation, action, consequence: "the call was not sent", body)
    }

    public func recordIntent(_ intent: JournalIntent) async throws(PaymentsError) {
        let (action, body) = intentRow(intent)
        try await write(intent.operation, action, consequence: "the call was not sent", body)
    }

    /// Record how call `id` ended (the `async` form shares its commit).
    public func recordOutcome(of id: String, _ outcome: JournalOutcome) throws(PaymentsError) {
        let (operation, action, body) = outcomeRow(of: id, outcome)
        try write(operation, action, body)
    }

    /// Committed without waiting for a disk sync when no intent shares the
    /// commit (``GroupCommit``): safe from the process being killed; a power
    /// cut can lose it, and the call then reads as pending, which
    /// reconciliation settles, as after a crash before the outcome.
    public func recordOutcome(of id: String, _ outcome: JournalOutcome) async throws(PaymentsError) {
        let (operation, action, body) = outcomeRow(of: id, outcome)
        try await write(operation, action, durable: false, body)
    }

    /// The write that records an intent.
    private func intentRow(_ intent: JournalIntent) -> (action: String, body: @Sendable (Database) throws -> Void) {
        let now = JournalTimestamp.text(clock())
        // The id is the key later calls look the row up by: kept as given (the connection makes it a UUID).
        let values: [(any DatabaseValueConvertible)?] = [
            intent.id, now, clean(intent.profile), clean(operatorName), intent.service.rawValue, clean(intent.operation),
            clean(intent.method), redactor.url(intent.url), clean(intent.idempotencyKey), intent.reference.map(clean),
            intent.body.map { redactor.body(Array($0.utf8), contentType: "application/json") }, intent.movesMoney,
        ]
        let arguments = StatementArguments(values)
        let id = intent.id
        return ("record the intent of call \(id)", { db in
            if try Self.state(of: id, in: db) != nil {
                throw JournalRefusal("call \(id) is already in the journal")
            }
            try db.cachedStatement(sql: """
                INSERT INTO mutation (id, intent_at, profile, operator, service, operation, method, url, idempotency_key,
                                      reference, body, moves_money, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')
                """).execute(arguments: arguments)
        })
    }

    /// The write that records an outcome, and the operation it is for.
    private func outcomeRow(of id: String, _ outcome: JournalOutcome) -> (operation: String, action: String,
                                                                          body: @Sendable (Database) throws -> Void) {
        var values: [(any DatabaseValueConvertible)?] = [JournalTimestamp.text(clock())]
        let operation: String
        switch outcome {
        case .succeeded(let remoteID, let remoteStatus, let httpStatus, let requestID):
            operation = "journal"
            values += ["succeeded", httpStatus, remoteID.map(clean), remoteStatus.map(clean), nil, nil, nil, requestID.map(clean)]
        case .failed(let error), .unknown(let error):
            operation = error.operation
            let state = if case .failed = outcome { "failed" } else { "unknown" }
            values += [state, error.status, nil, nil, error.kind.rawValue, error.code.map(clean), clean(error.message),
                       error.requestID.map(clean)]
        }
        let arguments = StatementArguments(values + [id])
        return (operation, "record the outcome of call \(id)", { db in
            guard let state = try Self.state(of: id, in: db) else { throw JournalRefusal("there is no call \(id) in the journal") }
            guard state == JournalEntry.State.pending.rawValue else {
                throw JournalRefusal("call \(id) already has an outcome (\(state))")
            }
            try db.cachedStatement(sql: """
                UPDATE mutation SET outcome_at = ?, state = ?, http_status = ?, remote_id = ?, remote_status = ?,
                                    error_kind = ?, error_code = ?, error_message = ?, request_id = ?
                WHERE id = ?
                """).execute(arguments: arguments)
        })
    }

    /// Record what reconciliation found about a `pending` or `unknown` call:
    /// whether it took effect (`applied`), the object it made if it did, and
    /// how that was found out. The original outcome stays as it was.
    public func resolve(id: String, applied: Bool, remoteID: String? = nil, note: String? = nil) throws(PaymentsError) {
        let values: [(any DatabaseValueConvertible)?] = [
            applied ? "applied" : "not_applied", JournalTimestamp.text(clock()), remoteID.map(clean), note.map(clean), id,
        ]
        try write("journal", "resolve call \(id)") { db in
            guard let state = try Self.state(of: id, in: db) else { throw JournalRefusal("there is no call \(id) in the journal") }
            guard state == JournalEntry.State.pending.rawValue || state == JournalEntry.State.unknown.rawValue else {
                throw JournalRefusal("call \(id) ended \(state): only pending or unknown calls are resolved")
            }
            if let earlier = try String.fetchOne(db, sql: "SELECT resolution FROM mutation WHERE id = ?", arguments: [id]) {
                throw JournalRefusal("call \(id) is already resolved (\(earlier))")
            }
            try db.execute(sql: """
                UPDATE mutation SET resolution = ?, resolved_at = ?, resolved_remote_id = ?, resolution_note = ? WHERE id = ?
                """, arguments: StatementArguments(values))
        }
    }

    // MARK: Reading

    /// The rows `query` selects, newest first. Empty when the file does not exist yet.
    public func entries(_ query: JournalQuery = JournalQuery()) throws(PaymentsError) -> [JournalEntry] {
        let (condition, arguments) = query.condition
        let limit = query.limit.map { " LIMIT \(max(0, $0))" } ?? ""
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT \(JournalSchema.columns) FROM mutation \(condition) ORDER BY intent_at DESC, rowid DESC\(limit)",
                             arguments: StatementArguments(arguments)).map(JournalSchema.entry)
        } ?? []
    }

    /// How many rows `query` selects, its limit aside.
    public func count(_ query: JournalQuery = JournalQuery()) throws(PaymentsError) -> Int {
        let (condition, arguments) = query.condition
        return try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM mutation \(condition)", arguments: StatementArguments(arguments)) ?? 0
        } ?? 0
    }

    /// Calls nobody knows the outcome of: still `pending` (the process ended
    /// between intent and outcome) or `unknown`, and not resolved since. Oldest first,
    /// the order to reconcile them in.
    public func unresolved() throws(PaymentsError) -> [JournalEntry] {
        try entries(JournalQuery(state: .unresolved)).reversed()
    }

    /// One call by its id.
    public func entry(id: String) throws(PaymentsError) -> JournalEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(JournalSchema.columns) FROM mutation WHERE id = ?", arguments: [id]).map(JournalSchema.entry)
        } ?? nil
    }

    // MARK: The file

    /// Close the file (it opens again on next use).
    public func close() throws(PaymentsError) {
        let queue = opened.withLock { queue in
            defer { queue = nil }
            return queue
        }
        do { try queue?.close() } catch { throw failure("journal", "close it", error) }
    }

    /// The open database, opening (and, when `create` is set, creating) the file first.
    func database(operation: String, create: Bool) throws(PaymentsError) -> DatabaseQueue? {
        let result: Result<DatabaseQueue?, PaymentsError> = opened.withLock { opened in
            if let opened { return .success(opened) }
            if !create, !exists { return .success(nil) }
            do {
                let queue = try JournalFile.openDatabase(path, label: "paysh.journal", migrator: JournalSchema.migrator)
                opened = queue
                return .success(queue)
            } catch let problem as JournalFile.FileProblem {
                return .failure(refusal(operation, "open it", problem.sentence))
            } catch {
                return .failure(failure(operation, "open it", error))
            }
        }
        return try result.get()
    }

    /// Run `body` in an immediate transaction (the write lock first, so that
    /// another process writing at the same time makes this one wait, not fail).
    func write(_ operation: String, _ action: String, consequence: String? = nil,
               _ body: (Database) throws -> Void) throws(PaymentsError) {
        guard let queue = try writable(operation, consequence: consequence) else { return }
        do {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try body(db)
                    return .commit
                }
            }
        } catch {
            throw refusal(operation, action, error, consequence: consequence)
        }
    }

    /// `write`, in a commit shared with the other writes in flight (``GroupCommit``):
    /// for the intents and outcomes of calls made together.
    func write(_ operation: String, _ action: String, consequence: String? = nil, durable: Bool = true,
               _ body: @escaping @Sendable (Database) throws -> Void) async throws(PaymentsError) {
        guard let queue = try writable(operation, consequence: consequence) else { return }
        do { try await commits.write(to: queue, durable: durable, body) } catch {
            throw refusal(operation, action, error, consequence: consequence)
        }
    }

    /// The database to write to, created if need be; a failure carries `consequence`.
    private func writable(_ operation: String, consequence: String?) throws(PaymentsError) -> DatabaseQueue? {
        do { return try database(operation: operation, create: true) } catch {
            throw consequence.map { PaymentsError(kind: error.kind, service: error.service, operation: error.operation,
                                                  message: error.message + "; " + $0) } ?? error
        }
    }

    /// The refusal for a failed write: a ``JournalRefusal``'s sentence, else SQLite's words.
    private func refusal(_ operation: String, _ action: String, _ error: any Error, consequence: String?) -> PaymentsError {
        if let refusal = error as? JournalRefusal { return self.refusal(operation, action, refusal.sentence, consequence: consequence) }
        return refusal(operation, action, Self.reason(error), consequence: consequence)
    }

    /// `body` on the open file, or nil when there is no file yet.
    func read<T>(_ body: (Database) throws -> T) throws(PaymentsError) -> T? {
        guard let queue = try database(operation: "journal", create: false) else { return nil }
        do { return try queue.read(body) } catch { throw failure("journal", "read", error) }
    }

    static func state(of id: String, in db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT state FROM mutation WHERE id = ?"), arguments: [id])
    }

    /// Belt and braces: the connection redacts before the journal sees anything; the journal redacts again.
    func clean(_ text: String) -> String { redactor.text(text) }

    func failure(_ operation: String, _ action: String, _ error: any Error) -> PaymentsError {
        refusal(operation, action, Self.reason(error))
    }

    /// SQLite's own words (`unable to open database file`, `file is not a database`).
    static func reason(_ error: any Error) -> String {
        (error as? DatabaseError).map { $0.message ?? "\($0)" } ?? "\(error)"
    }

    /// `journal PATH: cannot ACTION: WHY[; CONSEQUENCE]`.
    func refusal(_ operation: String, _ action: String, _ sentence: String, consequence: String? = nil) -> PaymentsError {
        let message = "journal \(path): cannot \(action): \(sentence)" + (consequence.map { "; " + $0 } ?? "")
        return PaymentsError(kind: .validation, service: "journal", operation: operation, message: redactor.text(message))
    }
}

/// A write the journal refuses (an unknown id, an outcome recorded twice).
struct JournalRefusal: Error {
    let sentence: String
    init(_ sentence: String) { self.sentence = sentence }
}
