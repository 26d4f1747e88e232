import Foundation
/// How a sandbox is started: where it listens, where it keeps its state,
/// and how its clock, tokens and faults behave.
public struct SandboxConfiguration: Sendable {
    /// Where the state lives.
    public enum State: Sendable, Equatable {
        /// A SQLite file (WAL): what one command creates, the next one sees.
        case file(String)
        /// In memory, gone when the sandbox stops (tests).
        case memory
    }

    /// Host to bind. Loopback unless `allowNonLoopback` is set.
    public var host = "127.0.0.1"
    /// Port to bind; 0 picks a free one.
    public var port = 0
    /// Binding to anything but loopback must be asked for explicitly.
    public var allowNonLoopback = false
    public var state: State = .memory
    /// Start again from the fixtures, dropping what the state held.
    public var reset = false
    /// Seed of the generated fixtures and of fault decisions.
    public var seed: UInt64 = 1
    /// Lifetime of issued access tokens, in seconds.
    public var tokenTTL = 3600
    /// Failures to inject from the start (the control API can change them).
    public var faults = FaultPlan.none

    public init() {}

    /// Where `paysh sandbox` (and the sandbox paysh serves itself) keeps its state:
    /// `$XDG_DATA_HOME/paysh/sandbox.sqlite`, else `~/.local/share/paysh/sandbox.sqlite`.
    public static func defaultStatePath(environment: [String: String]) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/paysh/sandbox.sqlite"
    }

    /// True when `host` is a loopback address.
    public var bindsLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
