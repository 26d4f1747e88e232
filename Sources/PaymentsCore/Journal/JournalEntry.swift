import Foundation

/// One row of the journal: a mutation paysh sent (or was about to send), and
/// how it ended. The intent's fields read as the entry's own (`entry.operation`).
@dynamicMemberLookup
public struct JournalEntry: Sendable, Equatable {
    /// Where a call stands.
    public enum State: String, Sendable, Equatable, CaseIterable {
        /// The intent is recorded, the outcome is not: the call is in flight,
        /// or the process ended between the two (a crash, `kill -9`).
        case pending
        /// It took effect.
        case succeeded
        /// It definitely did not take effect.
        case failed
        /// Whether it took effect is not known.
        case unknown
    }

    /// What reconciliation later found out about a `pending` or `unknown`
    /// call. Kept beside the original outcome, which stays as it was.
    public struct Resolution: Sendable, Equatable {
        /// Whether the call took effect after all.
        public var applied: Bool
        public var at: Date
        /// The object it created or changed, when it did.
        public var remoteID: String?
        /// How it was found out (`invoice is Succeeded`), for a person.
        public var note: String?

        public init(applied: Bool, at: Date, remoteID: String?, note: String?) {
            self.applied = applied
            self.at = at
            self.remoteID = remoteID
            self.note = note
        }
    }

    /// What was recorded before the request left, as redacted and written.
    public var intent: JournalIntent
    /// When the intent was recorded: just before the request left.
    public var intentAt: Date
    /// When the outcome was recorded (nil while `pending`).
    public var outcomeAt: Date?
    /// `USER@hostname` of the process that sent it.
    public var operatorName: String
    public var state: State
    /// The answer's status, or the failure's when there was an answer.
    public var httpStatus: Int?
    public var remoteID: String?
    public var remoteStatus: String?
    /// The failure's class (`client_error`, `outcome_unknown`) for `failed` and `unknown`.
    public var errorKind: PaymentsError.Kind?
    public var errorCode: String?
    public var errorMessage: String?
    public var requestID: String?
    public var resolution: Resolution?

    /// Pending or unknown, and not yet resolved: someone (or reconciliation) must find out whether it happened.
    public var isUnresolved: Bool { (state == .pending || state == .unknown) && resolution == nil }

    public subscript<Value>(dynamicMember field: KeyPath<JournalIntent, Value>) -> Value { intent[keyPath: field] }
}
