import Foundation
import JSON

/// Resolves the journal's unresolved calls — a `pending` row left by a crash
/// between intent and outcome, or an `unknown` outcome — by asking the API
/// what happened, with the same look-ups the clients use when they retry:
///
/// - `lumanu.create_payout`: a payout to the payee carrying the call's `paysh_ref`;
/// - `lumyri.pay_invoice`: the invoice's status (`Succeeded` means charged).
///
/// Other calls cannot be decided from what the journal holds (a payment
/// method is found only by sending it again; a card's number is kept
/// masked): they are reported as undecidable and left for a person.
public struct JournalReconciler: Sendable {
    public let session: PaymentsSession
    public let journal: Journal

    public init(session: PaymentsSession, journal: Journal) {
        self.session = session
        self.journal = journal
    }

    /// What the API says about one call.
    public enum Finding: Sendable, Equatable {
        /// It took effect; the object's id when known.
        case applied(remoteID: String?)
        /// It did not take effect.
        case notApplied
        /// The journal does not hold enough to tell; why.
        case undecidable(String)
    }

    /// Look one call up, changing nothing.
    ///
    /// Another call of the same operation and reference may be the one that
    /// did it: a batch item whose run was killed before its request left is
    /// sent again by the next run, and the payout found by its `paysh_ref`
    /// (or the invoice found paid) is that later call's. So what the journal
    /// already credits to other calls — ids of calls that succeeded or were
    /// resolved as applied — is set aside first: a payout no other call
    /// accounts for is this call's; an invoice another call paid was not paid
    /// by this one (an invoice is paid once). (The soak found it: the killed
    /// run's intent was resolved as applied with the id the next run's call
    /// had made, and the journal showed two calls taking effect for one payout.)
    public func finding(for entry: JournalEntry) async throws(PaymentsError) -> Finding {
        switch entry.intent.operation {
        case "lumanu.create_payout":
            let body = Self.body(of: entry)
            guard let reference = entry.intent.reference, let email = body?["payee_email"]?.stringValue else {
                return .undecidable("the journal holds no paysh_ref or payee e-mail for this payout")
            }
            let credited = try creditedElsewhere(entry)
            var found: [String] = []
            var maskedAlike = false
            for try await payout in try session.lumanu().payouts(PayoutFilter(payeeEmail: email)) {
                guard let ref = payout.payshRef else { continue }
                if ref == reference {
                    found.append(payout.id)
                } else if journal.clean(ref) == reference {
                    maskedAlike = true
                }
            }
            // The journal keeps a reference that looks like a card number masked, as it keeps
            // everything: a payout whose reference masks the same way may be this call's or
            // another's, and "not applied" would be a guess.
            if found.isEmpty && maskedAlike {
                return .undecidable("its paysh_ref looks like a card number, so the journal keeps it masked (\(reference)), "
                    + "and the payee has a payout whose paysh_ref masks the same way; check it by hand")
            }
            var unaccounted = found
            for id in credited.compactMap({ $0 }) {
                if let at = unaccounted.firstIndex(of: id) { unaccounted.remove(at: at) }
            }
            return unaccounted.first.map { .applied(remoteID: $0) } ?? .notApplied
        case "lumyri.pay_invoice":
            guard let id = entry.intent.reference else { return .undecidable("the journal holds no invoice id for this call") }
            if try !creditedElsewhere(entry).isEmpty { return .notApplied }
            let invoice = try await session.lumyri().invoice(id: id)
            return invoice.isPaid ? .applied(remoteID: invoice.json["paymentId"]?.stringValue ?? id) : .notApplied
        default:
            return .undecidable("\(entry.intent.operation) cannot be looked up from the journal; check it by hand")
        }
    }

    /// Resolve the unresolved calls of the session's profile whose intent is at
    /// least `minimumAge` old (a younger one may still be in flight in another
    /// process). Every finding is returned; decided ones are recorded with `resolve`.
    /// A call whose look-up fails is undecided; an API that cannot be reached
    /// or refuses the credentials stops the whole run with that error.
    public func reconcileUnresolved(minimumAge: TimeInterval = 300,
                                    now: Date = Date()) async throws(PaymentsError) -> [(entry: JournalEntry, finding: Finding)] {
        var results: [(entry: JournalEntry, finding: Finding)] = []
        for entry in try journal.unresolved()
        where entry.intent.profile == session.profile.name && now.timeIntervalSince(entry.intentAt) >= minimumAge {
            let finding: Finding
            do {
                finding = try await self.finding(for: entry)
            } catch where error.kind != .notSent && error.kind != .unauthorized {
                // One call that cannot be looked up (an invoice that is gone) must not hide the others.
                finding = .undecidable("looking it up failed: \(error)")
            }
            switch finding {
            case .applied(let remoteID):
                try journal.resolve(id: entry.intent.id, applied: true, remoteID: remoteID, note: "found by paysh journal reconciliation")
            case .notApplied:
                try journal.resolve(id: entry.intent.id, applied: false, note: "not found by paysh journal reconciliation")
            case .undecidable:
                break
            }
            results.append((entry, finding))
        }
        return results
    }

    /// The remote ids of the other calls of `entry`'s operation and reference
    /// that took effect: those that succeeded, and those resolved as applied.
    func creditedElsewhere(_ entry: JournalEntry) throws(PaymentsError) -> [String?] {
        guard let reference = entry.intent.reference else { return [] }
        return try journal.entries(JournalQuery(operation: entry.intent.operation, reference: reference))
            .filter { $0.intent.id != entry.intent.id }
            .compactMap { other -> String?? in
                if other.state == .succeeded { return .some(other.remoteID) }
                if let resolution = other.resolution, resolution.applied { return .some(resolution.remoteID) }
                return nil
            }
    }

    static func body(of entry: JournalEntry) -> JSONObject? {
        guard let text = entry.intent.body else { return nil }
        return (try? JSONValue(parsing: text))?.objectValue
    }
}
