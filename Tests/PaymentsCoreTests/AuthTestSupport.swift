import Foundation
import JSON
import PaymentsCore
import Sandbox
import Synchronization
import Testing

/// What the OAuth tests share: a sandbox with a transport, an authorizer
/// pointed at it, a clock the test moves, and the sandbox's counters.
enum AuthTestSupport {
    /// A clock that moves only when told.
    final class TestClock: Sendable {
        private let time = Mutex(Date())
        var now: Date { time.withLock { $0 } }
        func advance(by seconds: TimeInterval) { time.withLock { $0 += seconds } }
    }

    /// Retries without real waits worth the name.
    static let quickRetries = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5))

    /// Run `body` with a sandbox and a transport, both closed afterwards.
    @discardableResult
    static func withSandbox<T>(faults: String? = nil, seed: UInt64 = 1, tokenTTL: Int = 3600,
                               _ body: (RunningSandbox, Transport) async throws -> T) async throws -> T {
        try await TransportTests.withSandbox(faults: faults, seed: seed, tokenTTL: tokenTTL) { sandbox in
            let transport = Transport()
            do {
                let result = try await body(sandbox, transport)
                await transport.shutdown()
                return result
            } catch {
                await transport.shutdown()
                throw error
            }
        }
    }

    /// An authorizer for the sandbox's Lumanu client, unless told otherwise.
    static func oauth(_ sandbox: RunningSandbox, _ transport: Transport, secret: String = SandboxCredentials.lumanuClientSecret,
                      audience: String = SandboxCredentials.lumanuAudience, profile: String = "sandbox", cache: TokenCache? = nil,
                      retryPolicy: RetryPolicy = quickRetries, clock: TestClock? = nil) -> OAuthClientCredentials {
        var now: @Sendable () -> Date = { Date() }
        if let clock { now = { clock.now } }
        return OAuthClientCredentials(tokenURL: sandbox.endpoints.lumanuTokenURL, audience: audience,
                               clientID: SandboxCredentials.lumanuClientID, clientSecret: Secret(.literal(secret)),
                               transport: transport, profile: profile, cache: cache, retryPolicy: retryPolicy,
                               now: now)
    }

    static func tokensIssued(_ sandbox: RunningSandbox) -> Int {
        sandbox.sandbox.statistics.snapshot["tokens_issued"] ?? 0
    }

    /// Requests the sandbox answered whose counter starts with `prefix` (`GET /lumen/`), any status unless given.
    static func requests(_ sandbox: RunningSandbox, _ prefix: String, status: Int? = nil) -> Int {
        sandbox.sandbox.statistics.snapshot.filter { counter in
            counter.key.hasPrefix("requests " + prefix) && (status.map { counter.key.hasSuffix(" \($0)") } ?? true)
        }.values.reduce(0, +)
    }

    /// Lumanu's payouts of the documents' workspace, through a connection that uses `oauth`.
    static func payouts(_ sandbox: RunningSandbox, _ transport: Transport, _ oauth: OAuthClientCredentials,
                        dryRun: ServiceConnection.DryRunPrinter? = nil) -> (ServiceConnection, APIRequest) {
        let connection = ServiceConnection(service: .lumanu, baseURL: sandbox.endpoints.lumanuBaseURL, authorizer: oauth,
                                           sender: RetryingSender(transport: transport, policy: quickRetries), dryRun: dryRun)
        let request = APIRequest(operation: "lumanu.payouts", method: "GET", path: "/api/rest/payouts",
                                 query: [("workspace_id", SandboxCredentials.lumanuWorkspaceID)])
        return (connection, request)
    }

    /// Move the sandbox's clock forward through its control API.
    static func advanceSandboxClock(_ sandbox: RunningSandbox, _ transport: Transport, by seconds: Int) async throws {
        let answer = try await transport.send(OutgoingRequest(
            service: "sandbox", operation: "sandbox.clock", method: "POST", url: sandbox.endpoints.controlURL + "/clock/advance",
            headers: [("Content-Type", "application/json")], body: Array(#"{"seconds": \#(seconds)}"#.utf8)))
        #expect(answer.status == 200)
    }

    /// `count` calls of `call` at once; each one's result, errors included.
    static func concurrently<T: Sendable>(_ count: Int, _ call: @escaping @Sendable () async throws -> T) async -> [Result<T, any Error>] {
        await withTaskGroup(of: Result<T, any Error>.self) { group in
            for _ in 0 ..< count {
                group.addTask {
                    do { return .success(try await call()) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// The permission bits of `path`, or -1 when it cannot be examined.
    static func mode(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_mode & 0o777) : -1
    }

    /// A fresh directory for one test, removed afterwards.
    static func withDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
        let directory = NSTemporaryDirectory() + "paysh-auth-\(UUID().uuidString)"
        do {
            let result = try await body(directory)
            try? FileManager.default.removeItem(atPath: directory)
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }
}
