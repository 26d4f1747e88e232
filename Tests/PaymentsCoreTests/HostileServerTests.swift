import Foundation
import PaymentsCore
import Testing

/// The transport and the client core against a server that misbehaves on
/// purpose (`Tests/hostile/server.py`, over real HTTP on loopback): each
/// misbehaviour ends in a clear error, and nothing follows a redirect to
/// another host with the credentials.
@Suite(.serialized) struct HostileServerTests {
    static let key = "Bearer sk_test_hostile_0123456789"

    /// Run `body` with the hostile server's base URL (127.0.0.1) and the other host's (127.0.0.2).
    static func withServer(_ body: (String, String) async throws -> Void) async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("hostile/server.py").path
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-hostile-\(UUID().uuidString.prefix(8))").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, portFile]
        try process.run()
        // SIGKILL: a child of Foundation's Process may start with SIGTERM blocked.
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit(); try? FileManager.default.removeItem(atPath: portFile) }
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: portFile) {
            try #require(Date() < deadline && process.isRunning, "the hostile server did not start")
            try await Task.sleep(for: .milliseconds(20))
        }
        let port = try String(contentsOfFile: portFile, encoding: .utf8)
        try await body("http://127.0.0.1:\(port)", "http://127.0.0.2:\(port)")
    }

    static func get(_ url: String) -> OutgoingRequest {
        OutgoingRequest(service: "lumen", operation: "lumen.payment", method: "GET", url: url, headers: [("Authorization", key)])
    }

    @Test func aRedirectToAnotherHostIsNotFollowedAndItsHostSeesNothing() async throws {
        try await Self.withServer { base, other in
            let transport = Transport()
            defer { Task { await transport.shutdown() } }
            let answer = try await transport.send(Self.get(base + "/payments/redirect"))
            #expect(answer.status == 302)
            let error = try #require(FailureClassifier.error(status: answer.status, headers: answer.headers, body: answer.body,
                                                             service: "lumen", operation: "lumen.payment", requestID: nil,
                                                             redact: { $0 }))
            #expect(error.kind == .outcomeUnknown)
            #expect(error.message.contains("redirect to \(other)/payments/redirect, which paysh does not follow"), "\(error)")
            let seen = try await transport.send(OutgoingRequest(service: "test", operation: "seen", method: "GET", url: other + "/_seen"))
            #expect(String(decoding: seen.body, as: UTF8.self) == "", "the other host was never asked anything")
        }
    }

    @Test func aTruncatedBodyIsAnUnknownOutcome() async throws {
        try await Self.withServer { base, _ in
            let transport = Transport()
            defer { Task { await transport.shutdown() } }
            await #expect {
                _ = try await transport.send(Self.get(base + "/payments/truncated"))
            } throws: { error in
                (error as? PaymentsError)?.kind == .outcomeUnknown && "\(error)".contains("lost after the request was sent")
            }
        }
    }

    @Test func aGiganticBodyIsRefusedAtTheCapWithoutBeingHeld() async throws {
        try await Self.withServer { base, _ in
            let transport = Transport()
            defer { Task { await transport.shutdown() } }
            await #expect {
                _ = try await transport.send(Self.get(base + "/payments/huge"))
            } throws: { error in
                (error as? PaymentsError)?.kind == .invalidResponse && "\(error)".contains("larger than \(16 << 20) bytes")
            }
        }
    }

    /// `path` with timeouts `read` and `total`: an unknown outcome whose
    /// message holds `message`, well before `within`.
    static func expectTimeout(_ path: String, read: Duration = .seconds(30), total: Duration, message: String,
                              within: Duration) async throws {
        try await withServer { base, _ in
            var configuration = Transport.Configuration()
            configuration.readTimeout = read
            configuration.totalTimeout = total
            let transport = Transport(configuration: configuration)
            defer { Task { await transport.shutdown() } }
            let started = ContinuousClock.now
            await #expect {
                _ = try await transport.send(get(base + path))
            } throws: { error in
                (error as? PaymentsError)?.kind == .outcomeUnknown && "\(error)".contains(message)
            }
            #expect(ContinuousClock.now - started < within, "\(path) ended by the right limit")
        }
    }

    @Test func anEndlessDripEndsAtTheTotalTimeout() async throws {
        // A byte a second never lets the read timeout fire: only the total can end it.
        try await Self.expectTimeout("/payments/drip", total: .seconds(2),
                                     message: "no whole answer came within 2 s, the limit for one exchange (PAYSH_TIMEOUT)", within: .seconds(15))
    }

    @Test func aServerThatFallsSilentEndsAtTheReadTimeout() async throws {
        try await Self.expectTimeout("/payments/silent", read: .seconds(1), total: .seconds(20),
                                     message: "the request was sent and the server then sent nothing for 1 s; it may or may not have taken effect",
                                     within: .seconds(10))
    }

    @Test(arguments: [
        ("html", "found '<'"), ("badutf8", "invalid UTF-8"), ("deep", "nested more than 1000 deep"),
    ])
    func answersThatAreNotUsableJSONAreClearErrors(path: String, problem: String) async throws {
        try await Self.withServer { base, _ in
            let transport = Transport()
            defer { Task { await transport.shutdown() } }
            let answer = try await transport.send(Self.get(base + "/payments/" + path))
            #expect(answer.status == 200)
            do throws(PaymentsError) {
                _ = try APIAnswer(status: answer.status, body: answer.body, requestID: nil).json(service: .lumen, operation: "lumen.payment")
                Issue.record("the answer of /payments/\(path) was taken as JSON")
            } catch {
                #expect(error.kind == PaymentsError.Kind.invalidResponse)
                #expect(error.message.contains("not valid JSON") && error.message.contains(problem), "\(error.message)")
                #expect(error.message.count < 2_000, "the excerpt of the body is short")
            }
        }
    }
}
