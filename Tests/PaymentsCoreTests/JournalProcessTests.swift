import Foundation
import PaymentsCore
import Testing

/// The journal across processes: one killed with SIGKILL between a call's
/// intent and its outcome, and several writing to one file at once.
///
/// The tests run this test binary again as children, each running one of the
/// `child…` tests below (which do nothing in an ordinary run).
@Suite struct JournalProcessTests {
    /// Set in the child's environment: the journal it writes to.
    static let childVariable = "PAYSH_JOURNAL_CRASH_CHILD"
    /// Set in a writer child's environment: the journal, and (in `writerName`) the child's name.
    static let writerVariable = "PAYSH_JOURNAL_WRITER_CHILD"
    static let writerName = "PAYSH_JOURNAL_WRITER_NAME"
    static let callsPerWriter = 40

    @Test func anIntentWrittenBeforeKillDashNineReadsAsPending() throws {
        let path = try JournalTests.scratch() + "/journal.sqlite"
        let ready = path + ".ready"
        let child = try Self.spawnSelf(filter: "JournalProcessTests/childRecordsAnIntentAndWaitsToBeKilled",
                                       environment: [Self.childVariable: path])
        var reaped = false
        defer { if !reaped { kill(child, SIGKILL); Self.reap(child) } }
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: ready) {
            try #require(Date() < deadline, "the child did not record its intent")
            var status: Int32 = 0
            reaped = waitpid(child, &status, WNOHANG) == child
            try #require(!reaped, "the child ended before it was killed (status \(status))")
            usleep(20_000)
        }
        #expect(kill(child, SIGKILL) == 0)
        let status = Self.reap(child)
        reaped = true
        #expect(status & 0x7f == SIGKILL, "killed by SIGKILL, not ended on its own")

        let journal = Journal(path: path)
        let orphans = try journal.unresolved()
        #expect(orphans.map(\.id) == ["killed-mid-call"])
        #expect(orphans.first?.state == .pending && orphans.first?.outcomeAt == nil)
        #expect(try Journal.integrity(path) == "ok")
    }

    /// The child's part: only runs when the parent above starts it.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] != nil, "run by anIntentWrittenBeforeKillDashNineReadsAsPending"))
    func childRecordsAnIntentAndWaitsToBeKilled() throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.childVariable])
        let journal = Journal(path: path)
        try journal.recordIntent(JournalTests.intent("killed-mid-call"))
        // The intent is durable once recordIntent returns; tell the parent, then wait for SIGKILL.
        #expect(FileManager.default.createFile(atPath: path + ".ready", contents: nil))
        sleep(300)
        Issue.record("the parent did not kill this process")
    }

    @Test func severalProcessesWritingAtOnceAllGetTheirRowsIn() throws {
        let path = try JournalTests.scratch() + "/journal.sqlite"
        let names = ["p1", "p2", "p3"]
        var children: [pid_t] = []
        defer { for child in children { kill(child, SIGKILL); Self.reap(child) } }
        for name in names {
            children.append(try Self.spawnSelf(filter: "JournalProcessTests/childWritesCallsWhenToldTo",
                                               environment: [Self.writerVariable: path, Self.writerName: name],
                                               log: path + ".log-" + name))
        }
        // Start them together once all are up, so that their writes overlap.
        let deadline = Date().addingTimeInterval(120)
        while !names.allSatisfy({ FileManager.default.fileExists(atPath: path + ".ready-" + $0) }) {
            try #require(Date() < deadline, "the writers did not start")
            usleep(20_000)
        }
        #expect(FileManager.default.createFile(atPath: path + ".go", contents: nil))
        let statuses = children.map { Self.reap($0) }
        children = []
        for (name, status) in zip(names, statuses) where status != 0 {
            let log = (try? String(contentsOfFile: path + ".log-" + name, encoding: .utf8)) ?? "(no log)"
            Issue.record("writer \(name) ended with status \(status); what it printed:\n\(log.split(separator: "\n").filter { $0.contains("✘") || $0.contains("rror") }.joined(separator: "\n"))")
        }

        let journal = Journal(path: path)
        for name in names {
            #expect(try journal.count(JournalQuery(profile: name, state: .succeeded)) == Self.callsPerWriter, "\(name)")
        }
        #expect(try journal.count() == names.count * Self.callsPerWriter)
        #expect(try Journal.integrity(path) == "ok")
    }

    /// A writer's part: only runs when the test above starts it.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[writerVariable] != nil, "run by severalProcessesWritingAtOnceAllGetTheirRowsIn"))
    func childWritesCallsWhenToldTo() throws {
        let environment = ProcessInfo.processInfo.environment
        let path = try #require(environment[Self.writerVariable]), name = try #require(environment[Self.writerName])
        #expect(FileManager.default.createFile(atPath: path + ".ready-" + name, contents: nil))
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: path + ".go") {
            try #require(Date() < deadline, "the parent did not say go")
            usleep(5_000)
        }
        let journal = Journal(path: path)
        for call in 0 ..< Self.callsPerWriter {
            let id = "\(name)-\(call)"
            try journal.recordIntent(JournalTests.intent(id, profile: name))
            try journal.recordOutcome(of: id, .succeeded(remoteID: nil, remoteStatus: nil, httpStatus: 200, requestID: nil))
        }
    }

    /// This test binary (`/proc/self/exe`), running only the test `filter`
    /// names, with stdout and stderr going to `log` (discarded without one).
    static func spawnSelf(filter: String, environment: [String: String], log: String = "/dev/null") throws -> pid_t {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let argv = [executable, "--testing-library", "swift-testing", "--filter", filter]
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, cArgs, cEnv)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        return pid
    }

    /// Wait for `pid` and return its raw wait status (0 if it was reaped already).
    @discardableResult
    static func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 0 }
        }
        return status
    }
}
