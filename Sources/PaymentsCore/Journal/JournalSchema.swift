import Foundation
import GRDB

/// The journal's tables, as migrations, and how a row reads back.
///
/// One table, `mutation`, one row per call. The outcome columns stay as the
/// call left them; what reconciliation found later goes in the `resolution`
/// columns beside them, so both remain visible. Times are UTC text
/// (`JournalTimestamp`).
enum JournalSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE mutation (
                    id TEXT PRIMARY KEY NOT NULL,
                    intent_at TEXT NOT NULL,
                    outcome_at TEXT,
                    profile TEXT NOT NULL,
                    operator TEXT NOT NULL,
                    service TEXT NOT NULL,
                    operation TEXT NOT NULL,
                    method TEXT NOT NULL,
                    url TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    reference TEXT,
                    body TEXT,
                    moves_money INTEGER NOT NULL CHECK (moves_money IN (0, 1)),
                    state TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed', 'unknown')),
                    http_status INTEGER,
                    remote_id TEXT,
                    remote_status TEXT,
                    error_kind TEXT,
                    error_code TEXT,
                    error_message TEXT,
                    request_id TEXT,
                    resolution TEXT CHECK (resolution IN ('applied', 'not_applied')),
                    resolved_at TEXT,
                    resolved_remote_id TEXT,
                    resolution_note TEXT
                );
                CREATE INDEX mutation_by_time ON mutation (intent_at);
                CREATE INDEX mutation_by_service ON mutation (service, intent_at);
                CREATE INDEX mutation_by_profile ON mutation (profile, intent_at);
                CREATE INDEX mutation_by_state ON mutation (state, intent_at);
                CREATE INDEX mutation_by_operation ON mutation (operation, intent_at);
                CREATE INDEX mutation_by_reference ON mutation (reference, intent_at);
                CREATE INDEX mutation_unresolved ON mutation (intent_at)
                    WHERE state IN ('pending', 'unknown') AND resolution IS NULL;
                """)
        }
        return migrator
    }

    static let columns = """
        id, intent_at, outcome_at, profile, operator, service, operation, method, url, idempotency_key, reference, body,
        moves_money, state, http_status, remote_id, remote_status, error_kind, error_code, error_message, request_id,
        resolution, resolved_at, resolved_remote_id, resolution_note
        """

    /// A row as an entry; a value this version cannot read (a newer paysh's) is a `DatabaseError` naming it.
    static func entry(_ row: Row) throws -> JournalEntry {
        let id: String = row["id"]
        func date(_ column: String) throws -> Date? {
            guard let text: String = row[column] else { return nil }
            guard let date = JournalTimestamp.date(text) else { throw unreadable(id, column, text) }
            return date
        }
        let serviceText: String = row["service"], stateText: String = row["state"]
        guard let service = Service(rawValue: serviceText) else { throw unreadable(id, "service", serviceText) }
        guard let state = JournalEntry.State(rawValue: stateText) else { throw unreadable(id, "state", stateText) }
        var resolution: JournalEntry.Resolution?
        if let finding: String = row["resolution"] {
            resolution = JournalEntry.Resolution(applied: finding == "applied", at: try date("resolved_at") ?? Date(timeIntervalSince1970: 0),
                                                 remoteID: row["resolved_remote_id"], note: row["resolution_note"])
        }
        guard let intentAt = try date("intent_at") else { throw unreadable(id, "intent_at", "NULL") }
        let intent = JournalIntent(
            id: id, profile: row["profile"], service: service, operation: row["operation"], method: row["method"], url: row["url"],
            idempotencyKey: row["idempotency_key"], reference: row["reference"], body: row["body"], movesMoney: row["moves_money"])
        return JournalEntry(
            intent: intent, intentAt: intentAt, outcomeAt: try date("outcome_at"), operatorName: row["operator"], state: state,
            httpStatus: row["http_status"], remoteID: row["remote_id"], remoteStatus: row["remote_status"],
            errorKind: (row["error_kind"] as String?).flatMap(PaymentsError.Kind.init(rawValue:)), errorCode: row["error_code"],
            errorMessage: row["error_message"], requestID: row["request_id"], resolution: resolution)
    }

    static func unreadable(_ id: String, _ column: String, _ value: String) -> DatabaseError {
        DatabaseError(message: "row \(id) has a \(column) this version of paysh cannot read: \(value)")
    }
}
