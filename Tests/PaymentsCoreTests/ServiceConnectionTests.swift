import Foundation
import JSON
import PaymentsCore
import Sandbox
import Testing

/// The connection between typed clients and the wire: idempotency keys, the
/// 401 rule for fixed keys, `--dry-run` as a working `curl` command, tracing.
@Suite struct ServiceConnectionTests {
    static let payable = "4e872310-58fb-40bf-9494-68731fb3d6b4"

    static func connection(_ service: Service, _ sandbox: RunningSandbox, key: String? = nil, trace: TransportTests.Lines? = nil,
                           dryRun: ServiceConnection.DryRunPrinter? = nil) -> ServiceConnection {
        var configuration = Transport.Configuration()
        if let trace { configuration.trace = { trace.add($0) } }
        var sender = RetryingSender(transport: Transport(configuration: configuration),
                                    policy: RetryPolicy(maxAttempts: 12, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
                                    budget: RetryBudget(capacity: 1000))
        sender.sleep = { _ in }
        let endpoints = sandbox.endpoints
        switch service {
        case .lumen:
            return ServiceConnection(service: .lumen, baseURL: endpoints.lumenBaseURL,
                                     authorizer: StaticBearer(secret: key ?? SandboxCredentials.lumenAPIKey, environmentName: "LUMEN_API_KEY"),
                                     sender: sender, dryRun: dryRun)
        default:
            return ServiceConnection(service: .lumyri, baseURL: endpoints.lumyriBaseURL,
                                     authorizer: StaticBearer(secret: key ?? SandboxCredentials.lumyriAccessToken, environmentName: "LUMYRI_ACCESS_TOKEN"),
                                     sender: sender, dryRun: dryRun)
        }
    }

    static func pay(_ invoice: String = payable) -> APIRequest {
        APIRequest(operation: "lumyri.pay_invoice", method: "PUT", path: "/payments/orders/\(invoice)/pay", movesMoney: true, reference: invoice)
    }

    static func invoiceStatus(_ sandbox: RunningSandbox, _ id: String = payable) async throws -> String? {
        let answer = try await connection(.lumyri, sandbox).perform(APIRequest(operation: "lumyri.invoice", method: "GET", path: "/payments/orders/\(id)"))
        return try answer.json(service: .lumyri, operation: "lumyri.invoice")["status"]?.stringValue
    }

    /// Run `script` with `/bin/sh` and the sandbox's environment, without blocking a thread
    /// of the pool the sandbox answers on; its exit status and standard output.
    static func shell(_ script: String, environment: [(String, String)]) async throws -> (status: Int32, output: String) {
        let run = try await AuthShellTests.shell(script, environment: Dictionary(environment) { _, last in last })
        return (run.status, run.output)
    }

    @Test func everyAttemptOfOneMutationCarriesTheSameIdempotencyKey() async throws {
        try await TransportTests.withSandbox(faults: "503:0.6@PUT /lumyri/payments/orders/*/pay", seed: 5) { sandbox in
            let connection = Self.connection(.lumyri, sandbox)
            _ = try await connection.perform(Self.pay())
            _ = try await Self.invoiceStatus(sandbox)
            let keys = sandbox.sandbox.statistics.idempotencyKeys
            let stats = sandbox.sandbox.statistics.snapshot
            #expect(keys.count == 1, "one call, one key: \(keys)")
            #expect(keys.values.first == stats["mutations with Idempotency-Key"])
            #expect((stats["faults 503"] ?? 0) > 0, "the call was retried: \(stats)")
            #expect(stats["mutations without Idempotency-Key"] == nil)
            #expect(keys.keys.first?.count == 36)
        }
    }

    @Test func aFixedKeyRejectedWith401IsNotRetried() async throws {
        try await TransportTests.withSandbox { sandbox in
            let connection = Self.connection(.lumen, sandbox, key: "sk_wrong_key_123456")
            await #expect {
                _ = try await connection.perform(APIRequest(operation: "lumen.payment", method: "GET", path: "/payments/pay_123"))
            } throws: { error in
                let error = error as? PaymentsError
                return error?.kind == .unauthorized && error?.status == 401 && !"\(error!)".contains("sk_wrong_key_123456")
            }
            let requests = sandbox.sandbox.statistics.snapshot.filter { $0.key.hasPrefix("requests GET /lumen") }
            #expect(requests.values.reduce(0, +) == 1, "\(requests)")
        }
    }

    @Test func aDryRunMutationIsPrintedNotSentAndTheCommandWorks() async throws {
        try await TransportTests.withSandbox { sandbox in
            let printed = TransportTests.Lines()
            let connection = Self.connection(.lumyri, sandbox, dryRun: { printed.add($0) })
            let answer = try await connection.perform(Self.pay())
            #expect(answer.isDryRun)
            let fake = try answer.json(service: .lumyri, operation: "lumyri.pay_invoice")
            #expect(fake["dry_run"] == true && fake["id"]?.stringValue?.hasPrefix("dry-run-") == true)
            #expect(try await Self.invoiceStatus(sandbox) != "Succeeded", "nothing was sent")
            #expect(sandbox.sandbox.statistics.snapshot["charges_made"] == nil)

            let command = try #require(printed.all.first)
            #expect(printed.all.count == 1)
            #expect(command.hasPrefix("# lumyri.pay_invoice (dry run: not sent)\ncurl -sS -X PUT '\(sandbox.endpoints.lumyriBaseURL)/payments/orders/\(Self.payable)/pay'"))
            #expect(command.contains(#"-H "Authorization: Bearer $LUMYRI_ACCESS_TOKEN""#))
            #expect(command.contains("-H 'Idempotency-Key: "))
            #expect(!command.contains(SandboxCredentials.lumyriAccessToken), "the token is a reference, never the value")

            let run = try await Self.shell(command, environment: sandbox.endpoints.environment)
            #expect(run.status == 0)
            #expect(run.output.contains(#""status":"Succeeded""#), "\(run.output)")
            #expect(try await Self.invoiceStatus(sandbox) == "Succeeded")
            #expect(sandbox.sandbox.statistics.snapshot["charges_made"] == 1)
        }
    }

    @Test func aDryRunBodyIsSentByTheCommandAsBuilt() async throws {
        try await TransportTests.withSandbox { sandbox in
            let printed = TransportTests.Lines()
            let body: JSONValue = ["customerId": "cust_123", "provider": "stripe", "paymentType": "card",
                                   "externalPaymentMethodId": "pm_it's_dry", "status": "active", "cardBrand": "visa", "cardLastFour": "4242"]
            let create = APIRequest(operation: "lumen.create_payment_method", method: "POST", path: "/payment-methods", body: body,
                                    movesMoney: true, reference: "pm_it's_dry")
            let answer = try await Self.connection(.lumen, sandbox, dryRun: { printed.add($0) }).perform(create)
            #expect(try answer.json(service: .lumen, operation: "x")["externalPaymentMethodId"] == "pm_it's_dry")
            #expect(sandbox.sandbox.statistics.snapshot.keys.filter { $0.hasPrefix("requests POST") }.isEmpty)

            let command = try #require(printed.all.first)
            let run = try await Self.shell(command + " -w ' %{http_code}'", environment: sandbox.endpoints.environment)
            #expect(run.output.hasSuffix(" 201"), "\(run.output)")
            #expect(run.output.hasPrefix(#"{"paymentMethod":{"id":"pm_"#))
            let again = try await Self.shell(command + " -w ' %{http_code}'", environment: sandbox.endpoints.environment)
            #expect(again.output.hasSuffix(" 409"), "the same externalPaymentMethodId (quote and all) reached the server: \(again.output)")
        }
    }

    @Test func cardDataInADryRunBodyIsMaskedAndSaidToBe() async throws {
        try await TransportTests.withSandbox { sandbox in
            let printed = TransportTests.Lines()
            let body: JSONValue = ["cardNumber": "4242424242424242", "expMonth": 12, "expYear": 2030, "cvv": "123"]
            _ = try await Self.connection(.lumyri, sandbox, dryRun: { printed.add($0) })
                .perform(APIRequest(operation: "lumyri.create_card", method: "POST", path: "/payments/cards", body: body, movesMoney: true))
            let command = try #require(printed.all.first)
            #expect(!command.contains("4242424242424242") && !command.contains("\"123\""), "\(command)")
            #expect(command.contains("424242******4242"))
            #expect(command.contains("# card data and secrets in the body are masked"))
        }
    }

    @Test func readsAreSentUnderDryRun() async throws {
        try await TransportTests.withSandbox { sandbox in
            let printed = TransportTests.Lines()
            let answer = try await Self.connection(.lumen, sandbox, dryRun: { printed.add($0) })
                .perform(APIRequest(operation: "lumen.payment", method: "GET", path: "/payments/pay_123"))
            #expect(!answer.isDryRun && answer.status == 200)
            #expect(printed.all.isEmpty)
        }
    }

    @Test func traceLinesNameTheAttemptAndHideTheKey() async throws {
        try await TransportTests.withSandbox(faults: "503:0.5@GET /lumen/v1/payments/*", seed: 9) { sandbox in
            let lines = TransportTests.Lines()
            _ = try await Self.connection(.lumen, sandbox, trace: lines)
                .perform(APIRequest(operation: "lumen.payment", method: "GET", path: "/payments/pay_123"))
            let all = lines.all
            #expect(all.last?.contains("→ 200") == true && all.last?.contains("attempt \(all.count)") == true, "\(all)")
            #expect(all.allSatisfy { !$0.contains(SandboxCredentials.lumenAPIKey) })
        }
    }

    /// A journal that keeps intents but cannot write outcomes (a full disk, a lock held too long).
    final class OutcomeFailingJournal: MutationJournal {
        let intents = TransportTests.Lines()
        func recordIntent(_ intent: JournalIntent) throws(PaymentsError) { intents.add(intent.id) }
        func recordOutcome(of id: String, _ outcome: JournalOutcome) throws(PaymentsError) {
            throw PaymentsError(kind: .validation, service: "journal", operation: "journal", message: "disk full")
        }
    }

    @Test func aCallThatTookEffectIsNotReportedAsFailedWhenItsOutcomeCannotBeJournaled() async throws {
        try await TransportTests.withSandbox { sandbox in
            let journal = OutcomeFailingJournal()
            let lines = TransportTests.Lines()
            let base = Self.connection(.lumyri, sandbox, trace: lines)
            let connection = ServiceConnection(service: .lumyri, baseURL: base.baseURL, authorizer: base.authorizer, sender: base.sender,
                                               profile: "sandbox", journal: journal)
            let answer = try await connection.perform(Self.pay())
            #expect(answer.status == 200, "the charge happened and the caller is told so")
            #expect(journal.intents.all.count == 1)
            #expect(lines.all.contains { $0.hasPrefix("journal: the outcome of lumyri.pay_invoice") && $0.contains("disk full") })
        }
    }

    @Test func queryValuesArePercentEncoded() {
        let request = APIRequest(operation: "x", method: "GET", path: "/payments", query: [("customerId", "a b&c=d/é")])
        #expect(request.url(base: "http://h/v1/") == "http://h/v1/payments?customerId=a%20b%26c%3Dd%2F%C3%A9")
    }
}
