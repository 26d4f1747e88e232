import Foundation
import Glibc
import LuaKit
import PaymentsCore

/// Which batch item the code running in a coroutine works for, so that the
/// bindings can make its money-moving call safe to repeat: a payout gets the
/// reference `BATCH:KEY` unless it names its own, and an item taken up
/// again (`resumed`) first looks for what an earlier run may have done.
public struct BatchItemContext: Sendable, Equatable {
    public let batch: String
    public let key: String
    public let resumed: Bool
    /// The ledger's write of this item's `sent`, on its way to disk: every
    /// request made for the item waits for it before it leaves
    /// (``PayshRuntime/ledgerGate(for:)``); it carries the write's error, if any.
    let sentWrite: Task<PaymentsError?, Never>?

    init(batch: String, key: String, resumed: Bool, sentWrite: Task<PaymentsError?, Never>? = nil) {
        self.batch = batch
        self.key = key
        self.resumed = resumed
        self.sentWrite = sentWrite
    }

    /// The `paysh_ref` a payout made for this item carries.
    public var reference: String { batch + ":" + key }
}

/// One run of `paysh.batch`: its ledger, its counters, its progress line.
/// The Lua driver (``BatchBindings/driver``) calls its methods. An item's
/// `sent` is on disk before any request made for it leaves; its outcome is
/// written after it, without making the item wait.
final class BatchRun: @unchecked Sendable {
    static let metatable = "paysh.batch.run"

    let name: String
    let ledger: BatchLedger
    let runtime: PayshRuntime
    let concurrency: Int
    /// Attempts per item for failures that did nothing (429s, 503s, connection failures).
    let attempts: Int
    let retryFailed: Bool
    let report: String?
    let progress: Bool
    /// Seconds a request of a stopped run may still be handled by the server (``pause(_:)``).
    let settle: Double

    private(set) var total = 0
    private var done = 0, skipped = 0, failed = 0, undecided = 0, retries = 0, keptFailed = 0
    private var failures: [(key: String, reason: String)] = []
    private var keys: [String] = []
    /// The reasons of items that failed for good in earlier runs, by key.
    private var earlierFailures: [String: String] = [:]
    private let started = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?

    init(name: String, ledger: BatchLedger, runtime: PayshRuntime, concurrency: Int, attempts: Int, retryFailed: Bool,
         report: String?, progress: Bool, settle: Double = 5) {
        self.name = name
        self.ledger = ledger
        self.runtime = runtime
        self.concurrency = concurrency
        self.attempts = attempts
        self.retryFailed = retryFailed
        self.report = report
        self.progress = progress
        self.settle = settle
    }

    // MARK: The driver's calls

    /// `run:open(keys)`: the ledger's states of the keys, as `{ [key] = "done"
    /// | "sent" | "pending" | "failed" | "failed-retryable" }`, and how many
    /// seconds to wait before taking up the items left `sent` (``pause(_:)``).
    func open(_ stack: LuaStack) throws -> Int32 {
        var given: [String] = []
        let count = stack.rawLength(at: 2)
        for i in 0 ..< count {
            stack.rawGet(at: 2, index: i + 1)
            given.append(stack.toString(at: -1) ?? "")
            stack.pop()
        }
        let keys = given
        self.keys = keys
        total = keys.count
        let profile: String
        do throws(PaymentsError) { profile = try runtime.profile().name } catch { throw LuaAPIError(error) }
        let (ledger, name) = (self.ledger, self.name)
        return try runtime.scheduler.suspend(stack) {
            do throws(PaymentsError) {
                let rows = try await ledger.open(batch: name, profile: profile, keys: keys)
                let wait = Self.settling(rows.values.filter { $0.state == .sent }, window: self.settle, now: Date())
                return { [self] stack in
                    for (key, row) in rows where row.state == .failed { earlierFailures[key] = row.reason ?? "failed" }
                    stack.newTable(hash: Int32(keys.count))
                    for key in keys {
                        guard let row = rows[key] else { continue }
                        stack.push(row.state == .failed && row.retryable ? "failed-retryable" : row.state.rawValue)
                        stack.rawSet(at: -2, key)
                    }
                    stack.push(wait)
                    return 2
                }
            } catch {
                return { _ in throw LuaAPIError(error) }
            }
        }
    }

    /// How long to wait before looking up items left `sent`: until `window`
    /// seconds have passed since the latest of them was sent. A run killed a
    /// moment ago may have requests the server is still handling (a create
    /// arriving late, behind a slow network or a busy server); a look-up made
    /// before they finish would find nothing and send the item again.
    static func settling(_ sent: [BatchLedger.Item], window: Double, now: Date) -> Double {
        guard window > 0, let latest = sent.compactMap(\.updated).max() else { return 0 }
        return max(0, min(window, window - now.timeIntervalSince(latest)))
    }

    /// `run:pause(seconds)`: wait, saying why on a terminal.
    func pause(_ stack: LuaStack) throws -> Int32 {
        let seconds = stack.toNumber(at: 2) ?? 0
        if progress {
            let shown = String(format: "%.1f", seconds)
            FileHandle.standardError.write(Data("paysh.batch \(name): waiting \(shown) s for the requests of the run that stopped to settle\n".utf8))
        }
        return try runtime.sleep(stack, seconds: seconds)
    }

    /// `run:skip(key, state)`: an item left as it is (done before, or failed
    /// for good: then it is among the summary's failures, with its reason).
    func skip(_ stack: LuaStack) -> Int32 {
        if stack.toString(at: 3) == "done" {
            skipped += 1
        } else {
            keptFailed += 1
            let key = stack.toString(at: 2) ?? ""
            failures.append((key, earlierFailures[key] ?? "failed in an earlier run"))
        }
        draw()
        return 0
    }

    /// `run:sent(key, resumed)`: start writing (durably) that the item is
    /// about to send, and tell the bindings which item this coroutine works
    /// for. The coroutine goes on at once: the item's first request waits
    /// for the write before it leaves, while its own journal intent is
    /// written alongside (``ServiceConnection/beforeSending``).
    func sent(_ stack: LuaStack) -> Int32 {
        let key = stack.toString(at: 2) ?? ""
        let (ledger, name) = (self.ledger, self.name)
        let write = Task { () async -> PaymentsError? in
            do throws(PaymentsError) {
                try await ledger.markSent(batch: name, key: key)
                return nil
            } catch {
                return error
            }
        }
        runtime.batchItems[stack.L] = BatchItemContext(batch: name, key: key, resumed: stack.toBoolean(at: 3), sentWrite: write)
        return 0
    }

    /// `run:settle(key, ok, result, attempt)`: record how the item's run
    /// ended. Returns "retry" (after a wait) when it failed for a reason
    /// that did nothing and attempts remain.
    func settle(_ stack: LuaStack) throws -> Int32 {
        let sentWrite = runtime.batchItems.removeValue(forKey: stack.L)?.sentWrite
        let key = stack.toString(at: 2) ?? ""
        let attempt = Int(stack.toInteger(at: 5) ?? 1)
        if stack.toBoolean(at: 3) {
            done += 1
            draw()
            let remote = remoteID(stack, at: 4)
            record(after: sentWrite) { ledger, name throws(PaymentsError) in try await ledger.markDone(batch: name, key: key, remoteID: remote) }
            return 0
        }
        let error = LuaAPIError.read(stack, at: 4)
        let reason = error.map { $0.description } ?? ((try? stack.tostring(at: 4)).map { String(decoding: $0, as: UTF8.self) } ?? "an error")
        if let error, error.kind == .outcomeUnknown {
            undecided += 1
            draw()
            record(after: sentWrite) { ledger, name throws(PaymentsError) in try await ledger.markUndecided(batch: name, key: key, reason: reason) }
            return 0
        }
        let retryable = error?.retryable ?? false
        if retryable, attempt < attempts {
            retries += 1
            draw()
            let wait = Self.backoff(attempt: attempt, retryAfter: error?.retryAfter)
            return try runtime.scheduler.suspend(stack) {
                try? await Task.sleep(for: wait)
                return { stack in
                    stack.push("retry")
                    return 1
                }
            }
        }
        failed += 1
        failures.append((key, reason))
        draw()
        record(after: sentWrite) { ledger, name throws(PaymentsError) in try await ledger.markFailed(batch: name, key: key, reason: reason, retryable: retryable) }
        return 0
    }

    /// `run:finish()`: once the ledger has every outcome, the summary
    /// (printed on stderr, written to the report) as a table.
    func finish(_ stack: LuaStack) throws -> Int32 {
        let writes = recording
        recording = []
        return try runtime.scheduler.suspend(stack) {
            var problems: [String] = []
            for write in writes { if let problem = await write.value { problems.append(problem.message) } }
            let found = problems
            return { [self] stack in try summarize(stack, ledgerProblems: found) }
        }
    }

    private func summarize(_ stack: LuaStack, ledgerProblems: [String]) throws -> Int32 {
        if progress { Self.writeError("\r\u{1b}[K") }
        let elapsed = ContinuousClock.now - started
        var line = "\(name): \(total) items — \(done) done now, \(skipped) already done, \(failed + keptFailed) failed"
            + (keptFailed > 0 ? " (\(keptFailed) in an earlier run; retry_failed = true runs them again)" : "")
        if undecided > 0 { line += ", \(undecided) undecided (run the batch again to settle them)" }
        line += String(format: " (%.1f s", elapsed.inSeconds) + (retries > 0 ? ", \(retries) retries)" : ")")
        var lines = [line]
        for failure in failures.prefix(20) { lines.append("  failed \(failure.key): \(failure.reason)") }
        for problem in ledgerProblems.prefix(3) { lines.append("  not recorded (the next run looks these items up): \(problem)") }
        if failures.count > 20 { lines.append("  ... and \(failures.count - 20) more (see paysh batch status \(name))") }
        if let report {
            do throws(PaymentsError) { try writeReport(to: report) } catch { lines.append("  report not written: \(error.message)") }
        }
        Self.writeError(lines.joined(separator: "\n") + "\n")
        let summary: [(String, Int)] = [("total", total), ("done", done), ("skipped", skipped), ("failed", failed + keptFailed),
                                        ("undecided", undecided), ("retries", retries)]
        stack.newTable(hash: Int32(summary.count + 2))
        stack.push(name)
        stack.rawSet(at: -2, "name")
        for (field, value) in summary {
            stack.push(Int64(value))
            stack.rawSet(at: -2, field)
        }
        stack.newTable(hash: Int32(failures.count))
        for failure in failures {
            stack.push(failure.reason)
            stack.rawSet(at: -2, failure.key)
        }
        stack.rawSet(at: -2, "failures")
        return 1
    }

    // MARK: Helpers

    /// Outcome writes still on their way to disk; `finish` waits for them.
    private var recording: [Task<PaymentsError?, Never>] = []

    /// Write an item's outcome without making its task wait, once its
    /// `sent` is written (so that the outcome lands last): the item is
    /// `sent` on disk by then, so if this write is lost the next run looks
    /// the item up, and nothing is done twice.
    private func record(after sentWrite: Task<PaymentsError?, Never>?,
                        _ body: @escaping @Sendable (BatchLedger, String) async throws(PaymentsError) -> Void) {
        let (ledger, name) = (self.ledger, self.name)
        recording.append(Task {
            _ = await sentWrite?.value
            do throws(PaymentsError) {
                try await body(ledger, name)
                return nil
            } catch {
                return error
            }
        })
    }

    /// What an item's run returned that names what it made: a string, or a table's `id`.
    private func remoteID(_ stack: LuaStack, at idx: Int32) -> String? {
        switch stack.type(at: idx) {
        case .string: return stack.toString(at: idx)
        case .table:
            defer { stack.pop() }
            return stack.rawGet(at: idx, "id") == .string ? stack.toString(at: -1) : nil
        default: return nil
        }
    }

    /// Full jitter up to 0.5 s × 2^attempt (10 s at most), or the server's `Retry-After`.
    static func backoff(attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(retryAfter, .seconds(30)) }
        let ceiling = min(0.5 * pow(2, Double(attempt - 1)), 10)
        return .milliseconds(Int(Double.random(in: 0 ... ceiling) * 1000))
    }

    /// The progress line on stderr, at most ten times a second.
    private func draw() {
        guard progress else { return }
        let now = ContinuousClock.now
        if let last = lastDrawn, now - last < .milliseconds(100), done + skipped + failed + keptFailed + undecided < total { return }
        lastDrawn = now
        let finished = done + skipped + failed + keptFailed + undecided
        let elapsed = (now - started).inSeconds
        let rate = elapsed > 0 ? Double(done + failed + undecided) / elapsed : 0
        var line = "\(name): \(finished)/\(total)"
        line += String(format: " · %.1f/s", rate)
        if rate > 0, finished < total { line += String(format: " · ETA %.0f s", Double(total - finished) / rate) }
        if retries > 0 { line += " · \(retries) retries" }
        if failed + keptFailed > 0 { line += " · \(failed + keptFailed) failed" }
        Self.writeError("\r\u{1b}[K" + line)
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// One CSV row per item of this run: key, state, remote_id, attempts, reason.
    private func writeReport(to path: String) throws(PaymentsError) {
        let rows = try ledger.items(of: name)
        let wanted = Set(keys)
        var text = "key,state,remote_id,attempts,reason\r\n"
        for row in rows where wanted.contains(row.key) {
            let fields = [row.key, row.state.rawValue, row.remoteID ?? "", String(row.attempts), row.reason ?? ""]
            text += fields.map(Self.csvField).joined(separator: ",") + "\r\n"
        }
        let temporary = path + ".\(getpid()).tmp"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw PaymentsError(kind: .validation, service: "paysh", operation: "paysh.batch", message: "cannot write the report \(path): \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else {
            let why = PrivateFiles.reason(errno)
            unlink(temporary)
            throw PaymentsError(kind: .validation, service: "paysh", operation: "paysh.batch", message: "cannot write the report \(path): \(why)")
        }
    }

    /// A field quoted as RFC 4180 wants when it holds a comma, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
