import JSON
import Sandbox
import Testing

/// `POST /_sandbox/lumyri/invoices`: new payable invoices on demand.
@Suite struct LumyriControlTests {
    @Test func issuedInvoicesArePayableAndListedForTheirCompany() async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.request(.post, "/_sandbox/lumyri/invoices", json: #"{"count": 3}"#)
            #expect(status == .ok)
            let listed = body?["ids"]?.arrayValue?.compactMap(\.stringValue)
            let ids = try #require(listed)
            #expect(ids.count == 3 && Set(ids).count == 3)
            let documented = Lumyri.shape(try await sandbox.lumyri(.get, "/payments/orders/\(Lumyri.invoice)").1)
            for id in ids {
                let (got, invoice) = try await sandbox.lumyri(.get, "/payments/orders/\(id)")
                #expect(got == .ok && invoice?["status"] == "Processing" && invoice?["companyId"] == .string(Lumyri.company))
                #expect(Lumyri.shape(invoice) == documented, "an issued invoice has the documented shape")
            }
            let (paid, invoice) = try await sandbox.lumyri(.put, "/payments/orders/\(ids[0])/pay")
            #expect(paid == .ok && invoice?["status"] == "Succeeded")
            let (_, other) = try await sandbox.request(.get, "/lumyri/payments/orders/\(ids[1])", bearer: Lumyri.otherToken)
            #expect(other?["statusCode"] == 404, "another company does not see them")
        }
    }

    @Test(arguments: [#"{"count": 0}"#, #"{"count": 1001}"#, #"{"count": "3"}"#, #"{}"#, #"{"count": 2, "compnay": "x"}"#,
                      #"{"count": 2, "company": "acme"}"#, "[1]", "nope"])
    func badBodiesAreRefusedSayingWhatIsExpected(body: String) async throws {
        try await SandboxHarness.with { sandbox in
            let (status, answer) = try await sandbox.request(.post, "/_sandbox/lumyri/invoices", json: body)
            #expect(status == .badRequest)
            #expect(answer?["message"]?.stringValue?.isEmpty == false, "\(String(describing: answer))")
        }
    }
}
