import Foundation
import Synchronization

/// The sandbox's clock: the real time plus an offset that the control API
/// can advance, so that token expiry and payout progression can be tried
/// without waiting.
public final class SandboxClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    public init(offset: TimeInterval = 0) { self.offset.withLock { $0 = offset } }

    /// The sandbox's current time.
    public var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// How far the clock has been moved ahead of the real time.
    public var advancedBy: TimeInterval { offset.withLock { $0 } }

    /// Move the clock forward (never backward).
    /// How far ahead the clock may be moved in all: 100 years.
    public static let maximumAdvance: TimeInterval = 100 * 365.25 * 86_400

    public func advance(by seconds: TimeInterval) {
        offset.withLock { $0 += max(0, seconds) }
    }

    /// ISO 8601 with milliseconds and `Z`, as the APIs write times.
    public static func timestamp(_ date: Date) -> String {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        return date.formatted(style)
    }
}
