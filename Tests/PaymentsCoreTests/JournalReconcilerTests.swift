import Foundation
import JSON
import PaymentsCore
import Sandbox
import Testing

/// Calls a crash left without an outcome are resolved by asking the API.
@Suite struct JournalReconcilerTests {
    static func intent(_ operation: String, reference: String?, body: String?, profile: String = "sandbox") -> JournalIntent {
        let service: Service = operation.hasPrefix("lumanu") ? .lumanu : .lumyri
        return JournalIntent(id: UUID().uuidString.lowercased(), profile: profile, service: service, operation: operation,
                             method: "POST", url: "http://127.0.0.1/x", idempotencyKey: UUID().uuidString.lowercased(),
                             reference: reference, body: body, movesMoney: true)
    }

    static func payoutBody(_ ref: String) -> String {
        #"{"workspace_id":"\#(SandboxCredentials.lumanuWorkspaceID)","payee_email":"ada@example.com","amount":500,"#
            + #""description":"x","custom_fields":[{"name":"paysh_ref","value":"\#(ref)"}]}"#
    }

    @Test func pendingPayoutsAndPaymentsAreDecidedByLookingThemUp() async throws {
        try await TransportTests.withSandbox { sandbox in
            let directory = try PaymentsSessionTests.temporaryDirectory()
            let journal = Journal(path: directory + "/journal.sqlite")
            // A session without a journal plays the process that sent the requests and then died.
            let sender = PaymentsSession(profile: try PaymentsSessionTests.profile(sandbox))
            let unpaid = try await sender.lumyri().invoicesPage(InvoiceFilter(status: "Failed"), perPage: 1).data[0].id

            let sentPayout = Self.intent("lumanu.create_payout", reference: "ref-sent", body: Self.payoutBody("ref-sent"))
            let lostPayout = Self.intent("lumanu.create_payout", reference: "ref-lost", body: Self.payoutBody("ref-lost"))
            let paid = Self.intent("lumyri.pay_invoice", reference: ServiceConnectionTests.payable, body: nil)
            let notPaid = Self.intent("lumyri.pay_invoice", reference: unpaid, body: nil)
            let card = Self.intent("lumyri.create_card", reference: nil, body: #"{"cardNumber":"424242******4242"}"#)
            let elsewhere = Self.intent("lumyri.pay_invoice", reference: ServiceConnectionTests.payable, body: nil, profile: "staging")
            for intent in [sentPayout, lostPayout, paid, notPaid, card, elsewhere] { try await journal.recordIntent(intent) }

            let payout = try await sender.lumanu().createPayout(NewPayout(
                payeeEmail: "ada@example.com", amount: 500, description: "x", customFields: [CustomField(name: "paysh_ref", value: "ref-sent")]))
            _ = try await sender.lumyri().payInvoice(id: ServiceConnectionTests.payable)

            let session = PaymentsSession(profile: try PaymentsSessionTests.profile(sandbox))
            let reconciler = JournalReconciler(session: session, journal: journal)
            #expect(try await reconciler.reconcileUnresolved().isEmpty, "calls younger than five minutes may still be in flight")
            let results = try await reconciler.reconcileUnresolved(minimumAge: 0)
            let findings = Dictionary(uniqueKeysWithValues: results.map { ($0.entry.intent.id, $0.finding) })
            #expect(findings[sentPayout.id] == .applied(remoteID: payout.id))
            #expect(findings[lostPayout.id] == .notApplied)
            #expect(findings[notPaid.id] == .notApplied)
            if case .applied(let payment)? = findings[paid.id] { #expect(payment != nil) } else { Issue.record("the paid invoice: \(String(describing: findings[paid.id]))") }
            if case .undecidable(let why)? = findings[card.id] { #expect(why.contains("by hand")) } else { Issue.record("the card is undecidable") }
            #expect(findings[elsewhere.id] == nil, "another profile's calls are left to that profile")

            #expect(try journal.entry(id: sentPayout.id)?.resolution?.applied == true)
            #expect(try journal.entry(id: sentPayout.id)?.resolution?.remoteID == payout.id)
            #expect(try journal.entry(id: lostPayout.id)?.resolution?.applied == false)
            #expect(Set(try journal.unresolved().map(\.intent.id)) == [card.id, elsewhere.id])
            await sender.shutdown()
            await session.shutdown()
        }
    }

    /// A paysh_ref that looks like a card number is kept masked in the journal,
    /// so the payout carrying it cannot be told from another whose reference
    /// masks the same way: undecidable, never "not applied" (which it was,
    /// comparing the masked text with the payouts' whole references).
    @Test func aReferenceTheJournalKeepsMaskedIsUndecidedNotGuessed() async throws {
        try await TransportTests.withSandbox { sandbox in
            let directory = try PaymentsSessionTests.temporaryDirectory()
            let journal = Journal(path: directory + "/journal.sqlite")
            let sender = PaymentsSession(profile: try PaymentsSessionTests.profile(sandbox))
            let cardLike = String(repeating: "4242", count: 4)
            let madeLike = "5555" + String(repeating: "5555", count: 2) + "4444"
            let made = Self.intent("lumanu.create_payout", reference: cardLike, body: Self.payoutBody(cardLike))
            let neverMade = Self.intent("lumanu.create_payout", reference: madeLike, body: Self.payoutBody(madeLike))
            for intent in [made, neverMade] { try await journal.recordIntent(intent) }
            #expect(try journal.entry(id: made.id)?.intent.reference?.contains(cardLike) == false, "the journal masks it")
            _ = try await sender.lumanu().createPayout(NewPayout(
                payeeEmail: "ada@example.com", amount: 500, description: "x", customFields: [CustomField(name: "paysh_ref", value: cardLike)]))

            let session = PaymentsSession(profile: try PaymentsSessionTests.profile(sandbox))
            let results = try await JournalReconciler(session: session, journal: journal).reconcileUnresolved(minimumAge: 0)
            let findings = Dictionary(uniqueKeysWithValues: results.map { ($0.entry.intent.id, $0.finding) })
            if case .undecidable(let why)? = findings[made.id] {
                #expect(why.contains("masked") && why.contains("by hand") && !why.contains(cardLike), "\(why)")
            } else {
                Issue.record("a payout whose reference masks alike is undecidable: \(String(describing: findings[made.id]))")
            }
            #expect(findings[neverMade.id] == .notApplied, "no payout masks like it: none was made")
            #expect(try journal.unresolved().map(\.intent.id) == [made.id])
            await sender.shutdown()
            await session.shutdown()
        }
    }

    /// A batch item whose run was killed before its request left is sent
    /// again by the next run: the payout found by its reference, or the
    /// invoice found paid, is the later call's, and the killed run's intent
    /// is not credited with it too (the soak found it credited, two calls
    /// taking effect for one payout).
    @Test func aCallMadeAgainByTheNextRunIsNotCreditedTwice() async throws {
        try await TransportTests.withSandbox { sandbox in
            let directory = try PaymentsSessionTests.temporaryDirectory()
            let journal = Journal(path: directory + "/journal.sqlite")
            let sender = PaymentsSession(profile: try PaymentsSessionTests.profile(sandbox))
            let killed = Self.intent("lumanu.create_payout", reference: "ref-again", body: Self.payoutBody("ref-again"))
            let again = Self.intent("lumanu.create_payout", reference: "ref-again", body: Self.payoutBody("ref-again"))
            // Two killed runs, both intents left open; one of their requests made the only payout.
            let first = Self.intent("lumanu.create_payout", reference: "ref-two", body: Self.payoutBody("ref-two"))
            let second = Self.intent("lumanu.create_payout", reference: "ref-two", body: Self.payoutBody("ref-two"))
            let killedPay = Self.intent("lumyri.pay_invoice", reference: ServiceConnectionTests.payable, body: nil)
            let paidPay = Self.intent("lumyri.pay_invoice", reference: ServiceConnectionTests.payable, body: nil)
            for intent in [killed, again, first, second, killedPay, paidPay] { try await journal.recordIntent(intent) }

            let payout = try await sender.lumanu().createPayout(NewPayout(
                payeeEmail: "ada@example.com", amount: 500, description: "x", customFields: [CustomField(name: "paysh_ref", value: "ref-again")]))
            try await journal.recordOutcome(of: again.id, .succeeded(remoteID: payout.id, remoteStatus: nil, httpStatus: 200, requestID: nil))
            let only = try await sender.lumanu().createPayout(NewPayout(
                payeeEmail: "ada@example.com", amount: 500, description: "x", customFields: [CustomField(name: "paysh_ref", value: "ref-two")]))
            _ = try await sender.lumyri().payInvoice(id: ServiceConnectionTests.payable)
            try await journal.recordOutcome(of: paidPay.id, .succeeded(remoteID: ServiceConnectionTests.payable, remoteStatus: "Succeeded",
                                                                       httpStatus: 200, requestID: nil))

            let session = PaymentsSession(profile: try PaymentsSessionTests.profile(sandbox))
            let results = try await JournalReconciler(session: session, journal: journal).reconcileUnresolved(minimumAge: 0)
            let findings = Dictionary(uniqueKeysWithValues: results.map { ($0.entry.intent.id, $0.finding) })
            #expect(findings[killed.id] == .notApplied, "the next run's call made it")
            #expect(findings[first.id] == .applied(remoteID: only.id))
            #expect(findings[second.id] == .notApplied, "one payout is credited to one call")
            #expect(findings[killedPay.id] == .notApplied, "an invoice is paid once, and another call paid it")
            #expect(try journal.unresolved().isEmpty)
            await sender.shutdown()
            await session.shutdown()
        }
    }
}
