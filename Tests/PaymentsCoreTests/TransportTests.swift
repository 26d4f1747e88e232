import Foundation
import PaymentsCore
import Sandbox
import Synchronization
import Testing

/// The transport against the sandbox over real HTTP on loopback.
@Suite struct TransportTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func add(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// Run `body` against a fresh in-memory sandbox, stopped afterwards whatever happens.
    static func withSandbox<T>(faults: String? = nil, seed: UInt64 = 1, tokenTTL: Int = 3600,
                               _ body: (RunningSandbox) async throws -> T) async throws -> T {
        var configuration = SandboxConfiguration()
        configuration.seed = seed
        configuration.tokenTTL = tokenTTL
        if let faults { configuration.faults = try FaultPlan(parsing: faults) }
        let running = try await Sandbox(configuration: configuration).start()
        do {
            let result = try await body(running)
            await running.stop()
            return result
        } catch {
            await running.stop()
            throw error
        }
    }

    static func get(_ url: String, key: String = SandboxCredentials.lumenAPIKey) -> OutgoingRequest {
        OutgoingRequest(service: "lumen", operation: "lumen.payment", method: "GET", url: url,
                        headers: [("Authorization", "Bearer \(key)")])
    }

    @Test func anAnswerComesBackWithItsStatusBodyAndRequestID() async throws {
        try await Self.withSandbox { sandbox in
            let transport = Transport()
            let answer = try await transport.send(Self.get(sandbox.endpoints.lumenBaseURL + "/payments/pay_123"))
            await transport.shutdown()
            #expect(answer.status == 200)
            #expect(String(decoding: answer.body, as: UTF8.self).hasPrefix(#"{"payment":{"id":"pay_123""#))
            #expect(answer.requestID.count == 36)
            #expect(answer.headers.contains { $0.name.lowercased() == "content-type" })
        }
    }

    @Test func anErrorStatusIsAnAnswerNotAThrow() async throws {
        try await Self.withSandbox { sandbox in
            let transport = Transport()
            let answer = try await transport.send(Self.get(sandbox.endpoints.lumenBaseURL + "/payments/nope"))
            await transport.shutdown()
            #expect(answer.status == 404)
        }
    }

    @Test func aRefusedConnectionIsNotSent() async throws {
        var configuration = Transport.Configuration()
        configuration.connectTimeout = .milliseconds(500) // the pool keeps retrying a refused connect until this deadline
        let transport = Transport(configuration: configuration)
        // Port 9 (discard) on loopback: nothing listens there on this machine's test runs.
        await #expect {
            _ = try await transport.send(Self.get("http://127.0.0.1:9/lumen/v1/payments"))
        } throws: { error in
            (error as? PaymentsError)?.kind == .notSent
        }
        await transport.shutdown()
    }

    /// A megabyte id in a path once reached AsyncHTTPClient, which stopped the
    /// process when the server refused the head mid-write: such a request is
    /// refused before anything is sent. Runs against the sandbox, which would answer if it got there.
    @Test func aURLOrHeadersTooLongAreRefusedBeforeSending() async throws {
        try await Self.withSandbox { sandbox in
            let transport = Transport()
            let base = sandbox.endpoints.lumenBaseURL + "/payments/"
            let url = base + String(repeating: "x", count: Transport.maxURLBytes)
            await #expect {
                _ = try await transport.send(Self.get(url))
            } throws: { error in
                let error = error as? PaymentsError
                return error?.kind == .validation && error?.message.contains("its URL is \(url.utf8.count) bytes long") == true
            }
            var request = Self.get(base + "pay_123")
            request.headers.append(("X-Note", String(repeating: "y", count: Transport.maxHeaderBytes)))
            await #expect {
                _ = try await transport.send(request)
            } throws: { error in
                (error as? PaymentsError)?.message.contains("its headers are") == true
            }
            let fine = try await transport.send(Self.get(base + "pay_123"))
            await transport.shutdown()
            #expect(fine.status == 200)
        }
    }

    /// A transport already shut down sent nothing: the call can be made again safely.
    @Test func aTransportShutDownSendsNothing() async throws {
        let transport = Transport()
        await transport.shutdown()
        await #expect {
            _ = try await transport.send(Self.get("http://127.0.0.1:9/lumen/v1/payments"))
        } throws: { error in
            (error as? PaymentsError)?.kind == .notSent
        }
    }

    @Test func aConnectionDroppedBeforeAnAnswerIsAnUnknownOutcome() async throws {
        try await Self.withSandbox(faults: "drop-before@GET /lumen/v1/payments/*") { sandbox in
            let transport = Transport()
            await #expect {
                _ = try await transport.send(Self.get(sandbox.endpoints.lumenBaseURL + "/payments/pay_123"))
            } throws: { error in
                let error = error as? PaymentsError
                return error?.kind == .outcomeUnknown && error?.requestID != nil && error?.operation == "lumen.payment"
            }
            await transport.shutdown()
        }
    }

    @Test func anAnswerLargerThanTheCapIsRefused() async throws {
        try await Self.withSandbox { sandbox in
            var configuration = Transport.Configuration()
            configuration.maxAnswerBytes = 256
            let transport = Transport(configuration: configuration)
            await #expect {
                _ = try await transport.send(Self.get(sandbox.endpoints.lumenBaseURL + "/payments"))
            } throws: { error in
                (error as? PaymentsError)?.kind == .invalidResponse && "\(error)".contains("larger than 256 bytes")
            }
            await transport.shutdown()
        }
    }

    @Test func eachExchangeLeavesOneRedactedTraceLine() async throws {
        try await Self.withSandbox { sandbox in
            let lines = Lines()
            var configuration = Transport.Configuration()
            configuration.trace = { lines.add($0) }
            let transport = Transport(configuration: configuration)
            let url = sandbox.endpoints.lumenBaseURL + "/payments/pay_123?access_token=sk_sandbox_merchant_acme"
            let answer = try await transport.send(Self.get(url))
            await transport.shutdown()
            let line = try #require(lines.all.first)
            #expect(lines.all.count == 1)
            #expect(line.hasPrefix("GET http://127.0.0.1:"))
            #expect(line.contains("→ 200 in ") && line.contains("request \(answer.requestID)") && line.contains("lumen.payment"))
            #expect(!line.contains("sk_sandbox_merchant_acme"), "secrets in the URL are redacted: \(line)")
        }
    }

    @Test func loopbackIsNeverProxiedAndNoProxyIsHonoured() async throws {
        try await Self.withSandbox { sandbox in
            var configuration = Transport.Configuration()
            configuration.environment = ["https_proxy": "http://127.0.0.1:9", "http_proxy": "127.0.0.1:9", "no_proxy": ".internal.example"]
            let transport = Transport(configuration: configuration)
            // Through the (dead) proxy this would fail; loopback goes direct.
            let answer = try await transport.send(Self.get(sandbox.endpoints.lumenBaseURL + "/payments/pay_123"))
            await transport.shutdown()
            #expect(answer.status == 200)
        }
    }
}
