import Foundation
import JSON

extension JournalEntry {
    /// Every field, named as the table's columns, `null` when absent; times in UTC
    /// as stored (`2026-11-01T10:00:03.250Z`). `body` is the request's JSON as text.
    public var json: JSONObject {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func number(_ value: Int?) -> JSONValue { value.map { .integer(Int64($0)) } ?? .null }
        func time(_ value: Date?) -> JSONValue { text(value.map(JournalTimestamp.text)) }
        return JSONObject([
            ("id", .string(intent.id)), ("intent_at", time(intentAt)), ("outcome_at", time(outcomeAt)),
            ("profile", .string(intent.profile)), ("operator", .string(operatorName)), ("service", .string(intent.service.rawValue)),
            ("operation", .string(intent.operation)), ("method", .string(intent.method)), ("url", .string(intent.url)),
            ("idempotency_key", .string(intent.idempotencyKey)), ("reference", text(intent.reference)), ("body", text(intent.body)),
            ("moves_money", .bool(intent.movesMoney)), ("state", .string(state.rawValue)), ("http_status", number(httpStatus)),
            ("remote_id", text(remoteID)), ("remote_status", text(remoteStatus)), ("error_kind", text(errorKind?.rawValue)),
            ("error_code", text(errorCode)), ("error_message", text(errorMessage)), ("request_id", text(requestID)),
            ("resolution", text(resolution.map { $0.applied ? "applied" : "not_applied" })), ("resolved_at", time(resolution?.at)),
            ("resolved_remote_id", text(resolution?.remoteID)), ("resolution_note", text(resolution?.note)),
        ])
    }

    /// The state as the table shows it, with what reconciliation found: `unknown (applied)`.
    public var stateSummary: String {
        guard let resolution else { return state.rawValue }
        return state.rawValue + (resolution.applied ? " (applied)" : " (not applied)")
    }

    /// The answer in a few characters: the HTTP status of a success; the status
    /// and error code of a failure (`409 Conflict`), or its class when there was no answer.
    public var resultSummary: String {
        switch state {
        case .pending: return "-"
        case .succeeded: return httpStatus.map(String.init) ?? "-"
        case .failed, .unknown:
            let parts = [httpStatus.map(String.init), errorCode].compactMap { $0 }
            return parts.isEmpty ? (errorKind?.rawValue ?? "-") : parts.joined(separator: " ")
        }
    }
}

/// The journal as a person reads it: one line per call, columns aligned,
/// times in local time.
public enum JournalTable {
    static let headings = ["TIME", "PROFILE", "OPERATION", "REFERENCE", "STATE", "REMOTE ID", "RESULT"]

    public static func lines(_ entries: [JournalEntry]) -> [String] {
        let rows = [headings] + entries.map { entry in
            [JournalTimestamp.local(entry.intentAt), entry.profile, entry.operation, entry.reference ?? "", entry.stateSummary,
             entry.remoteID ?? entry.resolution?.remoteID ?? "", entry.resultSummary].map { $0.isEmpty ? "-" : oneLine($0) }
        }
        var widths = [Int](repeating: 0, count: headings.count)
        for row in rows { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }
    }

    /// Control characters (a newline in a reference) would break the table's lines.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
