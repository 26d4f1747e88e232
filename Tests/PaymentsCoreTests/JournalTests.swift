import Foundation
import GRDB
@testable import PaymentsCore
import Synchronization
import Testing

/// The journal's file, its rows and its rules, through the Swift API.
@Suite struct JournalTests {
    /// A fresh directory for one test's journal.
    static func scratch(_ name: String = #function) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("paysh-journal-\(getpid())-\(name.prefix { $0 != "(" })-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A clock that tests move by hand.
    final class Clock: Sendable {
        let now: Mutex<Date>
        init(_ start: Date) { now = Mutex(start) }
        func advance(_ seconds: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
        var read: @Sendable () -> Date { { self.now.withLock { $0 } } }
    }

    static func intent(_ id: String = UUID().uuidString.lowercased(), profile: String = "default", service: Service = .lumyri,
                       operation: String = "lumyri.pay_invoice", reference: String? = "inv_1", body: String? = nil) -> JournalIntent {
        JournalIntent(id: id, profile: profile, service: service, operation: operation, method: "PUT",
                      url: "http://127.0.0.1:7297/lumyri/payments/orders/inv_1/pay", idempotencyKey: "key-" + id,
                      reference: reference, body: body, movesMoney: true)
    }

    static let start = Date(timeIntervalSince1970: 1_793_520_000) // 2026-11-01T08:00:00Z

    // MARK: Where the file is

    @Test func theDefaultPathFollowsTheEnvironment() {
        #expect(Journal.defaultPath(environment: ["PAYSH_JOURNAL": "/j/x.sqlite", "XDG_DATA_HOME": "/d", "HOME": "/h"]) == "/j/x.sqlite")
        #expect(Journal.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]) == "/d/paysh/journal.sqlite")
        #expect(Journal.defaultPath(environment: ["PAYSH_JOURNAL": "", "XDG_DATA_HOME": "", "HOME": "/h"])
            == "/h/.local/share/paysh/journal.sqlite")
        #expect(Journal(environment: ["PAYSH_JOURNAL": "/j/y.sqlite", "USER": "ada"]).path == "/j/y.sqlite")
    }

    @Test func theOperatorIsUserAtHost() {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, 255)
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #expect(Journal.operatorName(environment: ["USER": "ada", "LOGNAME": "bob"]) == "ada@\(host)")
        #expect(Journal.operatorName(environment: ["LOGNAME": "bob"]) == "bob@\(host)")
        #expect(Journal(environment: ["USER": "carol", "PAYSH_JOURNAL": "/x"]).operatorName == "carol@\(host)")
    }

    // MARK: The file

    @Test func nothingIsCreatedUntilSomethingIsRecorded() throws {
        let path = try Self.scratch() + "/sub/dir/journal.sqlite"
        let journal = Journal(path: path)
        #expect(try journal.entries().isEmpty)
        #expect(try journal.unresolved().isEmpty)
        #expect(try journal.count() == 0)
        #expect(!journal.exists && !FileManager.default.fileExists(atPath: path))
        try journal.recordIntent(Self.intent())
        #expect(journal.exists)
    }

    @Test func theFileAndItsDirectoriesArePrivate() throws {
        func mode(_ path: String) throws -> Int {
            try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        let root = try Self.scratch()
        chmod(root, 0o755)
        let path = root + "/a/b/journal.sqlite"
        let journal = Journal(path: path)
        try journal.recordIntent(Self.intent())
        #expect(try mode(root + "/a") == 0o700)
        #expect(try mode(root + "/a/b") == 0o700)
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(try mode(file) == 0o600, "\(file)")
        }
        #expect(try mode(root) == 0o755, "a directory that already existed is left as it was")
    }

    @Test func aFileMoreOpenThanItsOwnerIsNarrowed() throws {
        let path = try Self.scratch() + "/journal.sqlite"
        try Journal(path: path).recordIntent(Self.intent())
        for file in [path, path + "-wal"] { chmod(file, 0o644) }
        let journal = Journal(path: path)
        _ = try journal.entries()
        for file in [path, path + "-wal"] {
            #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        }
    }

    @Test func commitsAreSyncedInWALMode() throws {
        let path = try Self.scratch() + "/journal.sqlite"
        let journal = Journal(path: path)
        try journal.recordIntent(Self.intent())
        let queue = try #require(try journal.database(operation: "test", create: false))
        let (mode, synchronous) = try queue.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(mode == "wal")
        #expect(synchronous == 2, "2 is FULL: the log is synced at every commit")
        #expect(try Journal.integrity(path) == "ok")
    }

    // MARK: Rows

    @Test func anIntentAndItsOutcomeReadBackWithEveryField() throws {
        let clock = Clock(Self.start)
        let journal = Journal(path: try Self.scratch() + "/journal.sqlite", operatorName: "ada@host", clock: clock.read)
        let intent = Self.intent("call-1", profile: "work", body: #"{"amount":17408}"#)
        try journal.recordIntent(intent)
        let pending = try #require(try journal.entry(id: "call-1"))
        #expect(pending.state == .pending && pending.outcomeAt == nil && pending.isUnresolved)
        clock.advance(1.25)
        try journal.recordOutcome(of: "call-1", .succeeded(remoteID: "inv_1", remoteStatus: "Succeeded", httpStatus: 200, requestID: "req-1"))
        let entry = try #require(try journal.entry(id: "call-1"))
        #expect(entry == JournalEntry(
            intent: intent, intentAt: Self.start, outcomeAt: Self.start.addingTimeInterval(1.25), operatorName: "ada@host",
            state: .succeeded, httpStatus: 200, remoteID: "inv_1", remoteStatus: "Succeeded", errorKind: nil, errorCode: nil,
            errorMessage: nil, requestID: "req-1", resolution: nil))
        #expect(entry.operation == "lumyri.pay_invoice" && entry.profile == "work" && entry.body == #"{"amount":17408}"#)
        #expect(!entry.isUnresolved)
    }

    @Test func aFailureKeepsItsKindCodeAndMessage() throws {
        let journal = Journal(path: try Self.scratch() + "/journal.sqlite")
        try journal.recordIntent(Self.intent("failed"))
        try journal.recordIntent(Self.intent("unknown"))
        try journal.recordOutcome(of: "failed", .failed(PaymentsError(
            kind: .clientError, service: "lumyri", operation: "lumyri.pay_invoice", status: 402, code: "card_declined",
            message: "Your card was declined", requestID: "req-2")))
        try journal.recordOutcome(of: "unknown", .unknown(PaymentsError(
            kind: .outcomeUnknown, service: "lumyri", operation: "lumyri.pay_invoice", message: "connection reset", requestID: "req-3")))
        let failed = try #require(try journal.entry(id: "failed"))
        #expect(failed.state == .failed && failed.httpStatus == 402 && failed.errorKind == .clientError)
        #expect(failed.errorCode == "card_declined" && failed.errorMessage == "Your card was declined" && failed.requestID == "req-2")
        #expect(failed.resultSummary == "402 card_declined")
        let unknown = try #require(try journal.entry(id: "unknown"))
        #expect(unknown.state == .unknown && unknown.httpStatus == nil && unknown.errorKind == .outcomeUnknown)
        #expect(unknown.resultSummary == "outcome_unknown" && unknown.isUnresolved)
    }

    @Test func outcomesOnlyFollowAPendingIntent() throws {
        let journal = Journal(path: try Self.scratch() + "/journal.sqlite")
        try journal.recordIntent(Self.intent("once"))
        #expect { try journal.recordIntent(Self.intent("once")) } throws: { error in
            let error = error as? PaymentsError
            return error?.kind == .validation && error?.service == "journal" && error?.message.contains("already in the journal") == true
        }
        #expect { try journal.recordOutcome(of: "nobody", .succeeded(remoteID: nil, remoteStatus: nil, httpStatus: 200, requestID: nil)) }
            throws: { error in
                let error = error as? PaymentsError
                return error?.kind == .validation && error?.message.contains("there is no call nobody in the journal") == true
            }
        try journal.recordOutcome(of: "once", .succeeded(remoteID: nil, remoteStatus: nil, httpStatus: 200, requestID: nil))
        #expect { try journal.recordOutcome(of: "once", .unknown(PaymentsError(kind: .outcomeUnknown, service: "lumyri",
                                                                               operation: "x", message: "m"))) }
            throws: { error in (error as? PaymentsError)?.message.contains("already has an outcome (succeeded)") == true }
        #expect(try journal.entry(id: "once")?.state == .succeeded, "the first outcome stands")
    }

    // MARK: Redaction

    @Test func everyTextFieldIsRedactedAgainBeforeItIsWritten() throws {
        let path = try Self.scratch() + "/journal.sqlite"
        let journal = Journal(path: path)
        // As if a caller forgot to redact: the journal still keeps no card number, CVV or token.
        var intent = Self.intent("raw", reference: "card 4242424242424242 12/2030",
                                 body: #"{"info":{"cardNumber":"4242424242424242","cvv":"8371","expYear":2030}}"#)
        intent.url = "http://127.0.0.1/lumyri/payments/cards?access_token=lumyri_sandbox_token_abcdef"
        try journal.recordIntent(intent)
        try journal.recordOutcome(of: "raw", .failed(PaymentsError(
            kind: .clientError, service: "lumyri", operation: "lumyri.create_card", status: 400,
            message: "card 4242 4242 4242 4242 refused (cvv: 8371)")))
        let entry = try #require(try journal.entry(id: "raw"))
        #expect(entry.reference == "card 424242******4242 12/2030")
        #expect(entry.body == #"{"info":{"cardNumber":"424242******4242","cvv":"[redacted]","expYear":2030}}"#)
        #expect(!entry.url.contains("lumyri_sandbox_token_abcdef"), "\(entry.url)")
        #expect(entry.errorMessage?.contains("424242******4242") == true && entry.errorMessage?.contains("8371") == false,
                "\(entry.errorMessage ?? "")")
        #expect(try Journal.rawBytes(path).firstRange(of: Array("4242424242424242".utf8)) == nil)
    }

    // MARK: Queries

    /// Six calls an hour apart: three services, two profiles, every state.
    static func filled(_ name: String = #function) throws -> (Journal, Clock) {
        let clock = Clock(start)
        let journal = Journal(path: try scratch(name) + "/journal.sqlite", operatorName: "ada@host", clock: clock.read)
        let calls: [(String, Service, String, String, JournalOutcome?)] = [
            ("c1", .lumanu, "default", "lumanu.create_payout",
             .succeeded(remoteID: "po_1", remoteStatus: "pending", httpStatus: 201, requestID: nil)),
            ("c2", .lumen, "default", "lumen.create_payment_method",
             .failed(PaymentsError(kind: .clientError, service: "lumen", operation: "lumen.create_payment_method", status: 409,
                                   code: "duplicate", message: "exists"))),
            ("c3", .lumyri, "work", "lumyri.pay_invoice",
             .unknown(PaymentsError(kind: .outcomeUnknown, service: "lumyri", operation: "lumyri.pay_invoice", message: "reset"))),
            ("c4", .lumyri, "work", "lumyri.pay_invoice", nil),
            ("c5", .lumyri, "default", "lumyri.create_card",
             .succeeded(remoteID: "card_1", remoteStatus: nil, httpStatus: 201, requestID: nil)),
            ("c6", .lumanu, "work", "lumanu.create_payout",
             .unknown(PaymentsError(kind: .outcomeUnknown, service: "lumanu", operation: "lumanu.create_payout", message: "502"))),
        ]
        for (id, service, profile, operation, outcome) in calls {
            try journal.recordIntent(intent(id, profile: profile, service: service, operation: operation, reference: "ref-" + id))
            if let outcome { try journal.recordOutcome(of: id, outcome) }
            clock.advance(3600)
        }
        return (journal, clock)
    }

    @Test func queriesFilterAndComeNewestFirst() throws {
        let (journal, _) = try Self.filled()
        func ids(_ query: JournalQuery) throws -> [String] { try journal.entries(query).map(\.id) }
        #expect(try ids(JournalQuery()) == ["c6", "c5", "c4", "c3", "c2", "c1"])
        #expect(try ids(JournalQuery(service: .lumyri)) == ["c5", "c4", "c3"])
        #expect(try ids(JournalQuery(profile: "work")) == ["c6", "c4", "c3"])
        #expect(try ids(JournalQuery(state: .unknown)) == ["c6", "c3"])
        #expect(try ids(JournalQuery(state: .pending)) == ["c4"])
        #expect(try ids(JournalQuery(state: .succeeded)) == ["c5", "c1"])
        #expect(try ids(JournalQuery(state: .failed)) == ["c2"])
        #expect(try ids(JournalQuery(state: .unresolved)) == ["c6", "c4", "c3"])
        #expect(try ids(JournalQuery(operation: "lumanu.create_payout")) == ["c6", "c1"])
        #expect(try ids(JournalQuery(reference: "ref-c2")) == ["c2"])
        #expect(try ids(JournalQuery(limit: 2)) == ["c6", "c5"])
        #expect(try ids(JournalQuery(service: .lumyri, profile: "work", state: .unknown)) == ["c3"])
        // since is inclusive, until exclusive: c2 was recorded at start + 1 h, c4 at start + 3 h.
        let since = Self.start.addingTimeInterval(3600), until = Self.start.addingTimeInterval(3 * 3600)
        #expect(try ids(JournalQuery(since: since)) == ["c6", "c5", "c4", "c3", "c2"])
        #expect(try ids(JournalQuery(until: until)) == ["c3", "c2", "c1"])
        #expect(try ids(JournalQuery(since: since, until: until)) == ["c3", "c2"])
        #expect(try journal.count(JournalQuery(service: .lumyri, limit: 1)) == 3, "count ignores the limit")
    }

    // MARK: Unresolved calls

    @Test func unresolvedCallsAreListedOldestFirstUntilResolved() throws {
        let (journal, clock) = try Self.filled()
        #expect(try journal.unresolved().map(\.id) == ["c3", "c4", "c6"])
        let resolvedAt = clock.read()
        try journal.resolve(id: "c3", applied: true, remoteID: "inv_1", note: "invoice is Succeeded")
        try journal.resolve(id: "c4", applied: false)
        #expect(try journal.unresolved().map(\.id) == ["c6"])
        let c3 = try #require(try journal.entry(id: "c3"))
        #expect(c3.state == .unknown && c3.errorMessage == "reset", "the original outcome stays visible")
        #expect(c3.resolution == JournalEntry.Resolution(applied: true, at: resolvedAt, remoteID: "inv_1", note: "invoice is Succeeded"))
        #expect(c3.stateSummary == "unknown (applied)")
        #expect(try journal.entry(id: "c4")?.stateSummary == "pending (not applied)")
        #expect(try journal.entries(JournalQuery(state: .unknown)).map(\.id) == ["c6", "c3"], "a state filter still finds resolved rows")
    }

    @Test func onlyAnOpenQuestionCanBeResolvedAndOnlyOnce() throws {
        let (journal, _) = try Self.filled()
        func refusal(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch { return (error as? PaymentsError)?.message }
        }
        #expect(refusal { try journal.resolve(id: "c1", applied: true) }?.contains("ended succeeded") == true)
        #expect(refusal { try journal.resolve(id: "zz", applied: true) }?.contains("there is no call zz") == true)
        try journal.resolve(id: "c6", applied: false, note: "no payout with that paysh_ref")
        #expect(refusal { try journal.resolve(id: "c6", applied: true) }?.contains("already resolved (not_applied)") == true)
    }

    // MARK: Crashes and several writers

    @Test func anIntentWithoutOutcomeSurvivesTheProcessAsPending() throws {
        let path = try Self.scratch() + "/journal.sqlite"
        do {
            let first = Journal(path: path)
            try first.recordIntent(Self.intent("orphan"))
            // No outcome: the instance goes away as a crashed process's would (see JournalCrashTests for a real kill -9).
        }
        let reopened = Journal(path: path)
        let orphan = try #require(try reopened.unresolved().first)
        #expect(orphan.id == "orphan" && orphan.state == .pending)
    }

    @Test func severalWritersAtOnceAllGetTheirRowsIn() throws {
        let path = try Self.scratch() + "/journal.sqlite"
        let writers = 6, calls = 25
        let failures = Mutex<[String]>([])
        // Each writer is a separate connection to a file that does not exist yet, as separate processes would be.
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            let journal = Journal(path: path)
            for call in 0 ..< calls {
                do {
                    let id = "w\(writer)-\(call)"
                    try journal.recordIntent(Self.intent(id, profile: "w\(writer)"))
                    try journal.recordOutcome(of: id, .succeeded(remoteID: nil, remoteStatus: nil, httpStatus: 200, requestID: nil))
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 }.first ?? "")")
        let reader = Journal(path: path)
        #expect(try reader.count(JournalQuery(state: .succeeded)) == writers * calls)
        #expect(try Journal.integrity(path) == "ok")
    }

    // MARK: Refusals

    @Test func aJournalThatCannotBeWrittenIsAClearValidationError() throws {
        let root = try Self.scratch()
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: root + "/file"))
        let journal = Journal(path: root + "/file/paysh/journal.sqlite")
        #expect { try journal.recordIntent(Self.intent()) } throws: { error in
            guard let error = error as? PaymentsError else { return false }
            return error.kind == .validation && error.service == "journal" && error.operation == "lumyri.pay_invoice"
                && error.message.contains("journal \(root)/file/paysh/journal.sqlite: cannot open it: \(root)/file is not a directory")
                && error.message.hasSuffix("; the call was not sent")
        }
    }

    @Test func aFileThatIsNotAJournalIsNamed() throws {
        let path = try Self.scratch() + "/journal.sqlite"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        #expect { try Journal(path: path).entries() } throws: { error in
            let message = (error as? PaymentsError)?.message ?? ""
            return message.contains(path) && message.contains("not a database")
        }
    }

    @Test func anOutcomeAloneIsCommittedWithoutASyncAndTheFileStaysFull() async throws {
        let journal = Journal(path: try Self.scratch() + "/journal.sqlite", operatorName: "ada@host")
        try await journal.recordIntent(Self.intent("call"))
        let synced = journal.commits.synced, made = journal.commits.made
        #expect(synced == made, "every intent's commit is synced")
        try await journal.recordOutcome(of: "call", .succeeded(remoteID: "r", remoteStatus: nil, httpStatus: 200, requestID: nil))
        #expect(journal.commits.made == made + 1)
        #expect(journal.commits.synced == synced, "the outcome's commit did not wait for a sync")
        #expect(try journal.entry(id: "call")?.state == .succeeded, "yet it is committed")
        let queue = try #require(try journal.database(operation: "test", create: false))
        #expect(try await queue.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2, "the connection is FULL again")
        try await journal.recordIntent(Self.intent("second"))
        #expect(journal.commits.synced == synced + 1, "an intent after it is synced (and takes the outcome to disk with it)")
    }

    @Test func callsInFlightTogetherShareCommitsAndEachIsDurableWhenRecorded() async throws {
        let journal = Journal(path: try Self.scratch() + "/journal.sqlite", operatorName: "ada@host")
        try await journal.recordIntent(Self.intent("first")) // opens and migrates the file
        let ids = (0 ..< 200).map { "call-\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    try await journal.recordIntent(Self.intent(id))
                    #expect(try journal.entry(id: id)?.state == .pending, "on disk when recordIntent returned")
                    try await journal.recordOutcome(of: id, .succeeded(remoteID: "r-" + id, remoteStatus: nil, httpStatus: 200, requestID: nil))
                }
            }
            try await group.waitForAll()
        }
        #expect(try journal.count(JournalQuery(state: .succeeded)) == 200)
        #expect(journal.commits.made < 400, "400 rows in \(journal.commits.made) commits")
        await #expect(throws: PaymentsError.self, "a refused row fails alone") {
            try await journal.recordIntent(Self.intent("call-1"))
        }
        try await journal.recordIntent(Self.intent("after-the-refusal"))
        #expect(try journal.entry(id: "after-the-refusal") != nil)
    }
}

extension Journal {
    /// `PRAGMA integrity_check` through a connection of its own.
    static func integrity(_ path: String) throws -> String? {
        try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
    }

    /// The file's bytes and its write-ahead log's, as they are on disk.
    static func rawBytes(_ path: String) throws -> [UInt8] {
        try [path, path + "-wal"].flatMap { file in
            FileManager.default.fileExists(atPath: file) ? Array(try Data(contentsOf: URL(fileURLWithPath: file))) : []
        }
    }
}
