import Synchronization

/// How many requests to one service may be in flight at once, adapted to
/// what the server says (additive increase, multiplicative decrease, as TCP
/// does with its window).
///
/// - Every attempt takes a slot first and gives it back when its answer is in.
/// - A 429 halves the limit (to half of what was in flight, at least one) and
///   holds every new attempt back until the `Retry-After` the server gave has
///   passed, so that a burst of work does not keep hitting the limit.
/// - Each success raises the limit by 1/limit: about one more slot per round
///   of answers, up to the ceiling, so the work speeds up again once the
///   server accepts it.
///
/// With no 429 the limit starts at, and stays near, the ceiling: it never
/// slows work the server is happy with.
public final class AdaptiveLimit: Sendable {
    private struct State {
        var limit: Double
        var inFlight = 0
        /// Attempts waiting for a slot: resumed with true when given one, false to wait out a pause first.
        var waiters: [CheckedContinuation<Bool, Never>] = []
        var pausedUntil: ContinuousClock.Instant?

        func paused(at now: ContinuousClock.Instant) -> Bool { pausedUntil.map { now < $0 } ?? false }

        /// Whether one more attempt may start now.
        func hasRoom(at now: ContinuousClock.Instant) -> Bool {
            !paused(at: now) && (Double(inFlight) < limit.rounded(.down) || inFlight == 0)
        }
    }

    private let state: Mutex<State>
    private let floor: Double
    private let ceiling: Double
    private let clock = ContinuousClock()

    public init(ceiling: Int = 128, floor: Int = 1) {
        self.ceiling = Double(max(ceiling, 1))
        self.floor = Double(max(min(floor, ceiling), 1))
        state = Mutex(State(limit: Double(max(ceiling, 1))))
    }

    /// The limit now (for traces and tests).
    public var current: Int { state.withLock { Int($0.limit) } }
    /// Attempts holding a slot now.
    public var inFlight: Int { state.withLock { $0.inFlight } }

    /// Take a slot, waiting while the limit is reached or a `Retry-After` runs.
    public func acquire() async {
        while true {
            let now = clock.now
            if let until = state.withLock({ $0.paused(at: now) ? $0.pausedUntil : nil }) {
                try? await Task.sleep(for: until - now)
                continue
            }
            let granted = await withCheckedContinuation { (resume: CheckedContinuation<Bool, Never>) in
                let now = clock.now
                let room = state.withLock { state -> Bool in
                    guard state.hasRoom(at: now) else {
                        state.waiters.append(resume)
                        return false
                    }
                    state.inFlight += 1
                    return true
                }
                if room { resume.resume(returning: true) }
            }
            if granted { return }
        }
    }

    /// What an attempt's answer says about the server's load.
    public enum Signal: Sendable {
        /// Answered (well or not): the server is keeping up.
        case answered
        /// 429: too many requests; wait `retryAfter` (when given) before sending more.
        case overloaded(retryAfter: Duration?)
        /// No answer to learn from (a connection failure).
        case none
    }

    /// Give a slot back, adjusting the limit by what the answer said.
    public func release(_ signal: Signal) {
        let now = clock.now
        let (granted, rechecking) = state.withLock { state -> ([CheckedContinuation<Bool, Never>], [CheckedContinuation<Bool, Never>]) in
            switch signal {
            case .answered:
                state.limit = min(ceiling, state.limit + 1 / max(state.limit, 1))
            case .overloaded(let retryAfter):
                state.limit = max(floor, min(state.limit, Double(state.inFlight)) / 2)
                if let retryAfter {
                    let until = now + retryAfter
                    if state.pausedUntil.map({ $0 < until }) ?? true { state.pausedUntil = until }
                }
            case .none:
                break
            }
            state.inFlight -= 1
            if state.paused(at: now) {
                // Everyone waits out the pause, then asks again.
                defer { state.waiters = [] }
                return ([], state.waiters)
            }
            var granted: [CheckedContinuation<Bool, Never>] = []
            while !state.waiters.isEmpty, state.hasRoom(at: now) {
                granted.append(state.waiters.removeFirst())
                state.inFlight += 1
            }
            return (granted, [])
        }
        for waiter in granted { waiter.resume(returning: true) }
        for waiter in rechecking { waiter.resume(returning: false) }
    }
}
