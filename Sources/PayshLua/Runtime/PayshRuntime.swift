import Foundation
import Glibc
import LuaKit
import PaymentsCore
import PayshConfig
import Sandbox

/// What the command line asks of the bindings.
public struct RuntimeOptions: Sendable {
    /// `--profile NAME`.
    public var profile: String?
    /// `--debug`: a trace line per HTTP exchange, tracebacks for errors.
    public var debug = false
    /// `--dry-run`: mutations are printed as `curl`, not sent.
    public var dryRun = false
    /// `--yes`: money-moving calls on a production profile go ahead without asking.
    public var yes = false
    /// `--sandbox`: talk to a sandbox served inside this process, whatever the profile.
    public var forceSandbox = false
    /// `--report FILE.csv`: where `paysh.batch` writes one row per item.
    public var report: String?
    public var environment: [String: String]
    /// Whether a person is at the terminal (stdin and stderr are terminals): prompts are possible.
    public var interactive: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                interactive: Bool = isatty(0) != 0 && isatty(2) != 0) {
        self.environment = environment
        self.interactive = interactive
    }
}

/// The bindings' view of the world: the options, the scheduler, and — made
/// on first use — the profile, its session, and the sandbox when the profile
/// is the built-in one and no `paysh sandbox` is listening.
///
/// Lives on the Lua thread; only the session it hands out crosses into tasks.
public final class PayshRuntime: @unchecked Sendable {
    public let options: RuntimeOptions
    public let scheduler: LuaScheduler
    private var loaded: Result<Loaded, PaymentsError>?
    /// Ids of objects this run has seen, newest last, by kind (for completion).
    public private(set) var seenIDs: [String: [String]] = [:]
    /// The batch item each coroutine running a batch's `run` works for.
    var batchItems: [OpaquePointer: BatchItemContext] = [:]
    /// The batch ledger, opened once per process: every connection to a
    /// database file in one process must be SQLite's own.
    private(set) lazy var ledger = BatchLedger(environment: options.environment)

    /// The batch item the coroutine `L` works for, if any.
    func batchItem(for L: OpaquePointer) -> BatchItemContext? { batchItems[L] }

    /// What a request made by coroutine `L` waits for before it leaves: the
    /// ledger's `sent` of the batch item it works for; for a coroutine working
    /// for no item while a batch runs (one an item spawned), every item's
    /// `sent` still on its way. Nil when there is nothing to wait for.
    func ledgerGate(for L: OpaquePointer) -> SendingGate? {
        let writes = batchItems[L].map { [$0.sentWrite].compactMap { $0 } } ?? batchItems.values.compactMap(\.sentWrite)
        return writes.isEmpty ? nil : SendingGate(writes: writes)
    }

    struct Loaded {
        let profile: ResolvedProfile
        let session: PaymentsSession
        let sandbox: RunningSandbox?
        /// Root URL of the sandbox's control API when the profile talks to a sandbox.
        let sandboxRoot: String?
    }

    public init(options: RuntimeOptions, scheduler: LuaScheduler) {
        self.options = options
        self.scheduler = scheduler
    }

    /// The profile and session, loading them on first use.
    func load() throws(PaymentsError) -> Loaded {
        if let loaded { return try loaded.get() }
        let result: Result<Loaded, PaymentsError>
        do throws(PaymentsError) { result = .success(try makeLoaded()) } catch { result = .failure(error) }
        loaded = result
        return try result.get()
    }

    /// The session of the profile in use.
    /// The session of the profile in use, for a call of `operation`. Refused
    /// once ``shutdown()`` has run: a `__gc` finalizer run as the state closes
    /// at exit gets a clear error, not a connection that is gone (which the
    /// journal would keep as a call whose outcome is unknown).
    public func session(for operation: String = "paysh") throws(PaymentsError) -> PaymentsSession {
        guard !closed else {
            throw PaymentsError(kind: .notSent, service: "paysh", operation: operation,
                                message: "not sent: the program has ended and paysh has closed its connections (a call from a __gc finalizer run at exit)")
        }
        return try load().session
    }

    /// Whether ``shutdown()`` has run.
    private var closed = false

    /// The profile in use.
    public func profile() throws(PaymentsError) -> ResolvedProfile { try load().profile }

    /// The profile a session would use, read without starting anything (no
    /// session, no built-in sandbox): for the REPL's banner and prompt.
    public func peekProfile() throws(PaymentsError) -> ResolvedProfile {
        if case .success(let loaded)? = loaded { return loaded.profile }
        let flags = ProfileFlags(profile: options.forceSandbox ? BuiltInProfiles.sandboxName : options.profile)
        return try ConfigLoader.load(flags: flags, environment: options.environment).profile
    }

    /// Check the profile now (an unknown `--profile` is reported before anything runs).
    public func validateProfile() throws(PaymentsError) { _ = try load() }

    /// The control API's root when the profile is a sandbox; an error naming the profile otherwise.
    func sandboxRoot(for function: String) throws(PaymentsError) -> String {
        let loaded = try load()
        guard let root = loaded.sandboxRoot else {
            throw PaymentsError(kind: .validation, service: "sandbox", operation: function,
                                message: "profile \"\(loaded.profile.name)\" is not the sandbox; the sandbox module works only against it (try --sandbox)")
        }
        return root
    }

    /// Remember an id the user has seen (an invoice, card, payout...): the
    /// 200 newest of each kind are kept.
    func remember(_ id: String, kind: String) {
        var ids = seenIDs[kind, default: []]
        if ids.last == id { return }
        if let earlier = ids.lastIndex(of: id) { ids.remove(at: earlier) }
        ids.append(id)
        if ids.count > 200 { ids.removeFirst(ids.count - 200) }
        seenIDs[kind] = ids
    }

    /// Close the session and stop an in-process sandbox (call once, at exit).
    public func shutdown() {
        closed = true
        guard case .success(let loaded) = loaded else { return }
        blockOnLuaThread {
            await loaded.session.shutdown()
            if let sandbox = loaded.sandbox { await sandbox.stop() }
        }
    }

    // MARK: Loading

    private func makeLoaded() throws(PaymentsError) -> Loaded {
        // Options first: a bad setting is refused before a sandbox is started for nothing.
        let sessionOptions = try SessionOptions.commandLine(environment: options.environment, debug: options.debug, dryRun: options.dryRun)
        let resolved = try BuiltInSandbox.resolve(ProfileFlags(profile: options.profile), environment: options.environment,
                                                  force: options.forceSandbox)
        var (config, running): (LoadedConfig, RunningSandbox?) = (resolved.config, nil)
        if resolved.serve { // only then a task: nothing to wait for otherwise
            let (flags, environment) = (resolved.flags, options.environment)
            let outcome = blockOnLuaThread { () async -> Result<(LoadedConfig, RunningSandbox), PaymentsError> in
                do throws(PaymentsError) { return .success(try await BuiltInSandbox.serve(flags, environment: environment)) } catch {
                    return .failure(error)
                }
            }
            (config, running) = try outcome.get()
        }
        var sandboxRoot: String?
        if let running {
            sandboxRoot = BuiltInSandbox.root(of: running)
        } else if config.profile.isSandbox, let base = config.profile.lumyri.baseURL, base.hasSuffix("/lumyri") {
            sandboxRoot = String(base.dropLast("/lumyri".count))
        }
        for warning in config.warnings { Self.warn(warning) }
        let session = PaymentsSession(profile: config.profile, options: sessionOptions)
        return Loaded(profile: config.profile, session: session, sandbox: running, sandboxRoot: sandboxRoot)
    }

    static func warn(_ text: String) {
        FileHandle.standardError.write(Data(("paysh: warning: " + text + "\n").utf8))
    }
}

/// Run `body` as a task and wait for it on this thread. Only for the Lua
/// thread (never a thread of Swift's cooperative pool, which the task needs).
func blockOnLuaThread<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    Task {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}

extension PayshRuntime {
    /// Suspend the running coroutine for `seconds` without blocking other
    /// work (Ctrl-C interrupts it); returns no results.
    func sleep(_ stack: LuaStack, seconds: Double) throws -> Int32 {
        try scheduler.suspend(stack) {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return { _ in 0 }
        }
    }
}
