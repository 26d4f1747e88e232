import Foundation
import PaymentsCore
import Sandbox
import Synchronization
import Testing

/// What the typed clients hand the journal: each money-moving call marked
/// as such, with the reference that identifies its effect.
@Suite struct MoneyMovingClientTests {
    /// Keeps intents and outcomes in memory.
    final class Notebook: MutationJournal {
        let intents = Mutex<[JournalIntent]>([])
        let outcomes = Mutex<[String: JournalOutcome]>([:])
        func recordIntent(_ intent: JournalIntent) throws(PaymentsError) { intents.withLock { $0.append(intent) } }
        func recordOutcome(of id: String, _ outcome: JournalOutcome) throws(PaymentsError) { outcomes.withLock { $0[id] = outcome } }
    }

    @Test func eachMoneyMovingCallIsJournaledWithItsReference() async throws {
        let notebook = Notebook()
        try await SandboxClients.with { clients in
            func journaled(_ connection: ServiceConnection) -> ServiceConnection {
                ServiceConnection(service: connection.service, baseURL: connection.baseURL, authorizer: connection.authorizer,
                                  sender: connection.sender, profile: "sandbox", journal: notebook)
            }
            let lumanu = LumanuClient(connection: journaled(clients.lumanu.connection), workspaceID: SandboxCredentials.lumanuWorkspaceID)
            let lumen = LumenClient(connection: journaled(clients.lumen.connection))
            let lumyri = LumyriClient(connection: journaled(clients.lumyri.connection))

            let payout = try await lumanu.createPayout(NewPayout(payeeEmail: "ada@example.com", amount: 100, description: "x"))
            _ = try await lumyri.payInvoice(id: LumyriClientTests.documentedInvoice)
            _ = try await lumen.createPaymentMethod(LumenClientTests.method("pm_ext_journal"))
            let card = try await lumyri.createCard(LumyriClientTests.card("4242 4242 4242 4242"))
            _ = try await lumyri.updateBillingInformation(BillingUpdate(city: "Stain"))
            _ = try await lumyri.cards()

            let intents = notebook.intents.withLock { $0 }
            #expect(intents.map(\.operation) == ["lumanu.create_payout", "lumyri.pay_invoice", "lumen.create_payment_method",
                                                 "lumyri.create_card", "lumyri.update_billing"], "reads are not journaled")
            #expect(intents.map(\.movesMoney) == [true, true, true, true, false])
            #expect(intents.map(\.reference) == [payout.payshRef, LumyriClientTests.documentedInvoice, "pm_ext_journal",
                                                 "424242******4242 6/\(LumyriClientTests.year)", nil])
            #expect(intents.allSatisfy { !($0.body ?? "").contains("4242424242424242") && !($0.body ?? "").contains("\"123\"") })
            let outcomes = notebook.outcomes.withLock { $0 }
            #expect(outcomes[intents[0].id].flatMap(Self.remoteID) == payout.id)
            #expect(outcomes[intents[3].id].flatMap(Self.remoteID) == card.id)
        }
    }

    static func remoteID(_ outcome: JournalOutcome) -> String? {
        if case .succeeded(let id, _, _, _) = outcome { return id }
        return nil
    }
}
