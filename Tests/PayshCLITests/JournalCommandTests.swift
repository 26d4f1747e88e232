import Foundation
import JSON
import PaymentsCore
import Synchronization
import Testing

/// `paysh journal` as a process, reading journals the tests fill through the Swift API.
@Suite struct JournalCommandTests {
    /// 2026-11-01T08:00:00Z.
    static let start = Date(timeIntervalSince1970: 1_793_520_000)

    final class Clock: Sendable {
        let now: Mutex<Date>
        init(_ start: Date) { now = Mutex(start) }
        func set(_ date: Date) { now.withLock { $0 = date } }
        var read: @Sendable () -> Date { { self.now.withLock { $0 } } }
    }

    struct Call {
        var id: String
        var at: Date
        var service: Service = .lumyri
        var profile = "default"
        var operation = "lumyri.pay_invoice"
        var reference: String? = nil
        var outcome: JournalOutcome?
    }

    /// A journal file in a fresh directory holding `calls`.
    static func journal(_ name: String, _ calls: [Call]) throws -> (directory: String, path: String) {
        let directory = try fixtureDirectory("journal-" + name, files: [:])
        let path = directory + "/journal-\(UUID().uuidString.prefix(8)).sqlite"
        let clock = Clock(start)
        let journal = Journal(path: path, operatorName: "ada@host", clock: clock.read)
        for call in calls {
            clock.set(call.at)
            try journal.recordIntent(JournalIntent(
                id: call.id, profile: call.profile, service: call.service, operation: call.operation, method: "PUT",
                url: "http://127.0.0.1:7297/\(call.service.rawValue)/x", idempotencyKey: "key-" + call.id,
                reference: call.reference, body: #"{"n":1}"#, movesMoney: true))
            if let outcome = call.outcome { try journal.recordOutcome(of: call.id, outcome) }
        }
        try journal.close()
        return (directory, path)
    }

    static func hour(_ n: Double) -> Date { start.addingTimeInterval(n * 3600) }

    static let unknown = JournalOutcome.unknown(PaymentsError(kind: .outcomeUnknown, service: "lumyri", operation: "lumyri.pay_invoice",
                                                             message: "the connection closed before an answer"))

    /// Six calls an hour apart, from 08:00 UTC on 2026-11-01.
    static let sample: [Call] = [
        Call(id: "c1", at: hour(0), service: .lumanu, operation: "lumanu.create_payout", reference: "ref-1",
             outcome: .succeeded(remoteID: "po_1", remoteStatus: "pending", httpStatus: 201, requestID: "r1")),
        Call(id: "c2", at: hour(1), service: .lumen, operation: "lumen.create_payment_method", reference: "pm_ext_2",
             outcome: .failed(PaymentsError(kind: .clientError, service: "lumen", operation: "lumen.create_payment_method",
                                            status: 409, code: "duplicate", message: "exists"))),
        Call(id: "c3", at: hour(2), profile: "work", reference: "inv_3", outcome: unknown),
        Call(id: "c4", at: hour(3), profile: "work", reference: "inv_4"),
        Call(id: "c5", at: hour(4), operation: "lumyri.create_card", reference: "4242********4242 12/2099",
             outcome: .succeeded(remoteID: "card_5", remoteStatus: nil, httpStatus: 201, requestID: "r5")),
        Call(id: "c6", at: hour(26), service: .lumanu, profile: "work", operation: "lumanu.create_payout", reference: "ref-6",
             outcome: unknown),
    ]

    static func run(_ arguments: String, journal path: String, in directory: String, timeZone: String = "UTC") throws -> Outcome {
        try runShell(#""$BIN" journal "# + arguments, binary: payshBinary, directory: directory,
                     environment: ["PAYSH_JOURNAL": path, "TZ": timeZone, "USER": "ada"], timeout: 30)
    }

    /// The data lines of the table (no heading, no count).
    static func rows(_ outcome: Outcome) -> [String] {
        Array(outcome.stdout.split(separator: "\n").map(String.init).dropFirst().dropLast())
    }

    @Test func withoutAJournalFileItSaysSoAndSucceeds() throws {
        let directory = try fixtureDirectory("journal-none", files: [:])
        let path = directory + "/nothing-yet.sqlite"
        let table = try Self.run("", journal: path, in: directory)
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout == "no journal yet at \(path): nothing has been recorded\n", "\(table)")
        let json = try Self.run("--json", journal: path, in: directory)
        #expect(json.status == 0 && json.stdout.isEmpty && json.stderr.contains("no journal yet at \(path)"), "\(json)")
        #expect(!FileManager.default.fileExists(atPath: path), "reading creates nothing")
    }

    @Test func theTableListsCallsNewestFirstInLocalTime() throws {
        let (directory, path) = try Self.journal("table", Self.sample)
        let outcome = try Self.run("", journal: path, in: directory, timeZone: "Asia/Tokyo")
        #expect(outcome.status == 0, "\(outcome)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        let heading = try #require(lines.first)
        #expect(heading.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            == "TIME PROFILE OPERATION REFERENCE STATE REMOTE ID RESULT")
        #expect(lines.last == "6 entries")
        let rows = Self.rows(outcome).map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        // Tokyo is UTC+9 all year: 08:00 UTC reads 17:00, 10:00 the next day reads 19:00.
        #expect(rows == [
            "2026-11-02 19:00:00 work lumanu.create_payout ref-6 unknown - outcome_unknown",
            "2026-11-01 21:00:00 default lumyri.create_card 4242********4242 12/2099 succeeded card_5 201",
            "2026-11-01 20:00:00 work lumyri.pay_invoice inv_4 pending - -",
            "2026-11-01 19:00:00 work lumyri.pay_invoice inv_3 unknown - outcome_unknown",
            "2026-11-01 18:00:00 default lumen.create_payment_method pm_ext_2 failed - 409 duplicate",
            "2026-11-01 17:00:00 default lumanu.create_payout ref-1 succeeded po_1 201",
        ], "\(outcome)")
        // Columns line up: every row's state starts where the heading's STATE does.
        let column = try #require(heading.range(of: "STATE")).lowerBound.utf16Offset(in: heading)
        for row in Self.rows(outcome) {
            let cell = row.utf16.dropFirst(column).prefix(7)
            #expect(["unknown", "succeed", "pending", "failed "].contains(String(cell) ?? ""), "\(row)")
        }
        let utc = try Self.run("--limit 1", journal: path, in: directory, timeZone: "UTC")
        #expect(Self.rows(utc).first?.hasPrefix("2026-11-02 10:00:00") == true, "\(utc)")
    }

    @Test(arguments: [
        ("--service lumyri", ["c5", "c4", "c3"]),
        ("--profile work", ["c6", "c4", "c3"]),
        ("--state unresolved", ["c6", "c4", "c3"]),
        ("--state failed", ["c2"]),
        ("--state succeeded --service lumanu", ["c1"]),
        ("--operation lumanu.create_payout", ["c6", "c1"]),
        ("--since 2026-11-01T10:00:00Z", ["c6", "c5", "c4", "c3"]),
        ("--since '2026-11-01 11:00+01:00' --until 2026-11-01T12:00:00Z", ["c4", "c3"]),
        ("--until 2026-11-01", ["c5", "c4", "c3", "c2", "c1"]),
        ("--since 2026-11-02", ["c6"]),
    ])
    func optionsFilterTheCalls(options: String, expected: [String]) throws {
        let (directory, path) = try Self.journal("filters", Self.sample)
        let outcome = try Self.run(options + " --json", journal: path, in: directory)
        #expect(outcome.status == 0, "\(outcome)")
        let ids = try outcome.stdout.split(separator: "\n").map { line in
            try JSONValue(parsing: String(line))["id"]?.stringValue ?? "?"
        }
        #expect(ids == expected, "\(options): \(outcome)")
    }

    @Test func aLimitKeepsTheNewestAndSaysHowManyMatched() throws {
        let (directory, path) = try Self.journal("limit", Self.sample)
        let outcome = try Self.run("--limit 2", journal: path, in: directory)
        #expect(Self.rows(outcome).count == 2 && Self.rows(outcome).first?.contains("ref-6") == true, "\(outcome)")
        #expect(outcome.stdout.hasSuffix("2 of 6 entries (raise --limit to see more)\n"), "\(outcome)")
        let none = try Self.run("--service lumen --state pending", journal: path, in: directory)
        #expect(none.stdout == "0 entries\n", "\(none)")
    }

    @Test func durationsCountBackFromNow() throws {
        let now = Date()
        let (directory, path) = try Self.journal("since", [
            Call(id: "old", at: now.addingTimeInterval(-2 * 86400), reference: "old"),
            Call(id: "recent", at: now.addingTimeInterval(-3600), reference: "recent"),
        ])
        for (since, expected) in [("1d", ["recent"]), ("3d", ["recent", "old"]), ("30m", []), ("1w", ["recent", "old"])] {
            let outcome = try Self.run("--json --since \(since)", journal: path, in: directory)
            let ids = try outcome.stdout.split(separator: "\n").map { try JSONValue(parsing: String($0))["id"]?.stringValue }
            #expect(ids == expected, "--since \(since): \(outcome)")
        }
        let until = try Self.run("--json --until 1d", journal: path, in: directory)
        #expect(until.stdout.split(separator: "\n").count == 1 && until.stdout.contains(#""id":"old""#), "\(until)")
    }

    @Test func jsonLinesCarryEveryField() throws {
        let (directory, path) = try Self.journal("json", Self.sample)
        let outcome = try Self.run("--json --state failed", journal: path, in: directory)
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.count == 1, "one object per line and nothing else: \(outcome)")
        let line = try #require(lines.first)
        let object = try #require(try JSONValue(parsing: String(line)).objectValue)
        #expect(object.keys == [
            "id", "intent_at", "outcome_at", "profile", "operator", "service", "operation", "method", "url", "idempotency_key",
            "reference", "body", "moves_money", "state", "http_status", "remote_id", "remote_status", "error_kind", "error_code",
            "error_message", "request_id", "resolution", "resolved_at", "resolved_remote_id", "resolution_note",
        ])
        #expect(object["id"] == "c2" && object["intent_at"] == "2026-11-01T09:00:00.000Z" && object["operator"] == "ada@host")
        #expect(object["service"] == "lumen" && object["reference"] == "pm_ext_2" && object["body"] == #"{"n":1}"#)
        #expect(object["moves_money"] == true && object["state"] == "failed" && object["http_status"] == 409)
        #expect(object["error_kind"] == "client_error" && object["error_code"] == "duplicate" && object["error_message"] == "exists")
        #expect(object["remote_id"] == .null && object["resolution"] == .null)
    }

    @Test(arguments: [
        ("--since yesterday", "--since 'yesterday' is not a time; expected a duration ago (30m, 12h, 1d, 2w) or a date or time"),
        ("--since 1y", "--since '1y' is not a time"),
        ("--until 2026-13-01", "--until '2026-13-01' is not a time"),
        ("--until 2026-02-30", "--until '2026-02-30' is not a time"),
        ("--since 2026-11-01T25:00Z", "--since '2026-11-01T25:00Z' is not a time"),
        ("--service stripe", "--service 'stripe' is not a service; expected one of lumanu, lumen, lumyri"),
        ("--state done", "--state 'done' is not a state; expected one of pending, succeeded, failed, unknown, unresolved"),
        ("--limit 0", "--limit '0' is not a count; expected a whole number of at least 1"),
        ("--limit many", "--limit 'many' is not a count"),
        ("--since 2026-11-02 --until 2026-11-01T00:00Z", "--until must be later than --since"),
    ])
    func badValuesAreUsageErrorsNamingTheOption(options: String, message: String) throws {
        let (directory, path) = try Self.journal("bad", Self.sample)
        let outcome = try Self.run(options, journal: path, in: directory)
        #expect(outcome.status == 64, "\(outcome)")
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.hasPrefix("paysh journal: " + message), "\(outcome)")
        #expect(outcome.stderr.split(separator: "\n").count == 1, "one line: \(outcome)")
    }

    @Test func anUnknownOptionIsAUsageErrorToo() throws {
        let directory = try fixtureDirectory("journal-unknown-option", files: [:])
        let outcome = try Self.run("--colour blue", journal: directory + "/j.sqlite", in: directory)
        #expect(outcome.status == 64 && outcome.stderr.hasPrefix("paysh journal: ") && outcome.stderr.contains("--colour"), "\(outcome)")
    }

    @Test func aFileThatIsNotAJournalFailsNamingIt() throws {
        let directory = try fixtureDirectory("journal-garbage", files: ["garbage.sqlite": String(repeating: "not sqlite ", count: 500)])
        let outcome = try Self.run("", journal: directory + "/garbage.sqlite", in: directory)
        #expect(outcome.status == 1, "\(outcome)")
        #expect(outcome.stderr.hasPrefix("paysh journal: journal \(directory)/garbage.sqlite: cannot open it: file is not a database"), "\(outcome)")
    }

    @Test func theDefaultFileIsUnderXDGDataHome() throws {
        let directory = try fixtureDirectory("journal-xdg", files: [:])
        let outcome = try runShell(#""$BIN" journal"#, binary: payshBinary, directory: directory,
                                   environment: ["XDG_DATA_HOME": directory + "/data"], timeout: 30)
        #expect(outcome.stdout == "no journal yet at \(directory)/data/paysh/journal.sqlite: nothing has been recorded\n", "\(outcome)")
        let home = try runShell(#""$BIN" journal"#, binary: payshBinary, directory: directory, timeout: 30)
        #expect(home.stdout.contains("no journal yet at \(directory)/.local/share/paysh/journal.sqlite"), "HOME is the directory: \(home)")
    }

    @Test func helpDescribesTheOptions() throws {
        let directory = try fixtureDirectory("journal-help", files: [:])
        let outcome = try Self.run("--help", journal: directory + "/j.sqlite", in: directory)
        #expect(outcome.status == 0)
        for option in ["--since", "--until", "--service", "--profile", "--state", "--operation", "--reference", "--limit", "--json",
                       "PAYSH_JOURNAL", "unresolved"] {
            #expect(outcome.stdout.contains(option), "\(option) in help:\n\(outcome)")
        }
    }

    /// What a process killed in the middle of two invoice payments ten
    /// minutes ago leaves at `path`: two pending intents of profile sandbox,
    /// `paid-call` for an invoice the API has (and the tests pay) and
    /// `lost-call` for one it does not.
    static func crashedPayments(at path: String) throws {
        let tenMinutesAgo = Clock(Date().addingTimeInterval(-600))
        let journal = Journal(path: path, operatorName: "ada@host", clock: tenMinutesAgo.read)
        for (id, invoice) in [("paid-call", "4e872310-58fb-40bf-9494-68731fb3d6b4"), ("lost-call", "no-such-invoice-yet")] {
            try journal.recordIntent(JournalIntent(
                id: id, profile: "sandbox", service: .lumyri, operation: "lumyri.pay_invoice", method: "PUT",
                url: "http://127.0.0.1/lumyri/payments/orders/\(invoice)/pay", idempotencyKey: "k-" + id,
                reference: invoice, body: nil, movesMoney: true))
        }
        try journal.close()
    }

    @Test func reconcileAsksTheSandboxAndRecordsWhatItSays() throws {
        let directory = try fixtureDirectory("journal-reconcile", files: [:])
        let path = directory + "/journal.sqlite"
        try Self.crashedPayments(at: path)
        // The sandbox plays the server the crashed process had reached: the first invoice is paid.
        let snippet = SandboxCommandTests.start + "\n" + #"""
            STATE=$PWD/state.sqlite start_sandbox
            curl -s -o /dev/null -X PUT "$LUMYRI_BASE_URL/payments/orders/4e872310-58fb-40bf-9494-68731fb3d6b4/pay" \
              -H "Authorization: Bearer $LUMYRI_ACCESS_TOKEN"
            "$BIN" journal --reconcile --debug; echo "status $?"
            "$BIN" journal --state unresolved --json
            kill -TERM $SANDBOX; wait $SANDBOX
            """#
        let outcome = try runShell(snippet, binary: payshBinary, directory: directory, environment: ["PAYSH_JOURNAL": path], timeout: 60)
        #expect(outcome.stdout.contains("lumyri.pay_invoice paid-cal (4e872310-58fb-40bf-9494-68731fb3d6b4): applied, remote id "),
                "\(outcome)")
        #expect(outcome.stdout.contains("status 0"))
        #expect(outcome.stdout.contains("2 unresolved calls of profile sandbox looked up"))
        #expect(outcome.stderr.contains("paysh: GET http://127.0.0.1:") && outcome.stderr.contains("[lumyri.invoice, attempt 1"),
                "--debug traces each exchange: \(outcome.stderr)")
        #expect(!outcome.stderr.contains("lumyri_sandbox_token") && !outcome.stdout.contains("lumyri_sandbox_token"))
        let after = Journal(path: path)
        #expect(try after.entry(id: "paid-call")?.resolution?.applied == true)
        #expect(try after.entry(id: "lost-call")?.resolution == nil, "an invoice that cannot be read stays unresolved")
        #expect(outcome.stdout.contains(#""id":"lost-call""#) && !outcome.stdout.contains(#""id":"paid-call""#))
    }

    /// The built-in sandbox profile with no `paysh sandbox` running: the
    /// look-ups go to a sandbox served inside `paysh journal` itself, on the
    /// state a program run keeps (here, the one that paid the invoice).
    @Test func reconcileOnTheBuiltInProfileServesTheSandboxItself() throws {
        let directory = try fixtureDirectory("journal-reconcile-built-in", files: [:])
        let path = directory + "/journal.sqlite"
        let pay = try runShell(#""$BIN" -e 'lumyri.pay_invoice("4e872310-58fb-40bf-9494-68731fb3d6b4")'"#,
                               binary: payshBinary, directory: directory,
                               environment: ["PAYSH_JOURNAL": directory + "/the-program's-journal.sqlite"], timeout: 30)
        #expect(pay.status == 0, "the invoice paid in the built-in sandbox: \(pay)")
        try Self.crashedPayments(at: path)
        let outcome = try Self.run("--reconcile", journal: path, in: directory)
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stdout.contains("lumyri.pay_invoice paid-cal (4e872310-58fb-40bf-9494-68731fb3d6b4): applied, remote id "),
                "\(outcome)")
        #expect(outcome.stdout.contains("2 unresolved calls of profile sandbox looked up"), "\(outcome)")
        #expect(try Journal(path: path).entry(id: "paid-call")?.resolution?.applied == true)
    }
}
