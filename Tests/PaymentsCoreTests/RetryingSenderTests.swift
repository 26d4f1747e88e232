import JSON
import PaymentsCore
import Sandbox
import Testing

/// Exactly once under faults: the retrying sender against the sandbox.
@Suite struct RetryingSenderTests {
    static func sender() -> RetryingSender {
        var sender = RetryingSender(transport: Transport(), policy: RetryPolicy(maxAttempts: 12, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
                                    budget: RetryBudget(capacity: 1000))
        sender.sleep = { _ in }
        return sender
    }

    static func lumyri(_ method: String, _ url: String, operation: String) -> OutgoingRequest {
        OutgoingRequest(service: "lumyri", operation: operation, method: method, url: url,
                        headers: [("Authorization", "Bearer \(SandboxCredentials.lumyriAccessToken)")])
    }

    static func status(_ answer: IncomingAnswer) -> String? {
        let value = try? answer.body.withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) }
        return value?["status"]?.stringValue
    }

    /// Run `body` with a sandbox (seeded, with `faults`) and a sender, closing both afterwards.
    static func withSender<T>(faults: String? = nil, seed: UInt64 = 1,
                              _ body: (RunningSandbox, RetryingSender) async throws -> T) async throws -> T {
        try await TransportTests.withSandbox(faults: faults, seed: seed) { sandbox in
            let sender = Self.sender()
            do {
                let result = try await body(sandbox, sender)
                await sender.transport.shutdown()
                return result
            } catch {
                await sender.transport.shutdown()
                throw error
            }
        }
    }

    /// Pay `invoice`, reconciling an unknown outcome by reading the invoice.
    static func pay(_ invoice: String, base: String, with sender: RetryingSender) async throws -> IncomingAnswer {
        let pay = lumyri("PUT", "\(base)/payments/orders/\(invoice)/pay", operation: "lumyri.pay_invoice")
        let look = lumyri("GET", "\(base)/payments/orders/\(invoice)", operation: "lumyri.invoice")
        return try await sender.send(pay, idempotent: false) {
            let current = try await sender.send(look, idempotent: true)
            return status(current) == "Succeeded" ? .applied(current) : .notApplied
        }
    }

    @Test func payingInvoicesUnderEveryFaultChargesEachExactlyOnce() async throws {
        let (invoices, stats) = try await Self.withSender(faults: "503:0.2,drop-before:0.15,500-after:0.2,drop-after:0.2", seed: 7) { sandbox, sender in
            let base = sandbox.endpoints.lumyriBaseURL
            let invoices = try sandbox.sandbox.store.read { db in
                try db.objects(.lumyri, "invoice", owner: nil).filter { ["Processing", "Failed"].contains($0.body["status"]?.stringValue) }
                    .filter { $0.owner == "956865a9-b9f7-4198-87eb-10b4f0f411c9" }.map(\.id)
            }
            #expect(invoices.count >= 5, "the fixtures hold payable invoices")
            for invoice in invoices {
                do {
                    let answer = try await Self.pay(invoice, base: base, with: sender)
                    #expect(Self.status(answer) == "Succeeded", "\(invoice)")
                } catch {
                    Issue.record("paying \(invoice) failed: \(error)")
                }
            }
            return (invoices, sandbox.sandbox.statistics.snapshot)
        }
        #expect(stats["charges_made"] == invoices.count, "each invoice charged once: \(stats)")
        #expect((stats["faults drop-after"] ?? 0) + (stats["faults 500-after"] ?? 0) > 0, "faults after commit were exercised: \(stats)")
    }

    @Test func withoutReconciliationAnUnknownOutcomeIsReportedNotResent() async throws {
        let charges = try await Self.withSender(faults: "drop-after@PUT /lumyri/payments/orders/*/pay") { sandbox, sender in
            let pay = Self.lumyri("PUT", "\(sandbox.endpoints.lumyriBaseURL)/payments/orders/4e872310-58fb-40bf-9494-68731fb3d6b4/pay",
                                  operation: "lumyri.pay_invoice")
            await #expect {
                _ = try await sender.send(pay, idempotent: false)
            } throws: { ($0 as? PaymentsError)?.kind == .outcomeUnknown }
            return sandbox.sandbox.statistics.snapshot["charges_made"]
        }
        #expect(charges == 1, "the one attempt was applied and nothing was re-sent")
    }

    @Test func readsAreRetriedThroughRejectionsAndUnknownOutcomes() async throws {
        try await Self.withSender(faults: "503:0.3,500-after:0.3,drop-before:0.2", seed: 3) { sandbox, sender in
            for _ in 0 ..< 20 {
                let answer = try await sender.send(Self.lumyri("GET", "\(sandbox.endpoints.lumyriBaseURL)/payments/cards", operation: "lumyri.cards"),
                                                   idempotent: true)
                #expect(answer.status == 200)
            }
        }
    }

    @Test func aDefiniteClientErrorIsThrownAtOnce() async throws {
        let requests = try await Self.withSender { sandbox, sender in
            await #expect {
                _ = try await sender.send(Self.lumyri("GET", "\(sandbox.endpoints.lumyriBaseURL)/payments/orders/nope", operation: "lumyri.invoice"),
                                          idempotent: true)
            } throws: { error in
                let error = error as? PaymentsError
                return error?.kind == .clientError && error?.status == 404 && error?.message.contains("nope") == true
            }
            return sandbox.sandbox.statistics.snapshot.filter { $0.key.hasPrefix("requests GET /lumyri") }.values.reduce(0, +)
        }
        #expect(requests == 1)
    }
}
