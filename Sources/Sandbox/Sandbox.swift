import Foundation
import GRDB
import HTTPTypes
import JSON
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The local simulator of Lumanu, Lumen, Lumyri and their token endpoint.
///
/// One server, one loopback port, each service under its own prefix with the
/// real API's paths below it (`/lumen/v1/payments`, `/auth/oauth/token`), so
/// a client only swaps base URLs. The same type runs `paysh sandbox` in the
/// foreground and serves the default profile in-process on an ephemeral port.
public final class Sandbox: Sendable {
    public let configuration: SandboxConfiguration
    public let store: SandboxStore
    public let clock = SandboxClock()
    public let statistics = SandboxStatistics()
    public let faults: FaultState
    /// The token signer (its key is read once per state) and the claims of
    /// tokens already verified with it: checking a token's signature again
    /// on every request cost the sandbox a tenth of its time under load.
    private let signer = Mutex<(tokens: AccessTokens?, verified: [String: JSONObject])>((nil, [:]))

    /// Open (or create) the state; a new or reset state starts from the fixtures.
    public init(configuration: SandboxConfiguration) throws {
        guard configuration.bindsLoopback || configuration.allowNonLoopback else {
            throw SandboxError.notLoopback(configuration.host)
        }
        self.configuration = configuration
        faults = FaultState(plan: configuration.faults, seed: configuration.seed)
        store = try SandboxStore(configuration.state)
        if configuration.reset { try store.wipe() }
        let seed = configuration.seed
        try store.write { db in
            if try db.setting("fixtures.seed") == nil { try Fixtures.load(into: db, seed: seed) }
        }
    }

    /// Drop everything and load the fixtures again.
    public func reset() throws {
        let seed = configuration.seed
        try store.write { db in
            try db.execute(sql: "DELETE FROM object; DELETE FROM setting")
            try Fixtures.load(into: db, seed: seed)
        }
        signer.withLock { $0 = (nil, [:]) }
        statistics.reset()
    }

    /// The token signer, keyed by the state's own secret.
    func accessTokens() throws -> AccessTokens {
        if let tokens = signer.withLock({ $0.tokens }) { return tokens }
        let hex = try store.read { db in try db.setting("auth.signing_key") } ?? ""
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), index != next {
            bytes.append(UInt8(hex[index ..< next], radix: 16) ?? 0)
            index = next
        }
        let tokens = AccessTokens(secret: bytes)
        signer.withLock { $0.tokens = tokens }
        return tokens
    }

    /// The claims of `token` if it is valid for `audience` now: its
    /// signature checked once, its expiry and audience every time.
    func claims(of token: String, audience: String) throws -> JSONObject {
        let now = clock.now
        if let claims = signer.withLock({ $0.verified[token] }) {
            return try AccessTokens.check(claims, audience: audience, now: now)
        }
        let claims = try accessTokens().verify(token, audience: audience, now: now)
        signer.withLock { signer in
            if signer.verified.count >= 1000 { signer.verified.removeAll() }
            signer.verified[token] = claims
        }
        return claims
    }

    /// Every route of every service.
    public func makeRouter() -> Router<SandboxContext> {
        let router = Router(context: SandboxContext.self)
        router.add(middleware: RequestCounter(statistics: statistics))
        router.add(middleware: FaultInjector(sandbox: self))
        ControlAPI(sandbox: self).register(on: router)
        TokenEndpoint(sandbox: self).register(on: router)
        LumanuAPI(sandbox: self).register(on: router)
        LumenAPI(sandbox: self).register(on: router)
        LumyriAPI(sandbox: self).register(on: router)
        registerUnmatchedRoutes(on: router)
        return router
    }

    /// A path no route knows answers 404 in the style of the service its prefix
    /// names (Hummingbird's own 404 has an empty body), so that a client always
    /// gets an error it can read. `**` routes match only when nothing else does.
    func registerUnmatchedRoutes(on router: Router<SandboxContext>) {
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .head, .options]
        for prefix in ["auth", "lumanu", "lumen", "lumyri", "_sandbox"] {
            for method in methods { router.on(RouterPath("\(prefix)/**"), method: method, use: unmatched) }
        }
    }

    @Sendable private func unmatched(_ request: Request, _ context: SandboxContext) throws -> Response {
        let service = SandboxService(path: request.uri.path)
        throw ServiceError(service, .notFound, code: service == .lumanu ? "not-found" : "not_found",
                           "no endpoint \(request.method) \(request.uri.path)")
    }

    /// The Hummingbird application; `onRunning` gets the endpoints once the port is bound.
    /// `logLevel` is what the server logs on stderr (errors for `paysh sandbox`).
    public func makeApplication(logLevel: Logger.Level = .error,
                                onRunning: @escaping @Sendable (SandboxEndpoints) async -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "paysh.sandbox")
        logger.logLevel = logLevel
        let host = configuration.host
        return Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "paysh-sandbox"),
            onServerRunning: { channel in
                await onRunning(SandboxEndpoints(host: host, port: channel.localAddress?.port ?? 0))
            },
            logger: logger
        )
    }

    /// Serve in the foreground until SIGINT or SIGTERM.
    public func run(onRunning: @escaping @Sendable (SandboxEndpoints) async -> Void) async throws {
        do {
            try await makeApplication(onRunning: onRunning).runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw SandboxError.portInUse(configuration.host, configuration.port)
        }
    }

    /// Serve in the background of this process; the returned handle knows the
    /// endpoints and stops the server.
    public func start() async throws -> RunningSandbox {
        let (stream, continuation) = AsyncStream.makeStream(of: SandboxEndpoints.self)
        // Stopping an embedded server cancels its tasks, which Hummingbird logs as errors; only critical ones are news here.
        let app = makeApplication(logLevel: .critical, onRunning: { endpoints in continuation.yield(endpoints) })
        let task = Task {
            let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "paysh.sandbox")))
            try await group.run()
        }
        for await endpoints in stream {
            return RunningSandbox(sandbox: self, endpoints: endpoints, task: task)
        }
        task.cancel()
        throw SandboxError.didNotStart
    }
}

/// A sandbox serving in the background of this process.
public struct RunningSandbox: Sendable {
    public let sandbox: Sandbox
    public let endpoints: SandboxEndpoints
    let task: Task<Void, any Error>

    /// Stop serving and wait until the server has shut down.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}

public enum SandboxError: Error, CustomStringConvertible {
    case notLoopback(String)
    case portInUse(String, Int)
    case didNotStart

    public var description: String {
        switch self {
        case .notLoopback(let host):
            return "the sandbox listens on loopback only; binding \(host) needs --allow-remote"
        case .portInUse(let host, let port):
            return "port \(port) on \(host) is already in use (another sandbox?); choose another with --port, or --port 0 for a free one"
        case .didNotStart:
            return "the sandbox server did not start"
        }
    }
}

/// Counts every answer by route and status for the statistics.
struct RequestCounter: RouterMiddleware {
    typealias Context = SandboxContext
    let statistics: SandboxStatistics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if ![.get, .head, .options].contains(request.method) {
            statistics.recordIdempotencyKey(HTTPField.Name("Idempotency-Key").flatMap { request.headers[$0] })
        }
        do {
            let response = try await next(request, context)
            statistics.count("requests \(request.method) \(context.endpointPath ?? request.uri.path) \(response.status.code)")
            return response
        } catch let error as any HTTPResponseError {
            statistics.count("requests \(request.method) \(context.endpointPath ?? request.uri.path) \(error.status.code)")
            throw error
        }
    }
}
