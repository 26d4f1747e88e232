import Foundation
import JSON
import Sandbox
import Testing

@Suite struct FaultPlanTests {
    @Test func specsReadAndPrintCanonically() throws {
        let plan = try FaultPlan(parsing: "latency=80~40, 503:0.1@POST /lumyri/payments/orders/*/pay,ratelimit=5/s,drop-after:0.25@/lumanu/**")
        #expect(plan.rules.map(\.kind) == [.latency, .unavailable, .ratelimit, .dropAfter])
        #expect(plan.description == "latency=80~40,503:0.1@POST /lumyri/payments/orders/*/pay,ratelimit=5/s,drop-after:0.25@/lumanu/**")
        #expect(try FaultPlan(parsing: plan.description) == plan)
    }

    @Test(arguments: [
        ("explode", "unknown fault kind"),
        ("503:2", "rate"),
        ("latency", "milliseconds"),
        ("ratelimit=5", "budget"),
        ("503=3", "takes no"),
        ("503@lumyri", "starting with '/'"),
    ])
    func badSpecsSayWhatWasExpected(spec: String, problem: String) {
        #expect { try FaultPlan(parsing: spec) } throws: { "\($0)".contains(problem) }
    }

    @Test func routePatternsMatchSegmentsAndAcross() throws {
        let pay = try RoutePattern("PUT /lumyri/payments/orders/*/pay")
        #expect(pay.matches(method: "PUT", path: "/lumyri/payments/orders/4e87/pay"))
        #expect(!pay.matches(method: "GET", path: "/lumyri/payments/orders/4e87/pay"))
        #expect(!pay.matches(method: "PUT", path: "/lumyri/payments/orders/a/b/pay"))
        let all = try RoutePattern("/lumanu/**")
        #expect(all.matches(method: "POST", path: "/lumanu/api/rest/payables"))
        #expect(!all.matches(method: "POST", path: "/lumen/v1/payments"))
    }
}

@Suite struct ControlAPITests {
    let acme = SandboxCredentials.lumenAPIKey
    static let create = """
        {"customerId": "cust_123", "provider": "stripe", "paymentType": "card",
         "externalPaymentMethodId": "pm_ext_ctl", "status": "active", "cardBrand": "visa", "cardLastFour": "4242"}
        """

    @Test func resetBringsBackTheFixtures() async throws {
        try await SandboxHarness.with { sandbox in
            let (created, body) = try await sandbox.request(.post, "/lumen/v1/payment-methods", bearer: acme, json: Self.create)
            #expect(created == .created)
            let id = try #require(body?["paymentMethod"]?["id"]?.stringValue)
            let (reset, _) = try await sandbox.request(.post, "/_sandbox/reset")
            #expect(reset == .ok)
            let (gone, _) = try await sandbox.request(.get, "/lumen/v1/payment-methods/\(id)", bearer: acme)
            #expect(gone == .notFound)
            let (fixture, _) = try await sandbox.request(.get, "/lumen/v1/payment-methods/pm_123", bearer: acme)
            #expect(fixture == .ok)
        }
    }

    @Test func theClockAdvancesAndExpiresTokens() async throws {
        try await SandboxHarness.with({ $0.tokenTTL = 60 }) { sandbox in
            let (_, before) = try await sandbox.request(.get, "/_sandbox/clock")
            let (advanced, after) = try await sandbox.request(.post, "/_sandbox/clock/advance", json: #"{"seconds": 3600}"#)
            #expect(advanced == .ok)
            #expect(after?["advancedBySeconds"] == .double(3600))
            #expect(before?["now"] != after?["now"])
            let (bad, _) = try await sandbox.request(.post, "/_sandbox/clock/advance", json: #"{"seconds": -5}"#)
            #expect(bad == .badRequest)
            let (far, refusal) = try await sandbox.request(.post, "/_sandbox/clock/advance", json: #"{"seconds": 9.2e18}"#)
            #expect(far == .badRequest)
            #expect(refusal.map { "\($0)" }?.contains("at most 3155760000 seconds (100 years) ahead in all") == true, "\(String(describing: refusal))")
            let (_, still) = try await sandbox.request(.get, "/_sandbox/clock")
            #expect(still?["advancedBySeconds"] == .double(3600), "a refused move leaves the clock where it was")
        }
    }

    @Test func statisticsCountRequestsByRouteAndStatusAndTokens() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.request(.get, "/lumen/v1/payments/pay_123", bearer: acme)
            _ = try await sandbox.request(.get, "/lumen/v1/payments/nope", bearer: acme)
            _ = try await sandbox.request(.post, "/auth/oauth/token", json: TokenEndpointTests.goodBody)
            let (_, stats) = try await sandbox.request(.get, "/_sandbox/stats")
            let requests = try #require(stats?["requests"]?.objectValue)
            #expect(requests["GET /lumen/v1/payments/{id} 200"] == 1)
            #expect(requests["GET /lumen/v1/payments/{id} 404"] == 1)
            #expect(stats?["tokens_issued"] == 1)
        }
    }

    @Test func faultsAreSetReadAndClearedOverHTTP() async throws {
        try await SandboxHarness.with { sandbox in
            let (set, body) = try await sandbox.request(.put, "/_sandbox/faults", json: #"{"spec": "503@GET /lumen/v1/payments"}"#)
            #expect(set == .ok)
            #expect(body?["spec"] == "503@GET /lumen/v1/payments")
            let (unavailable, error) = try await sandbox.request(.get, "/lumen/v1/payments", bearer: acme)
            #expect(unavailable == .serviceUnavailable)
            #expect(keys(error?["error"]) == ["code", "message"]) // in Lumen's own style
            let (other, _) = try await sandbox.request(.get, "/lumen/v1/payments/pay_123", bearer: acme)
            #expect(other == .ok)
            let (bad, _) = try await sandbox.request(.put, "/_sandbox/faults", json: #"{"spec": "meteor"}"#)
            #expect(bad == .badRequest)
            _ = try await sandbox.request(.delete, "/_sandbox/faults")
            let (back, _) = try await sandbox.request(.get, "/lumen/v1/payments", bearer: acme)
            #expect(back == .ok)
        }
    }

    @Test func failAfterCommitsTheChangeThenAnswers500() async throws {
        try await SandboxHarness.with({ $0.faults = try! FaultPlan(parsing: "500-after@POST /lumen/v1/payment-methods") }) { sandbox in
            let (status, _) = try await sandbox.request(.post, "/lumen/v1/payment-methods", bearer: acme, json: Self.create)
            #expect(status == .internalServerError)
            _ = try await sandbox.request(.delete, "/_sandbox/faults")
            // The retry finds the method was created: the unique external id answers 409.
            let (retry, _) = try await sandbox.request(.post, "/lumen/v1/payment-methods", bearer: acme, json: Self.create)
            #expect(retry == .conflict)
        }
    }

    @Test func rateLimitAnswers429WithRetryAfterPerCredential() async throws {
        try await SandboxHarness.with({ $0.faults = try! FaultPlan(parsing: "ratelimit=3/m@/lumen/**") }) { sandbox in
            for _ in 0 ..< 3 {
                let (ok, _) = try await sandbox.request(.get, "/lumen/v1/payments/pay_123", bearer: acme)
                #expect(ok == .ok)
            }
            let (limited, _) = try await sandbox.request(.get, "/lumen/v1/payments/pay_123", bearer: acme)
            #expect(limited == .tooManyRequests)
            let response = try await sandbox.client.execute(.init("/lumen/v1/payments/pay_123", method: .get,
                                                                  headers: [.authorization: "Bearer \(acme)"]))
            #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Another merchant has its own budget.
            let (other, _) = try await sandbox.request(.get, "/lumen/v1/payments", bearer: SandboxCredentials.lumenOtherAPIKey)
            #expect(other == .ok)
        }
    }

    @Test func dropBeforeClosesTheConnectionWithoutAnAnswerAndChangesNothing() async throws {
        try await SandboxHarness.with({ $0.faults = try! FaultPlan(parsing: "drop-before@POST /lumen/v1/payment-methods") }) { sandbox in
            await #expect(throws: (any Error).self) {
                _ = try await sandbox.request(.post, "/lumen/v1/payment-methods", bearer: acme, json: Self.create)
            }
            let methods = try sandbox.running.sandbox.store.read { db in try db.objects(.lumen, "payment_method", owner: "merchant_acme") }
            #expect(!methods.contains { $0.body["externalPaymentMethodId"] == "pm_ext_ctl" })
        }
    }

    @Test func dropAfterCommitsAndThenClosesTheConnection() async throws {
        try await SandboxHarness.with({ $0.faults = try! FaultPlan(parsing: "drop-after@POST /lumen/v1/payment-methods") }) { sandbox in
            await #expect(throws: (any Error).self) {
                _ = try await sandbox.request(.post, "/lumen/v1/payment-methods", bearer: acme, json: Self.create)
            }
            let methods = try sandbox.running.sandbox.store.read { db in try db.objects(.lumen, "payment_method", owner: "merchant_acme") }
            #expect(methods.contains { $0.body["externalPaymentMethodId"] == "pm_ext_ctl" })
        }
    }

    @Test func faultDecisionsRepeatForTheSameSeed() async throws {
        func outcomes(seed: UInt64) async throws -> [Int] {
            try await SandboxHarness.with({ $0.seed = seed; $0.faults = try! FaultPlan(parsing: "503:0.5@/lumen/**") }) { sandbox in
                var codes: [Int] = []
                for _ in 0 ..< 20 {
                    codes.append(Int(try await sandbox.request(.get, "/lumen/v1/payments/pay_123", bearer: acme).0.code))
                }
                return codes
            }
        }
        let first = try await outcomes(seed: 42)
        #expect(try await outcomes(seed: 42) == first)
        #expect(Set(first) == [200, 503])
    }
}

@Suite struct UnmatchedRouteTests {
    @Test(arguments: [
        ("/lumyri/payments/nowhere", ["statusCode", "message", "error"]),
        ("/lumen/v1/nowhere", ["error"]),
        ("/lumanu/api/rest/nowhere", ["path", "error", "code"]),
        ("/auth/nowhere", ["error", "error_description"]),
        ("/_sandbox/nowhere", ["error", "message"]),
    ])
    func unknownPathsAre404InTheServicesStyle(path: String, expectedKeys: [String]) async throws {
        try await SandboxHarness.with { sandbox in
            let (status, body) = try await sandbox.request(.get, path)
            #expect(status == .notFound)
            #expect(keys(body) == expectedKeys)
        }
    }
}

@Suite struct LatencyFaultTests {
    @Test func latencyDelaysOnlyTheRoutesItNames() async throws {
        try await SandboxHarness.with({ $0.faults = try! FaultPlan(parsing: "latency=400~50@GET /lumen/v1/payments") }) { sandbox in
            let key = SandboxCredentials.lumenAPIKey
            let slow = try await ContinuousClock().measure { _ = try await sandbox.request(.get, "/lumen/v1/payments", bearer: key) }
            _ = try await sandbox.request(.get, "/lumen/v1/payments/pay_123", bearer: key)
            // A lower bound holds however loaded the machine is; which routes were delayed is counted.
            #expect(slow >= .milliseconds(350), "the delayed route took \(slow)")
            #expect(sandbox.running.sandbox.statistics.snapshot["faults latency"] == 1)
        }
    }
}
