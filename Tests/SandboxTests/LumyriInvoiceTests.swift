import Foundation
import JSON
import Sandbox
import Testing

/// Invoices: the generated fixtures, paging, and every filter, each checked
/// against the same filter applied here to the full list.
@Suite struct LumyriInvoiceTests {
    /// Cents of a decimal string, by Foundation's Decimal (an oracle independent of the sandbox's own).
    func cents(_ value: JSONValue?) -> Int {
        let decimal = Decimal(string: value?.stringValue ?? "x")! * 100
        return NSDecimalNumber(decimal: decimal).intValue
    }

    func ids(_ items: [JSONValue]) -> [String] { items.compactMap { $0["id"]?.stringValue } }

    @Test func fixturesHoldEnoughVariedInvoicesForPaging() async throws {
        try await SandboxHarness.with { sandbox in
            let all = try await sandbox.allInvoices()
            #expect(all.count >= 60)
            #expect(Set(all.compactMap { $0["status"]?.stringValue }) == ["Processing", "Succeeded", "Failed"])
            #expect(Set(all.compactMap { $0["method"]?.stringValue }) == ["Card", "paypal"])
            #expect(Set(all.compactMap { $0["startAt"]?.stringValue?.prefix(7) }).count >= 6)
            #expect(Set(all.map { cents($0["total"]) }).count >= 50)
            for invoice in all {
                let lines = invoice["details"]?.arrayValue ?? []
                #expect(cents(invoice["subTotal"]) + cents(invoice["tax"]) == cents(invoice["total"]))
                let sum = lines.reduce(0) { $0 + NSDecimalNumber(decimal: Decimal(string: $1["amount"]?.numberText ?? "x")! * 100).intValue }
                #expect(sum == cents(invoice["subTotal"]))
                #expect((invoice["status"] == "Succeeded") == (invoice["paymentId"]?.stringValue != nil))
            }
            // Newest period first.
            let starts = all.compactMap { $0["startAt"]?.stringValue }
            #expect(starts == starts.sorted(by: >))
            #expect(all.first?["id"] == .string(Lumyri.invoice))
        }
    }

    @Test func pagingDefaultsToTenAndWalksEveryInvoiceOnce() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, first) = try await sandbox.lumyri(.get, "/payments/orders")
            #expect(status == .ok)
            #expect(first?["page"] == 1 && first?["perPage"] == 10)
            #expect(first?["data"]?.arrayValue?.count == 10)
            let total = try #require(first?["total"]?.int64Value)
            var seen: [String] = []
            var page = 1
            while true {
                let (_, body) = try await sandbox.lumyri(.get, "/payments/orders?page=\(page)&perPage=7")
                #expect(body?["total"]?.int64Value == total)
                let data = body?["data"]?.arrayValue ?? []
                if data.isEmpty { break }
                seen += ids(data)
                page += 1
            }
            #expect(seen.count == Int(total))
            #expect(Set(seen).count == seen.count)
            #expect(page - 1 == (Int(total) + 6) / 7)
            #expect(seen == ids(try await sandbox.allInvoices()))
        }
    }

    @Test(arguments: ["perPage=101", "perPage=0", "perPage=ten", "page=0", "page=-1", "min=abc", "max=1.234", "min=20&max=10",
                      "status=Paid", "method=cash", "startAt=yesterday", "endAt=2023-13-01"])
    func invalidQueriesAre400NamingTheParameter(query: String) async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.get, "/payments/orders?\(query)")
            #expect(status == .badRequest)
            let name = String(query.split(separator: "=")[0])
            #expect(body?["message"]?.stringValue?.contains(name) == true, "\(String(describing: body))")
        }
    }

    @Test func perPageOfAHundredIsAllowed() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.lumyri(.get, "/payments/orders?perPage=100")
            #expect(status == .ok)
            #expect(body?["data"]?.arrayValue?.count == min(100, Int(body?["total"]?.int64Value ?? 0)))
        }
    }

    @Test func receiptFindsOneInvoice() async throws {
        try await SandboxHarness.with { sandbox in
            let all = try await sandbox.allInvoices()
            let target = try #require(all.dropFirst(30).first?["id"]?.stringValue)
            let (_, body) = try await sandbox.lumyri(.get, "/payments/orders?receipt=\(target)")
            #expect(body?["total"] == 1)
            #expect(ids(body?["data"]?.arrayValue ?? []) == [target])
            let (_, none) = try await sandbox.lumyri(.get, "/payments/orders?receipt=00000000-0000-0000-0000-000000000000")
            #expect(none?["total"] == 0 && none?["data"] == [])
        }
    }

    @Test func minAndMaxBoundTheTotalInclusively() async throws {
        try await SandboxHarness.with { sandbox in
            let all = try await sandbox.allInvoices()
            let totals = all.map { cents($0["total"]) }.sorted()
            let low = totals[totals.count / 4], high = totals[3 * totals.count / 4]
            func text(_ c: Int) -> String { "\(c / 100).\(String(format: "%02d", c % 100))" }
            let expected = ids(all.filter { (low ... high).contains(cents($0["total"])) })
            let (_, body) = try await sandbox.lumyri(.get, "/payments/orders?perPage=100&min=\(text(low))&max=\(text(high))")
            #expect(body?["total"]?.int64Value == Int64(expected.count))
            #expect(ids(body?["data"]?.arrayValue ?? []) == expected)
            #expect(expected.count > 10 && expected.count < all.count)
            let onlyMin = try await sandbox.allInvoices("min=\(text(high))")
            #expect(ids(onlyMin) == ids(all.filter { cents($0["total"]) >= high }))
            let onlyMax = try await sandbox.allInvoices("max=174.08")
            #expect(ids(onlyMax) == ids(all.filter { cents($0["total"]) <= 17408 }))
            #expect(ids(onlyMax).contains(Lumyri.invoice))
            #expect(!ids(try await sandbox.allInvoices("max=174.07")).contains(Lumyri.invoice))
        }
    }

    @Test(arguments: [("Succeeded", "Succeeded"), ("failed", "Failed"), ("PROCESSING", "Processing")])
    func statusFiltersWithoutRegardToCase(query: String, status: String) async throws {
        try await SandboxHarness.with { sandbox in
            let all = try await sandbox.allInvoices()
            let filtered = try await sandbox.allInvoices("status=\(query)")
            #expect(!filtered.isEmpty)
            #expect(ids(filtered) == ids(all.filter { $0["status"] == .string(status) }))
        }
    }

    @Test(arguments: [("card", "Card"), ("PayPal", "paypal")])
    func methodFiltersWithoutRegardToCase(query: String, method: String) async throws {
        try await SandboxHarness.with { sandbox in
            let all = try await sandbox.allInvoices()
            let filtered = try await sandbox.allInvoices("method=\(query)")
            #expect(!filtered.isEmpty)
            #expect(ids(filtered) == ids(all.filter { $0["method"] == .string(method) }))
        }
    }

    @Test func startAtAndEndAtKeepInvoicesWhosePeriodLiesInside() async throws {
        try await SandboxHarness.with { sandbox in
            let all = try await sandbox.allInvoices()
            let inside = try await sandbox.allInvoices("startAt=2022-06-01&endAt=2022-08-31T23:59:59Z")
            let expected = all.filter { ($0["startAt"]?.stringValue ?? "") >= "2022-06-01" && ($0["endAt"]?.stringValue ?? "") <= "2022-08-31T23:59:59.000Z" }
            #expect(expected.count >= 10)
            #expect(ids(inside) == ids(expected))
            let since = try await sandbox.allInvoices("startAt=2023-02-01T00:00:00.000Z")
            #expect(ids(since) == [Lumyri.invoice])
            let until = try await sandbox.allInvoices("endAt=2023-02-27")
            #expect(!ids(until).contains(Lumyri.invoice) && until.count == all.count - 1)
            let combined = try await sandbox.allInvoices("startAt=2022-01-01&endAt=2022-12-31&status=Succeeded&method=Card&min=10")
            #expect(ids(combined) == ids(all.filter {
                ($0["startAt"]?.stringValue ?? "") >= "2022-01-01" && ($0["endAt"]?.stringValue ?? "") <= "2022-12-31T00:00:00.000Z"
                    && $0["status"] == "Succeeded" && $0["method"] == "Card" && cents($0["total"]) >= 1000
            }))
        }
    }

    @Test func aSingleInvoiceHasTheDocumentedKeys() async throws {
        try await SandboxHarness.with { sandbox in
            let all = try await sandbox.allInvoices("status=Succeeded")
            let id = try #require(all.first?["id"]?.stringValue)
            let (status, body) = try await sandbox.lumyri(.get, "/payments/orders/\(id)")
            #expect(status == .ok)
            #expect(keys(body) == keys(try Lumyri.parse(LumyriDocument.invoiceObject)))
            #expect(body?["paymentId"]?.stringValue != nil)
            let (missing, error) = try await sandbox.lumyri(.get, "/payments/orders/nope")
            #expect(missing == .notFound && error?["statusCode"] == 404)
        }
    }
}
