import Foundation
import Hummingbird
import Synchronization

/// The sandbox's current fault plan, its seeded decisions and its rate-limit buckets.
public final class FaultState: Sendable {
    private struct Shared {
        var plan: FaultPlan
        var random: SeededGenerator
        /// Per rule index and credential: requests counted in the current window.
        var windows: [String: (start: Date, count: Int)] = [:]
    }

    private let shared: Mutex<Shared>

    init(plan: FaultPlan, seed: UInt64) {
        shared = Mutex(Shared(plan: plan, random: SeededGenerator(seed: seed ^ 0x5AFE_FA17)))
    }

    public var plan: FaultPlan {
        get { shared.withLock { $0.plan } }
        set { shared.withLock { $0.plan = newValue; $0.windows.removeAll() } }
    }

    /// What to do to one request, decided up front.
    struct Decision {
        var delay: Duration = .zero
        var before: FaultPlan.Kind?
        var after: FaultPlan.Kind?
        var retryAfterSeconds = 1
    }

    func decide(method: String, path: String, credential: String, now: Date) -> Decision {
        shared.withLock { state in
            var decision = Decision()
            for (index, rule) in state.plan.rules.enumerated() {
                guard rule.route.map({ $0.matches(method: method, path: path) }) ?? !path.hasPrefix("/_sandbox") else { continue }
                if rule.kind == .ratelimit {
                    let key = "\(index) \(credential)"
                    var window = state.windows[key] ?? (now, 0)
                    if now.timeIntervalSince(window.start) >= rule.limitWindow { window = (now, 0) }
                    window.count += 1
                    state.windows[key] = window
                    if window.count > rule.limit, decision.before == nil {
                        decision.before = .ratelimit
                        decision.retryAfterSeconds = max(1, Int((rule.limitWindow - now.timeIntervalSince(window.start)).rounded(.up)))
                    }
                    continue
                }
                guard rule.rate >= 1 || Double.random(in: 0 ..< 1, using: &state.random) < rule.rate else { continue }
                switch rule.kind {
                case .latency:
                    let jitter = rule.jitterMilliseconds > 0 ? Int.random(in: -rule.jitterMilliseconds ... rule.jitterMilliseconds, using: &state.random) : 0
                    decision.delay += .milliseconds(max(0, rule.latencyMilliseconds + jitter))
                case .unavailable, .dropBefore:
                    if decision.before == nil { decision.before = rule.kind }
                case .failAfter, .dropAfter:
                    if decision.after == nil { decision.after = rule.kind }
                case .ratelimit:
                    break
                }
            }
            return decision
        }
    }
}

/// Applies the fault plan around every route: latency, then the faults that
/// strike before the handler, then the handler (which commits), then the
/// faults that strike after it.
struct FaultInjector: RouterMiddleware {
    typealias Context = SandboxContext
    let sandbox: Sandbox

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let credential = request.headers[.authorization] ?? "anonymous"
        let decision = sandbox.faults.decide(method: request.method.rawValue, path: path, credential: credential, now: Date())
        if decision.delay > .zero {
            sandbox.statistics.count("faults latency")
            try await Task.sleep(for: decision.delay)
        }
        let service = SandboxService(path: path)
        switch decision.before {
        case .ratelimit?:
            sandbox.statistics.count("faults ratelimit")
            var error = ServiceError(service, .tooManyRequests, code: "rate_limited", "too many requests; retry after \(decision.retryAfterSeconds) s")
            error.headers[.retryAfter] = String(decision.retryAfterSeconds)
            throw error
        case .unavailable?:
            sandbox.statistics.count("faults 503")
            var error = ServiceError(service, .serviceUnavailable, code: "unavailable", "the service is unavailable; nothing was done")
            error.headers[.retryAfter] = "1"
            throw error
        case .dropBefore?:
            sandbox.statistics.count("faults drop-before")
            throw dropped(context)
        default:
            break
        }
        let response = try await next(request, context)
        switch decision.after {
        case .failAfter?:
            sandbox.statistics.count("faults 500-after")
            throw ServiceError(service, .internalServerError, code: "internal_error", "internal error")
        case .dropAfter?:
            sandbox.statistics.count("faults drop-after")
            throw dropped(context)
        default:
            return response
        }
    }

    /// Close the connection without an answer (what the client sees when a server dies mid-request).
    func dropped(_ context: Context) -> Error {
        context.channel.close(mode: .all, promise: nil)
        return CancellationError()
    }
}

extension SandboxService {
    /// The service a path belongs to, by its prefix.
    init(path: String) {
        if path.hasPrefix("/auth/") { self = .auth }
        else if path.hasPrefix("/lumanu/") { self = .lumanu }
        else if path.hasPrefix("/lumen/") { self = .lumen }
        else if path.hasPrefix("/lumyri/") { self = .lumyri }
        else { self = .control }
    }
}
