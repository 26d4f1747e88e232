import Foundation
import JSON
import PaymentsCore
import Sandbox
import Testing

/// The Lumen client against the sandbox over real HTTP.
@Suite struct LumenClientTests {
    static func method(_ external: String, lastFour: String = "4242") -> NewPaymentMethod {
        NewPaymentMethod(customerId: "cust_123", provider: "stripe", paymentType: "card", externalPaymentMethodId: external,
                         status: "active", cardBrand: "visa", cardLastFour: lastFour)
    }

    static func methods(_ clients: SandboxClients) throws -> [StoredObject] {
        try clients.stored(.lumen, "payment_method", owner: "merchant_acme")
    }

    @Test func theDocumentsPaymentMethodAndPaymentRoundTrip() async throws {
        try await SandboxClients.with { clients in
            let method = try await clients.lumen.paymentMethod(id: "pm_123")
            #expect(JSONValue.text(method.json)
                == #"{"id":"pm_123","provider":"stripe","paymentType":"card","status":"active","cardBrand":"visa","cardLastFour":"4242"}"#)
            let payment = try await clients.lumen.payment(id: "pay_123")
            #expect(payment.amountCents == 5000 && payment.currency == "usd" && payment.status == "succeeded")
            #expect(payment.customer?.id == "cust_456" && payment.customer?.name == "John Doe")
            #expect(payment.invoice?.id == "inv_789" && payment.invoice?.customerInvoiceNumber == "INV-0001")
            let raw = try await clients.raw(clients.sandbox.endpoints.lumenBaseURL + "/payments/pay_123", bearer: SandboxCredentials.lumenAPIKey)
            #expect(try JSONValue.object(["payment": .object(payment.json)]).encoded() == raw, "kept whole, in the server's order")
        }
    }

    @Test func paymentsAreListedForOneCustomerOrAll() async throws {
        try await SandboxClients.with { clients in
            let johns = try await clients.lumen.payments(customerId: "cust_456")
            #expect(johns.map(\.id) == ["pay_123"])
            #expect(johns.first?.customerName == "John Doe" && johns.first?.planName == "Pro Plan" && johns.first?.amountCents == 5000)
            let all = try await clients.lumen.payments()
            #expect(all.count > 10 && all.contains { $0.id == "pay_123" })
            #expect(try await clients.lumen.payments(customerId: "cust_nobody").isEmpty)
        }
    }

    @Test func aCreatedMethodCanBeFetchedAgain() async throws {
        try await SandboxClients.with { clients in
            let created = try await clients.lumen.createPaymentMethod(Self.method("pm_ext_new_1", lastFour: "1881"))
            #expect(created.id.hasPrefix("pm_") && created.cardLastFour == "1881" && created.cardBrand == "visa" && created.status == "active")
            #expect(try await clients.lumen.paymentMethod(id: created.id) == created)
        }
    }

    @Test func aDuplicateOnTheFirstAttemptIsAClientErrorNamingTheExistingMethod() async throws {
        try await SandboxClients.with { clients in
            await ClientExpect.failure(.clientError, "lumen.create_payment_method", status: 409, mentions: ["pm_123"]) {
                _ = try await clients.lumen.createPaymentMethod(Self.method("pm_ext_fixture_123"))
            }
            #expect(clients.requests("POST /lumen/v1/payment-methods") == 1)
            #expect(clients.requests("GET /lumen/v1/payment-methods") == 0, "a first-attempt conflict is not looked up")
        }
    }

    @Test func aConflictAfterOurOwnLostAnswerIsThatAttemptsMethod() async throws {
        // The first create is committed and its answer lost; then the fault is lifted.
        try await SandboxClients.with(faults: "drop-after@POST /lumen/v1/payment-methods",
                                      afterFailure: { $0.sandbox.faults.plan = .none }) { clients in
            let before = try Self.methods(clients).count
            let method = try await clients.lumen.createPaymentMethod(Self.method("pm_ext_lost_answer", lastFour: "0005"))
            #expect(method.cardLastFour == "0005")
            let stored = try Self.methods(clients)
            #expect(stored.count == before + 1)
            #expect(stored.filter { $0.body["externalPaymentMethodId"]?.stringValue == "pm_ext_lost_answer" }.map(\.id) == [method.id])
            #expect(clients.requests("POST /lumen/v1/payment-methods 409") == 1, "the re-send met the first attempt's method: \(clients.stats)")
        }
    }

    /// The method the re-send conflicts with has an id with a Luhn-valid run
    /// of digits in it. The 409's message is redacted, so the id is masked
    /// there; the client finds the method through the answer's `Location`
    /// instead of fetching the masked text (which found nothing, a 404).
    @Test func aConflictNamingAnIdThatLooksLikeACardIsStillReconciled() async throws {
        let cardLike = "pm_" + String(repeating: "4242", count: 4)
        try await SandboxClients.with(faults: "drop-before@POST /lumen/v1/payment-methods",
                                      afterFailure: { $0.sandbox.faults.plan = .none }) { clients in
            let wanted = Self.method("pm_ext_card_like_id", lastFour: "0005")
            _ = try clients.sandbox.sandbox.store.write { db in
                try db.save(.lumen, "payment_method", id: cardLike, owner: "merchant_acme", body: [
                    "id": .string(cardLike), "customerId": "cust_123", "provider": "stripe", "paymentType": "card",
                    "externalPaymentMethodId": "pm_ext_card_like_id", "status": "active", "cardBrand": "visa", "cardLastFour": "0005",
                ])
            }
            let method = try await clients.lumen.createPaymentMethod(wanted)
            #expect(method.id == cardLike)
            #expect(clients.requests("POST /lumen/v1/payment-methods 409") == 1, "\(clients.stats)")
            let fetched = clients.stats.filter { $0.key.hasPrefix("requests GET /lumen/v1/payment-methods/") }
            #expect(fetched.keys.allSatisfy { $0.hasSuffix(" 200") } && fetched.values.reduce(0, +) == 1,
                    "the method was fetched once, by its whole id: \(clients.stats)")
        }
    }

    @Test func aConflictAfterALostAnswerWithAnotherMethodIsStillAClientError() async throws {
        // The create never ran (dropped before); the external id was already someone's, with other details.
        try await SandboxClients.with(faults: "drop-before@POST /lumen/v1/payment-methods",
                                      afterFailure: { $0.sandbox.faults.plan = .none }) { clients in
            let before = try Self.methods(clients).count
            await ClientExpect.failure(.clientError, "lumen.create_payment_method", status: 409, mentions: ["pm_123"]) {
                _ = try await clients.lumen.createPaymentMethod(Self.method("pm_ext_fixture_123", lastFour: "9999"))
            }
            #expect(try Self.methods(clients).count == before)
        }
    }

    @Test func tenMethodsUnderEveryFaultAreEachCreatedExactlyOnce() async throws {
        let (created, stats) = try await SandboxClients.with(faults: "503:0.2,drop-before:0.15,500-after:0.2,drop-after:0.2", seed: 5) { clients in
            let before = try Self.methods(clients).count
            var ids: [String] = []
            for n in 1 ... 10 {
                let method = try await clients.lumen.createPaymentMethod(Self.method("pm_ext_soak_\(n)", lastFour: String(format: "%04d", n)))
                #expect(method.cardLastFour == String(format: "%04d", n))
                ids.append(method.id)
            }
            let stored = try Self.methods(clients)
            #expect(stored.count == before + 10, "exactly ten new methods")
            for n in 1 ... 10 {
                let matching = stored.filter { $0.body["externalPaymentMethodId"]?.stringValue == "pm_ext_soak_\(n)" }
                #expect(matching.map(\.id) == [ids[n - 1]], "one method for pm_ext_soak_\(n), the one returned")
            }
            return (ids, clients.stats)
        }
        #expect(Set(created).count == 10)
        #expect((stats["faults drop-after"] ?? 0) + (stats["faults 500-after"] ?? 0) > 0, "faults after commit were met: \(stats)")
    }

    @Test func badArgumentsAreRefusedBeforeAnythingIsSent() async throws {
        try await SandboxClients.with { clients in
            let lumen = clients.lumen
            let op = "lumen.create_payment_method"
            var method = Self.method("x")
            method.customerId = ""
            await ClientExpect.validation(op, mentions: ["customerId", "non-empty id"]) { _ = try await lumen.createPaymentMethod(method) }
            method = Self.method("x", lastFour: "42a2")
            await ClientExpect.validation(op, mentions: ["cardLastFour", "4 digits", "\"42a2\""]) { _ = try await lumen.createPaymentMethod(method) }
            method = Self.method(" ")
            await ClientExpect.validation(op, mentions: ["externalPaymentMethodId"]) { _ = try await lumen.createPaymentMethod(method) }
            method = Self.method("x")
            method.provider = ""
            await ClientExpect.validation(op, mentions: ["provider"]) { _ = try await lumen.createPaymentMethod(method) }
            await ClientExpect.validation("lumen.payment_method", mentions: ["id"]) { _ = try await lumen.paymentMethod(id: "") }
            await ClientExpect.validation("lumen.payment", mentions: ["id"]) { _ = try await lumen.payment(id: "") }
            await ClientExpect.validation("lumen.payments", mentions: ["customerId"]) { _ = try await lumen.payments(customerId: "") }
            #expect(clients.serviceRequests == 0, "\(clients.stats)")
        }
    }

    @Test func anotherMerchantsObjectsAreNotFound() async throws {
        try await SandboxClients.with { clients in
            let other = ServiceConnection(service: .lumen, baseURL: clients.sandbox.endpoints.lumenBaseURL,
                                          authorizer: StaticBearer(secret: SandboxCredentials.lumenOtherAPIKey, environmentName: "LUMEN_API_KEY"),
                                          sender: clients.sender)
            await ClientExpect.failure(.clientError, "lumen.payment", status: 404) { _ = try await LumenClient(connection: other).payment(id: "pay_123") }
        }
    }

    @Test func anAnswerOfTheWrongShapeIsAnInvalidResponse() async throws {
        try await SandboxClients.with { clients in
            // A Lumen client pointed at Lumyri: `/payments/{id}` there answers other things.
            let astray = ServiceConnection(service: .lumen, baseURL: clients.sandbox.endpoints.lumyriBaseURL,
                                           authorizer: StaticBearer(secret: SandboxCredentials.lumyriAccessToken, environmentName: "T"),
                                           sender: clients.sender)
            let lumen = LumenClient(connection: astray)
            await ClientExpect.failure(.invalidResponse, "lumen.payment", status: 200, mentions: ["payment"]) {
                _ = try await lumen.payment(id: "billing-information")
            }
            await ClientExpect.failure(.invalidResponse, "lumen.payment", status: 200, mentions: ["member payment"]) {
                _ = try await lumen.payment(id: "cards")
            }
        }
    }

    @Test func aDryRunCreateAnswersWhatWasSentMarkedAsMadeUp() async throws {
        let printed = PrintedLines()
        try await SandboxClients.with(dryRun: { printed.add($0) }) { clients in
            let method = try await clients.lumen.createPaymentMethod(Self.method("pm_ext_preview", lastFour: "7777"))
            #expect(method.isDryRun && method.cardLastFour == "7777" && method.provider == "stripe")
            #expect(clients.requests("POST /lumen") == 0)
            #expect(printed.all.count == 1 && printed.all[0].contains("$LUMEN_API_KEY") && !printed.all[0].contains(SandboxCredentials.lumenAPIKey))
        }
    }
}
