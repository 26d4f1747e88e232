import Foundation
import JSON
import PaymentsCore
import Sandbox
import Synchronization
import Testing

/// A Lumanu bearer token from the sandbox's token endpoint, fetched once and
/// kept (test-only: the real OAuth authorizer lives elsewhere). A 401 drops it.
final class SandboxLumanuToken: Authorizer {
    let tokenURL: String
    let sender: RetryingSender
    let token = Mutex<String?>(nil)

    init(tokenURL: String, sender: RetryingSender) {
        self.tokenURL = tokenURL
        self.sender = sender
    }

    func authorization() async throws(PaymentsError) -> String {
        if let token = token.withLock({ $0 }) { return "Bearer " + token }
        let body: JSONValue = ["client_id": .string(SandboxCredentials.lumanuClientID),
                               "client_secret": .string(SandboxCredentials.lumanuClientSecret),
                               "audience": .string(SandboxCredentials.lumanuAudience), "grant_type": "client_credentials"]
        let request = OutgoingRequest(service: "auth", operation: "auth.token", method: "POST", url: tokenURL,
                                      headers: [("Content-Type", "application/json")], body: try! body.encoded())
        // Asking for a token twice does no harm: safe to retry like a read.
        let answer = try await sender.send(request, idempotent: true)
        let parsed = try? answer.body.withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) }
        guard let fresh = parsed?["access_token"]?.stringValue else {
            throw PaymentsError(kind: .invalidResponse, service: "auth", operation: "auth.token", message: "no access_token")
        }
        token.withLock { $0 = fresh }
        return "Bearer " + fresh
    }

    func rejected(_ authorization: String) async -> Bool {
        token.withLock { if let current = $0, "Bearer " + current == authorization { $0 = nil } }
        return true
    }

    var shellAuthorization: ShellAuthorization { ShellAuthorization(headerValue: "Bearer $LUMANU_ACCESS_TOKEN") }
}

/// The three typed clients against one sandbox, sharing one retrying sender.
struct SandboxClients {
    let sandbox: RunningSandbox
    let sender: RetryingSender
    let lumanu: LumanuClient
    let lumen: LumenClient
    let lumyri: LumyriClient

    /// The Lumyri company of the documents' examples.
    static let company = "956865a9-b9f7-4198-87eb-10b4f0f411c9"

    /// A sender that waits for nothing and tries hard: 12 attempts, a budget that does not run out.
    static func sender(afterFailure: @escaping @Sendable () -> Void = {}) -> RetryingSender {
        var sender = RetryingSender(transport: Transport(),
                                    policy: RetryPolicy(maxAttempts: 12, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
                                    budget: RetryBudget(capacity: 100_000))
        sender.sleep = { _ in afterFailure() }
        return sender
    }

    /// Run `body` with a fresh sandbox (seeded, with `faults`) and clients on it, closing everything afterwards.
    /// `afterFailure` runs whenever the sender would wait before another attempt.
    static func with<T>(faults: String? = nil, seed: UInt64 = 1, dryRun: ServiceConnection.DryRunPrinter? = nil,
                        now: @escaping @Sendable () -> Date = { Date() },
                        afterFailure: @escaping @Sendable (RunningSandbox) -> Void = { _ in },
                        _ body: (SandboxClients) async throws -> T) async throws -> T {
        try await TransportTests.withSandbox(faults: faults, seed: seed) { sandbox in
            let sender = Self.sender { afterFailure(sandbox) }
            let endpoints = sandbox.endpoints
            let lumanu = ServiceConnection(service: .lumanu, baseURL: endpoints.lumanuBaseURL,
                                           authorizer: SandboxLumanuToken(tokenURL: endpoints.lumanuTokenURL, sender: sender),
                                           sender: sender, dryRun: dryRun)
            let lumen = ServiceConnection(service: .lumen, baseURL: endpoints.lumenBaseURL,
                                          authorizer: StaticBearer(secret: SandboxCredentials.lumenAPIKey, environmentName: "LUMEN_API_KEY"),
                                          sender: sender, dryRun: dryRun)
            let lumyri = ServiceConnection(service: .lumyri, baseURL: endpoints.lumyriBaseURL,
                                           authorizer: StaticBearer(secret: SandboxCredentials.lumyriAccessToken,
                                                                    environmentName: "LUMYRI_ACCESS_TOKEN"),
                                           sender: sender, dryRun: dryRun)
            let clients = SandboxClients(sandbox: sandbox, sender: sender,
                                         lumanu: LumanuClient(connection: lumanu, workspaceID: SandboxCredentials.lumanuWorkspaceID),
                                         lumen: LumenClient(connection: lumen), lumyri: LumyriClient(connection: lumyri, now: now))
            do {
                let result = try await body(clients)
                await sender.transport.shutdown()
                return result
            } catch {
                await sender.transport.shutdown()
                throw error
            }
        }
    }

    var stats: [String: Int] { sandbox.sandbox.statistics.snapshot }

    /// Requests the sandbox answered whose `METHOD /path` starts with `route` (`GET /lumyri/payments/orders`).
    func requests(_ route: String) -> Int {
        stats.filter { $0.key.hasPrefix("requests " + route) }.values.reduce(0, +)
    }

    /// Every request to the three services (control and token routes aside).
    var serviceRequests: Int {
        ["/lumanu", "/lumen", "/lumyri"].map { prefix in
            stats.filter { $0.key.hasPrefix("requests ") && $0.key.split(separator: " ").dropFirst(2).first?.hasPrefix(prefix) == true }
                .values.reduce(0, +)
        }.reduce(0, +)
    }

    /// The raw body of a GET, sent around the clients, for comparing with what a model kept.
    func raw(_ url: String, bearer: String) async throws -> [UInt8] {
        let answer = try await sender.send(OutgoingRequest(service: "test", operation: "test.raw", method: "GET", url: url,
                                                           headers: [("Authorization", "Bearer " + bearer)]), idempotent: true)
        return answer.body
    }

    /// Stored objects of a kind in the sandbox, for checking what the server really holds.
    func stored(_ service: SandboxService, _ kind: String, owner: String? = nil) throws -> [StoredObject] {
        try sandbox.sandbox.store.read { db in try db.objects(service, kind, owner: owner) }
    }
}

/// Checks on a thrown ``PaymentsError``.
enum ClientExpect {
    /// `body` must throw a `validation` error of `operation` whose message contains every one of `mentions`.
    static func validation(_ operation: String, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () async throws -> Void) async {
        await failure(.validation, operation, mentions: mentions, sourceLocation: sourceLocation, body)
    }

    static func failure(_ kind: PaymentsError.Kind, _ operation: String, status: Int? = nil, mentions: [String] = [],
                        sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected a \(kind) error of \(operation), got success", sourceLocation: sourceLocation)
        } catch let error as PaymentsError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            #expect(error.operation == operation, "\(error)", sourceLocation: sourceLocation)
            if let status { #expect(error.status == status, "\(error)", sourceLocation: sourceLocation) }
            for text in mentions { #expect(error.message.contains(text), "\(error.message) should mention \(text)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("expected a PaymentsError, got \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// Collected dry-run output.
final class PrintedLines: Sendable {
    let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

extension JSONValue {
    /// Compact JSON text of a model's kept object.
    static func text(_ object: JSONObject) -> String { String(decoding: try! JSONValue.object(object).encoded(), as: UTF8.self) }
}
