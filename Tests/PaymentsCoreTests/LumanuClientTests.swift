import Foundation
import JSON
import PaymentsCore
import Sandbox
import Testing

/// The Lumanu client against the sandbox over real HTTP.
@Suite struct LumanuClientTests {
    static let workspace = SandboxCredentials.lumanuWorkspaceID

    @Test func aCreatedPayoutComesBackStampedWithItsReferenceInTheClientsWorkspace() async throws {
        try await SandboxClients.with { clients in
            let payout = try await clients.lumanu.createPayout(NewPayout(payeeEmail: " Maya.Lin@example.com", amount: 12_345,
                                                                         description: "March collab", dueDate: "2028-02-29",
                                                                         customFields: [CustomField(name: "campaign", value: "spring")]))
            #expect(payout.amount == 12_345 && payout.amountDenomination == "us_cents")
            #expect(payout.workspaceID == Self.workspace)
            #expect(payout.vendorEmail == "maya.lin@example.com" && payout.status == nil && payout.dueDate == "2028-02-29")
            #expect(payout.customFields.map(\.name) == ["campaign", "paysh_ref"])
            let reference = try #require(payout.payshRef)
            #expect(UUID(uuidString: reference) != nil, "a fresh UUID: \(reference)")
            #expect(payout.json.keys.count == 15)

            let fetched = try await clients.lumanu.payout(id: payout.id)
            #expect(fetched.id == payout.id && fetched.payshRef == reference && fetched.invoiceNumber == payout.invoiceNumber)
            let found = try await clients.lumanu.payout(withReference: reference, payeeEmail: "maya.lin@example.com")
            #expect(found?.id == payout.id)
            #expect(try await clients.lumanu.payout(withReference: "no-such-ref", payeeEmail: "maya.lin@example.com") == nil)
        }
    }

    @Test func aCallersOwnReferenceIsUsedAndNotDoubled() async throws {
        try await SandboxClients.with { clients in
            let mine = CustomField(name: "paysh_ref", value: "batch-7-row-12")
            let payout = try await clients.lumanu.createPayout(NewPayout(payeeEmail: "ada@example.com", amount: 100, description: "x",
                                                                         workspaceID: "5d0c8a3e-6b1f-4f7a-9c2e-1a7b3c9d4e01",
                                                                         customFields: [mine]))
            #expect(payout.customFields == [mine])
            #expect(payout.workspaceID == "5d0c8a3e-6b1f-4f7a-9c2e-1a7b3c9d4e01")
            #expect(try await clients.lumanu.payout(withReference: "batch-7-row-12", payeeEmail: "ADA@example.com")?.id == payout.id)
        }
    }

    @Test func aPayoutKeepsTheAnswerExactlyAsSent() async throws {
        try await SandboxClients.with { clients in
            let id = "32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9"
            let payout = try await clients.lumanu.payout(id: id)
            let token = try await clients.lumanu.connection.authorizer.authorization().dropFirst("Bearer ".count)
            let raw = try await clients.raw(clients.sandbox.endpoints.lumanuBaseURL + "/api/rest/payouts/" + id, bearer: String(token))
            #expect(try JSONValue.object(payout.json).encoded() == raw)
            #expect(payout.vendorEmail == "[email protected]" && payout.invoiceNumber == 206_466 && payout.vendorStatus == "Awaiting signup")
        }
    }

    @Test func theListFiltersAndPagesAsTheServerSays() async throws {
        try await SandboxClients.with { clients in
            let first = try await clients.lumanu.payoutsPage(PayoutFilter(workspaceID: Self.workspace), limit: 7)
            #expect(first.payouts.count == 7 && first.total > 7)
            let all = try await clients.lumanu.payouts(PayoutFilter(workspaceID: Self.workspace), pageSize: 7).all()
            #expect(all.count == first.total)
            #expect(Set(all.map(\.id)).count == all.count, "no payout twice across pages")
            #expect(all.allSatisfy { $0.workspaceID == Self.workspace })
            #expect(Array(all.prefix(7)).map(\.id) == first.payouts.map(\.id))

            let paid = try await clients.lumanu.payouts(PayoutFilter(status: "Paid")).all()
            #expect(!paid.isEmpty && paid.allSatisfy { $0.status == "Paid" })
            let fresh = try await clients.lumanu.payouts(PayoutFilter(status: "null")).all()
            #expect(!fresh.isEmpty && fresh.allSatisfy { $0.status == nil })
            let one = try await clients.lumanu.payouts(PayoutFilter(payeeEmail: "[email protected]")).all()
            #expect(one.map(\.id) == ["32b1b9dd-2b0f-4cf0-92f7-6416a3be23b9"])
            let skipped = try await clients.lumanu.payoutsPage(PayoutFilter(workspaceID: Self.workspace), limit: 5, offset: first.total - 2)
            #expect(skipped.payouts.count == 2 && skipped.total == first.total)
        }
    }

    @Test func aLoopBrokenOffEarlyFetchesOnlyTheFirstPage() async throws {
        try await SandboxClients.with { clients in
            let pages = try clients.lumanu.payouts(pageSize: 5)
            #expect(pages.total == nil)
            #expect(clients.requests("GET /lumanu/api/rest/payouts ") == 0, "nothing is fetched before iteration")
            var seen: [String] = []
            for try await payout in pages {
                seen.append(payout.id)
                if seen.count == 3 { break }
            }
            #expect(seen.count == 3)
            #expect(clients.requests("GET /lumanu/api/rest/payouts ") == 1, "\(clients.stats)")
            #expect((pages.total ?? 0) > 100)
            let twelve = try await pages.take(12)
            #expect(twelve.count == 12 && Array(twelve.prefix(3)).map(\.id) == seen)
            #expect(clients.requests("GET /lumanu/api/rest/payouts ") == 4, "three more pages of five for twelve items")
        }
    }

    @Test func badArgumentsAreRefusedBeforeAnythingIsSent() async throws {
        try await SandboxClients.with { clients in
            let lumanu = clients.lumanu
            let good = NewPayout(payeeEmail: "ada@example.com", amount: 100, description: "ok")
            func create(_ change: (inout NewPayout) -> Void) async throws {
                var payout = good
                change(&payout)
                _ = try await lumanu.createPayout(payout)
            }
            let op = "lumanu.create_payout"
            await ClientExpect.validation(op, mentions: ["amount", "greater than 0", "got 0"]) { try await create { $0.amount = 0 } }
            await ClientExpect.validation(op, mentions: ["amount", "got -250"]) { try await create { $0.amount = -250 } }
            await ClientExpect.validation(op, mentions: ["payee_email", "e-mail address", "\"ada@example\""]) {
                try await create { $0.payeeEmail = "ada@example" }
            }
            await ClientExpect.validation(op, mentions: ["description", "non-empty"]) { try await create { $0.description = "  " } }
            await ClientExpect.validation(op, mentions: ["due_date", "YYYY-MM-DD", "2025-02-29"]) { try await create { $0.dueDate = "2025-02-29" } }
            await ClientExpect.validation(op, mentions: ["custom_fields[1].name", "\"a\" again"]) {
                try await create { $0.customFields = [CustomField(name: "a", value: "1"), CustomField(name: "a", value: "2")] }
            }
            await ClientExpect.validation(op, mentions: ["paysh_ref", "non-empty"]) {
                try await create { $0.customFields = [CustomField(name: "paysh_ref", value: "")] }
            }
            let noWorkspace = LumanuClient(connection: lumanu.connection)
            await ClientExpect.validation(op, mentions: ["workspace_id", "got none"]) { _ = try await noWorkspace.createPayout(good) }
            await ClientExpect.validation("lumanu.payout", mentions: ["id", "empty"]) { _ = try await lumanu.payout(id: "") }
            await ClientExpect.validation("lumanu.payouts", mentions: ["limit", "1 to 100", "got 101"]) { _ = try await lumanu.payoutsPage(limit: 101) }
            await ClientExpect.validation("lumanu.payouts", mentions: ["pageSize", "got 0"]) { _ = try lumanu.payouts(pageSize: 0) }
            await ClientExpect.validation("lumanu.payouts", mentions: ["offset", "got -1"]) { _ = try await lumanu.payoutsPage(offset: -1) }
            await ClientExpect.validation("lumanu.payouts", mentions: ["status", "Approved", "\"paid\""]) {
                _ = try lumanu.payouts(PayoutFilter(status: "paid"))
            }
            #expect(clients.serviceRequests == 0, "\(clients.stats)")
            #expect(clients.stats["tokens_issued"] == nil, "not even a token was fetched")
        }
    }

    @Test func thirtyPayoutsUnderEveryFaultAreEachCreatedExactlyOnce() async throws {
        let (references, created, stored, stats) = try await SandboxClients.with(faults: "503:0.2,drop-before:0.15,500-after:0.2,drop-after:0.2",
                                                                                seed: 11) { clients in
            var references: [String] = []
            for n in 1 ... 30 {
                let payout = try await clients.lumanu.createPayout(NewPayout(payeeEmail: "soak\(n % 4)@example.com", amount: Int64(100 * n),
                                                                             description: "soak \(n)"))
                references.append(try #require(payout.payshRef))
                #expect(payout.amount == Int64(100 * n))
            }
            let stored = try clients.stored(.lumanu, "payout").compactMap { object -> String? in
                object.body["custom_fields"]?.arrayValue?.first { $0["name"]?.stringValue == "paysh_ref" }?["value"]?.stringValue
            }
            return (references, clients.stats["lumanu payouts created"], stored, clients.stats)
        }
        #expect(Set(references).count == 30)
        #expect(created == 30, "exactly 30 payouts on the server: \(stats)")
        for reference in references { #expect(stored.filter { $0 == reference }.count == 1, "one payout for \(reference)") }
        #expect((stats["faults drop-after"] ?? 0) + (stats["faults 500-after"] ?? 0) > 0, "faults after commit were met: \(stats)")
    }

    @Test func aDryRunPrintsTheRequestAndSendsNothing() async throws {
        let printed = PrintedLines()
        try await SandboxClients.with(dryRun: { printed.add($0) }) { clients in
            let payout = try await clients.lumanu.createPayout(NewPayout(payeeEmail: "ada@example.com", amount: 500, description: "preview"))
            #expect(payout.isDryRun && payout.amount == 500 && payout.id.hasPrefix("dry-run-"))
            #expect(payout.payshRef != nil)
            #expect(clients.requests("POST /lumanu") == 0)
            let command = try #require(printed.all.first)
            #expect(command.contains("/lumanu/api/rest/payables") && command.contains("paysh_ref"))
        }
    }
}
