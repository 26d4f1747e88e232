import Foundation
import GRDB
import JSON
@testable import Sandbox
import Testing

/// `GET /api/rest/payouts`: filters, paging, totals, order, isolation; and
/// the fixtures it walks through.
@Suite struct LumanuListTests {
    @Test func fixturesHoldWorkspacesVendorsInEveryStateAndPayoutsInEveryStatus() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let all = try await sandbox.allPayouts(token)
            #expect(all.count >= 150)
            #expect(Set(all.compactMap { $0["workspace_id"]?.stringValue }).count >= 3)
            #expect(Set(all.compactMap { $0["vendor_status"]?.stringValue }) == ["Awaiting signup", "Onboarding", "Verified"])
            #expect(Set(all.map { $0["status"]?.stringValue ?? "null" }) == ["null", "Approved", "Processing", "Paid", "Failed", "Cancelled"])
            #expect(all.allSatisfy { keys($0) == LumanuPayout.viewKeys })
            #expect(all.contains { $0["custom_fields"]?[0]?["name"] == "paysh_ref" })
        }
    }

    @Test func fixturesAreTheSameForTheSameSeedAndDifferForAnother() async throws {
        func listing(seed: UInt64) async throws -> [JSONValue] {
            try await SandboxHarness.with({ $0.seed = seed }) { sandbox in try await sandbox.allPayouts(try await sandbox.lumanuToken()) }
        }
        let first = try await listing(seed: 7), again = try await listing(seed: 7), other = try await listing(seed: 8)
        #expect(first == again)
        #expect(first != other)
        #expect(other.contains { $0["id"] == .string(LumanuDocument.exampleID) })
    }

    @Test func listIsNewestFirstAndShowsOnlyTheClientsWorkspaces() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let all = try await sandbox.allPayouts(token)
            let times = all.compactMap { micros($0["created_at"]) }
            #expect(times.count == all.count)
            #expect(times == times.sorted(by: >))
            let own = Set(Fixtures.lumanuWorkspaces.map(\.0))
            #expect(all.allSatisfy { own.contains($0["workspace_id"]?.stringValue ?? "") })
            let stored = try sandbox.running.sandbox.store.read { db in try db.lumanuPayouts(workspace: nil) }
            let foreign = stored.filter { $0.workspaceID == Fixtures.lumanuOtherWorkspace.0 }
            #expect(!foreign.isEmpty)
            #expect(all.count == stored.count - foreign.count)

            let created = try await sandbox.createdPayout(token)
            let (first, _) = try await sandbox.payouts(token, "limit=1")
            #expect(first == [created])
        }
    }

    @Test func pagingWalksEveryMatchOnceWithTheSameTotal() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let (_, total) = try await sandbox.payouts(token, "limit=1")
            var seen: [JSONValue] = []
            for offset in stride(from: 0, to: Int(total) + 7, by: 7) {
                let (page, pageTotal) = try await sandbox.payouts(token, "limit=7&offset=\(offset)")
                #expect(pageTotal == total)
                #expect(page.count == max(0, min(7, Int(total) - offset)))
                seen += page
            }
            #expect(seen.count == Int(total))
            #expect(Set(seen.compactMap { $0["id"]?.stringValue }).count == Int(total))
            #expect(seen == (try await sandbox.allPayouts(token)))
            let (defaultPage, _) = try await sandbox.payouts(token)
            #expect(defaultPage.count == LumanuPayoutQuery.defaultLimit)
            let (maxPage, _) = try await sandbox.payouts(token, "limit=100")
            #expect(maxPage.count == 100)
        }
    }

    @Test func filtersMatchOnlyWhatTheyNameAndTotalsCountThem() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let all = try await sandbox.allPayouts(token)
            for workspace in Fixtures.lumanuWorkspaces.map(\.0) {
                let matched = try await sandbox.allPayouts(token, "workspace_id=\(workspace)")
                #expect(!matched.isEmpty)
                #expect(matched == all.filter { $0["workspace_id"] == .string(workspace) })
            }
            for status in ["null", "Approved", "Processing", "Paid", "Failed", "Cancelled"] {
                let matched = try await sandbox.allPayouts(token, "status=\(status)")
                #expect(!matched.isEmpty, "\(status)")
                #expect(matched == all.filter { ($0["status"]?.stringValue ?? "null") == status })
            }
            let email = try #require(all.first { $0["vendor_status"] == "Verified" }?["vendor_email"]?.stringValue)
            let byEmail = try await sandbox.allPayouts(token, "payee_email=\(email.uppercased())")
            #expect(!byEmail.isEmpty && byEmail == all.filter { $0["vendor_email"] == .string(email) })

            let workspace = Fixtures.lumanuWorkspaces[1].0
            let (page, total) = try await sandbox.payouts(token, "workspace_id=\(workspace)&status=Paid&limit=2")
            let expected = all.filter { $0["workspace_id"] == .string(workspace) && $0["status"] == "Paid" }
            #expect(total == Int64(expected.count))
            #expect(page == Array(expected.prefix(2)))
            let (none, zero) = try await sandbox.payouts(token, "payee_email=nobody@example.com")
            #expect(none.isEmpty && zero == 0)
        }
    }

    @Test(arguments: [
        ("limit=101", "limit"), ("limit=0", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"),
        ("status=paid", "status"), ("status=Pending", "status"), ("workspace_id=abc", "workspace_id"),
        ("sort=asc", "sort"), ("limit=5&limit=6", "limit"), ("payee_email=", "payee_email"),
    ])
    func badQueriesAre400NamingTheParameter(query: String, name: String) async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let (status, error) = try await sandbox.request(.get, "/lumanu/api/rest/payouts?\(query)", bearer: token)
            #expect(status == .badRequest)
            #expect(error?["code"] == "validation-failed")
            #expect(error?["error"]?.stringValue?.hasPrefix(name + ":") == true, "\(String(describing: error))")
        }
    }

    @Test func anotherClientsWorkspaceAndPayoutsAre404() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let (listStatus, _) = try await sandbox.request(.get, "/lumanu/api/rest/payouts?workspace_id=\(Fixtures.lumanuOtherWorkspace.0)", bearer: token)
            #expect(listStatus == .notFound)
            let foreign = try sandbox.running.sandbox.store.read { db in try db.lumanuPayouts(workspace: Fixtures.lumanuOtherWorkspace.0) }
            let id = try #require(foreign.first?.id)
            let (status, error) = try await sandbox.request(.get, "/lumanu/api/rest/payouts/\(id)", bearer: token)
            #expect(status == .notFound)
            #expect(keys(error) == ["path", "error", "code"])
        }
    }

    @Test(arguments: ["00000000-0000-4000-8000-000000000000", "nope"])
    func unknownPayoutIs404InHasuraStyle(id: String) async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let (status, error) = try await sandbox.request(.get, "/lumanu/api/rest/payouts/\(id)", bearer: token)
            #expect(status == .notFound)
            #expect(error?["code"] == "not-found")
            #expect(error?["path"] == "$")
        }
    }

    @Test func aPayshRefIsKeptAndFindableByListingThePayee() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let ref = "6f1c2b9e-0d4a-4e7b-9a3c-5b8d7e6f1a20"
            let extra = #", "custom_fields": [{"name": "paysh_ref", "value": "\#(ref)"}]"#
            let email = "reconcile@example.com"
            for _ in 0 ..< 3 { _ = try await sandbox.createdPayout(token, email: email) }
            let created = try await sandbox.createdPayout(token, email: email, extra: extra)
            for _ in 0 ..< 3 { _ = try await sandbox.createdPayout(token, email: email) }
            // What a client does after an ambiguous failure: list the payee's payouts, find its ref.
            let listed = try await sandbox.allPayouts(token, "payee_email=\(email)")
            #expect(listed.count == 7)
            let found = listed.filter { $0["custom_fields"]?.arrayValue?.contains(["name": "paysh_ref", "value": .string(ref)]) == true }
            #expect(found == [created])
            #expect(try await sandbox.payout(token, created["id"]!.stringValue!)["custom_fields"] == [["name": "paysh_ref", "value": .string(ref)]])
        }
    }
}

/// A payee's list comes through an index on the payouts' payee (what a
/// reconciling client asks for), not by decoding every payout: it must
/// answer exactly what filtering the whole list would.
@Suite struct LumanuPayeeListTests {
    @Test func everyPayeesListIsTheWholeListFilteredToThatPayee() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            _ = try await sandbox.createdPayout(token, email: "Mixed.Case@Example.com")
            let all = try await sandbox.allPayouts(token)
            let payees = Set(all.compactMap { $0["vendor_email"]?.stringValue })
            #expect(payees.count >= 5 && payees.contains("mixed.case@example.com"))
            func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }
            for payee in payees.sorted() {
                let listed = try await sandbox.allPayouts(token, "payee_email=\(encoded(payee.uppercased()))", limit: 3)
                #expect(listed == all.filter { $0["vendor_email"]?.stringValue == payee }, "\(payee)")
                let workspace = try #require(listed.first?["workspace_id"]?.stringValue)
                let inWorkspace = try await sandbox.allPayouts(token, "payee_email=\(encoded(payee))&workspace_id=\(workspace)")
                #expect(inWorkspace == listed.filter { $0["workspace_id"]?.stringValue == workspace }, "\(payee) in \(workspace)")
                for status in ["null", "Paid"] {
                    let (page, total) = try await sandbox.payouts(token, "payee_email=\(encoded(payee))&status=\(status)&limit=100")
                    let expected = listed.filter { ($0["status"]?.stringValue ?? "null") == status }
                    #expect(page == expected && total == Int64(expected.count), "\(payee), status \(status)")
                }
            }
            let (none, total) = try await sandbox.payouts(token, "payee_email=nobody@example.com")
            #expect(none.isEmpty && total == 0)
        }
    }

    @Test func theQueryUsesTheIndex() async throws {
        try await SandboxHarness.with { sandbox in
            // `EXPLAIN QUERY PLAN` rows are (id, parent, notused, detail); the detail names the index searched.
            let detail = try sandbox.running.sandbox.store.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Database.payoutsOfPayee, arguments: ["a@example.com", nil as String?])
                    .map { $0["detail"] as String? ?? "" }
            }
            #expect(detail.contains { $0.contains("USING INDEX object_payout_by_payee") }, "\(detail)")
        }
    }
}

@Suite struct LumanuRoutingTests {
    @Test(arguments: [
        ("GET", "/lumanu/api/rest/payables", 405), ("PUT", "/lumanu/api/rest/payable", 405),
        ("DELETE", "/lumanu/api/rest/payouts/x", 405), ("POST", "/lumanu/api/rest/payouts", 405),
        ("GET", "/lumanu/api/rest/nothing", 404), ("POST", "/lumanu/v1/graphql", 404),
    ])
    func otherEndpointsAndMethodsAnswerInHasuraStyle(method: String, path: String, status: Int) async throws {
        try await SandboxHarness.with { sandbox in
            let (answer, error) = try await sandbox.request(.init(method)!, path)
            #expect(Int(answer.code) == status)
            #expect(keys(error) == ["path", "error", "code"])
            #expect(error?["code"] == (status == 404 ? "not-found" : "method-not-allowed"))
        }
    }
}
