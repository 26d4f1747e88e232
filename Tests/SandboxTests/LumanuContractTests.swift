import Foundation
import JSON
@testable import Sandbox
import Testing

/// The quickstart's requests, as written (base URL swapped, placeholders filled).
@Suite struct LumanuContractTests {
    @Test(arguments: ["payables", "payable"])
    func documentedCreateAnswersWithExactlyTheDocumentedKeysAndTypes(path: String) async throws {
        try await SandboxHarness.with { sandbox in
            let (tokenStatus, tokenBody) = try await sandbox.request(.post, "/auth/oauth/token", json: LumanuDocument.tokenRequest)
            #expect(tokenStatus == .ok)
            #expect(tokenBody?["token_type"] == "Bearer")
            let token = try #require(tokenBody?["access_token"]?.stringValue)

            let (status, body) = try await sandbox.request(.post, "/lumanu/api/rest/\(path)", bearer: token, json: LumanuDocument.createRequest)
            #expect(status == .ok)
            let example = LumanuDocument.example
            #expect(keys(body) == keys(example))
            #expect(keys(body).count == 15)
            #expect(keys(example).map { jsonType(body?[$0]) } == keys(example).map { jsonType(example[$0]) })
            #expect(body?["amount"] == 100)
            #expect(body?["amount_denomination"] == "us_cents")
            #expect(body?["description"] == "My first payout via the API")
            #expect(body?["vendor_status"] == "Awaiting signup")
            #expect(body?["vendor_email"] == "[email protected]")
            #expect(body?["workspace_id"] == .string(SandboxCredentials.lumanuWorkspaceID))
            #expect(body?["custom_fields"] == [])
            #expect(body?["created_at"] == body?["updated_at"])
            #expect(micros(body?["created_at"]) != nil, "\(String(describing: body?["created_at"]))")
            let id = try #require(body?["id"]?.stringValue)
            #expect(LumanuPayoutRequest.isUUID(id) && id != LumanuDocument.exampleID)
            #expect((body?["invoice_number"]?.int64Value ?? 0) > 206_466)
        }
    }

    @Test func documentedExamplePayoutExistsExactlyAsShown() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let payout = try await sandbox.payout(token, LumanuDocument.exampleID)
            #expect(payout == LumanuDocument.example)
            // The fixture is history: the clock does not move it.
            sandbox.advanceClock(minutes: 60 * 24 * 30)
            let later = try await sandbox.payout(try await sandbox.lumanuToken(), LumanuDocument.exampleID)
            #expect(later == LumanuDocument.example)
        }
    }

    @Test func createdPayoutReadsBackTheSameByIdAndInTheList() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let created = try await sandbox.createdPayout(token, email: "readback@example.com")
            let id = try #require(created["id"]?.stringValue)
            #expect(try await sandbox.payout(token, id) == created)
            let (listed, total) = try await sandbox.payouts(token, "payee_email=readback@example.com")
            #expect(total == 1)
            #expect(listed == [created])
        }
    }

    @Test func invoiceNumbersAreUniqueAndIncreasing() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            var numbers: [Int64] = []
            for path in ["payables", "payable", "payables"] {
                let (_, body) = try await sandbox.createPayout(token, path: path)
                numbers.append(try #require(body?["invoice_number"]?.int64Value))
            }
            #expect(numbers == numbers.sorted() && Set(numbers).count == 3)
            let fixtures = try await sandbox.allPayouts(token).compactMap { $0["invoice_number"]?.int64Value }
            #expect(Set(fixtures).count == fixtures.count)
            #expect(numbers[0] > fixtures.filter { !numbers.contains($0) }.max()!)
        }
    }

    @Test func timestampsComeFromTheSandboxClockInPostgresForm() async throws {
        try await SandboxHarness.with { sandbox in
            sandbox.advanceClock(minutes: 60 * 24 * 400)
            let token = try await sandbox.lumanuToken()
            let before = LumanuTime.micros(sandbox.sandboxClock.now)
            let created = try await sandbox.createdPayout(token)
            let after = LumanuTime.micros(sandbox.sandboxClock.now)
            let stamp = try #require(micros(created["created_at"]))
            #expect(before <= stamp && stamp <= after)
            let text = try #require(created["created_at"]?.stringValue)
            #expect(text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,5}[1-9])?\+00:00/) != nil, "\(text)")
        }
    }

    @Test func timestampsDropTrailingZerosAsPostgresDoes() {
        #expect(LumanuTime.timestamp(LumanuTime.micros(2025, 9, 17, 15, 57, 4, micro: 482_673)) == "2025-09-17T15:57:04.482673+00:00")
        #expect(LumanuTime.timestamp(LumanuTime.micros(2025, 9, 17, 15, 57, 4, micro: 480_000)) == "2025-09-17T15:57:04.48+00:00")
        #expect(LumanuTime.timestamp(LumanuTime.micros(2024, 2, 29)) == "2024-02-29T00:00:00+00:00")
        #expect(LumanuTime.micros(timestamp: "2025-09-17T15:57:04.48+00:00") == LumanuTime.micros(2025, 9, 17, 15, 57, 4, micro: 480_000))
        #expect(LumanuTime.timestamp(LumanuTime.micros(1969, 12, 31, 23, 59, 59, micro: 1)) == "1969-12-31T23:59:59.000001+00:00")
    }
}
