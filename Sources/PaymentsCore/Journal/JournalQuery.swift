import Foundation

/// Which journal rows to read. Every filter that is set must match; rows come
/// newest first.
public struct JournalQuery: Sendable, Equatable {
    /// A filter on where calls stand.
    public enum StateFilter: String, Sendable, Equatable, CaseIterable {
        case pending, succeeded, failed, unknown
        /// Pending or unknown and not resolved since: what `Journal.unresolved()` lists.
        case unresolved
    }

    /// Calls whose intent was recorded at or after this moment.
    public var since: Date?
    /// Calls whose intent was recorded before this moment.
    public var until: Date?
    public var service: Service?
    public var profile: String?
    public var state: StateFilter?
    public var operation: String?
    public var reference: String?
    /// At most this many rows (the newest); all when nil.
    public var limit: Int?

    public init(since: Date? = nil, until: Date? = nil, service: Service? = nil, profile: String? = nil,
                state: StateFilter? = nil, operation: String? = nil, reference: String? = nil, limit: Int? = nil) {
        self.since = since
        self.until = until
        self.service = service
        self.profile = profile
        self.state = state
        self.operation = operation
        self.reference = reference
        self.limit = limit
    }

    /// The `WHERE` clause (empty when nothing is filtered) and its arguments.
    var condition: (sql: String, arguments: [String]) {
        var terms: [String] = []
        var arguments: [String] = []
        func match(_ term: String, _ value: String?) {
            guard let value else { return }
            terms.append(term)
            arguments.append(value)
        }
        match("intent_at >= ?", since.map(JournalTimestamp.text))
        match("intent_at < ?", until.map(JournalTimestamp.text))
        match("service = ?", service?.rawValue)
        match("profile = ?", profile)
        match("operation = ?", operation)
        match("reference = ?", reference)
        switch state {
        case nil: break
        case .unresolved: terms.append(Self.unresolvedSQL)
        case let state?: match("state = ?", state.rawValue)
        }
        return (terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND "), arguments)
    }

    /// Rows that still need someone to find out whether they took effect.
    static let unresolvedSQL = "state IN ('pending', 'unknown') AND resolution IS NULL"
}
