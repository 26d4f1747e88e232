import ArgumentParser
import Foundation
import Sandbox

/// `paysh sandbox`: run the local simulator in the foreground.
///
/// What a person reads (the URLs, the credentials) goes to stderr; the
/// `export NAME=value` lines go to stdout, so that
/// `paysh sandbox > sandbox.env &` followed by `. ./sandbox.env` points curl,
/// another shell or paysh itself at it.
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paysh sandbox",
        abstract: "Run the local simulator of Lumanu, Lumen and Lumyri.",
        discussion: "State persists in a SQLite file between runs unless --memory is given. See docs/sandbox.md.")

    static let defaultPort = 7297

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = defaultPort

    @Option(help: "Address to listen on. Anything but loopback also needs --allow-remote.")
    var host: String = "127.0.0.1"

    @Flag(help: "Allow listening on an address that is not loopback.")
    var allowRemote = false

    @Option(help: "SQLite file holding the sandbox's state.")
    var state: String?

    @Flag(help: "Keep the state in memory only.")
    var memory = false

    @Flag(help: "Start again from the fixtures.")
    var reset = false

    @Option(help: "Seed of the generated fixtures and of fault decisions.")
    var seed: UInt64 = 1

    @Option(name: .customLong("token-ttl"), help: "Lifetime of issued access tokens, in seconds.")
    var tokenTTL: Int = 3600

    @Option(help: "Faults to inject, e.g. '503:0.1,drop-after:0.05@POST /lumyri/*' (see docs/sandbox.md).")
    var faults: String?

    /// `$XDG_DATA_HOME/paysh/sandbox.sqlite`, else `~/.local/share/paysh/sandbox.sqlite`.
    static var defaultStatePath: String {
        SandboxConfiguration.defaultStatePath(environment: ProcessInfo.processInfo.environment)
    }

    func validate() throws {
        if memory, state != nil { throw ValidationError("--state and --memory cannot be used together") }
        guard (0 ... 65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port)") }
        guard tokenTTL > 0 else { throw ValidationError("--token-ttl must be a positive number of seconds, got \(tokenTTL)") }
    }

    func makeConfiguration() throws -> SandboxConfiguration {
        var configuration = SandboxConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.allowNonLoopback = allowRemote
        configuration.state = memory ? .memory : .file(state ?? Self.defaultStatePath)
        configuration.reset = reset
        configuration.seed = seed
        configuration.tokenTTL = tokenTTL
        if let faults { configuration.faults = try FaultPlan(parsing: faults) }
        return configuration
    }

    func run() throws {
        let configuration: SandboxConfiguration
        do { configuration = try makeConfiguration() } catch { throw ValidationError("\(error)") }
        if !configuration.bindsLoopback {
            Console.error("paysh sandbox: warning: listening on \(host), which is not loopback: anyone who can reach it can use the sandbox\n")
        }
        let sandbox = try Sandbox(configuration: configuration)
        let stateText: String
        switch configuration.state {
        case .memory: stateText = "in memory"
        case .file(let path): stateText = path
        }
        try blockingRun {
            try await sandbox.run { endpoints in
                Console.error(Self.banner(endpoints, state: stateText))
                Console.out(endpoints.exportLines.joined(separator: "\n") + "\n")
            }
        }
    }

    /// What a person reads when the sandbox starts.
    static func banner(_ endpoints: SandboxEndpoints, state: String) -> String {
        """
        paysh sandbox: serving on \(endpoints.root) (no real money moves here)
          token endpoint   \(endpoints.lumanuTokenURL)
          Lumanu           \(endpoints.lumanuBaseURL)    client \(SandboxCredentials.lumanuClientID) / secret \(SandboxCredentials.lumanuClientSecret)
                           audience \(SandboxCredentials.lumanuAudience), workspace \(SandboxCredentials.lumanuWorkspaceID)
          Lumen            \(endpoints.lumenBaseURL)    key \(SandboxCredentials.lumenAPIKey)
          Lumyri           \(endpoints.lumyriBaseURL)    token \(SandboxCredentials.lumyriAccessToken)
          control          \(endpoints.controlURL)
          state            \(state)
        Environment for clients on stdout (eval it, or save it and source it). Ctrl-C stops.

        """
    }
}

/// Run async work from the synchronous command line, waiting for it on this thread.
func blockingRun(_ body: @escaping @Sendable () async throws -> Void) throws {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var failure: (any Error)?
    Task {
        do { try await body() } catch { failure = error }
        done.signal()
    }
    done.wait()
    if let failure { throw failure }
}
