import ArgumentParser
import Foundation
import JSON
import PaymentsCore
import PayshConfig
import PayshLua
import Sandbox
import Synchronization

/// `paysh journal`: the mutations paysh sent, newest first, as a table or as
/// JSON Lines (docs/journal.md).
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paysh journal",
        abstract: "Show the journal: every call that changes something, and how it ended.",
        discussion: """
            The journal is $PAYSH_JOURNAL, else $XDG_DATA_HOME/paysh/journal.sqlite, else \
            ~/.local/share/paysh/journal.sqlite. Times show in local time. See docs/journal.md.
            """)

    @Option(help: "Calls since then: \(JournalTimeBound.acceptedForms).")
    var since: String?

    @Option(help: "Calls before then, in the same forms (a date alone includes that day).")
    var until: String?

    @Option(help: "Only this service: \(Self.services).")
    var service: String?

    @Option(help: "Only calls made with this profile.")
    var profile: String?

    @Option(help: "Only calls in this state: \(Self.states) (pending or unknown, not resolved since).")
    var state: String?

    @Option(help: "Only this operation, as the Lua API names it (lumyri.pay_invoice).")
    var operation: String?

    @Option(help: "Only calls with this reference (an invoice id, a payout's paysh_ref).")
    var reference: String?

    @Option(help: "Show at most this many calls, the newest.")
    var limit: String = "50"

    @Flag(help: "One JSON object per line, with every field, instead of the table.")
    var json = false

    @Flag(help: ArgumentHelp("Ask the APIs how the unresolved calls of the profile (--profile, else the default) ended, and record it.",
                             discussion: "Only calls at least 5 minutes old: a younger one may still be in flight."))
    var reconcile = false

    @Flag(help: "With --reconcile: trace each HTTP exchange on stderr, redacted.")
    var debug = false

    static let services = Service.allCases.map(\.rawValue).joined(separator: ", ")
    static let states = JournalQuery.StateFilter.allCases.map(\.rawValue).joined(separator: ", ")

    /// A value that cannot be used, said in one line naming the option and what it accepts.
    struct BadValue: Error {
        let message: String
    }

    /// The options as a query, with relative times counted back from `now`.
    func query(now: Date) throws(BadValue) -> JournalQuery {
        var query = JournalQuery(profile: profile, operation: operation, reference: reference)
        func moment(_ option: String, _ text: String?, endOfDay: Bool) throws(BadValue) -> Date? {
            guard let text else { return nil }
            guard let date = JournalTimeBound.parse(text, now: now, endOfDay: endOfDay) else {
                throw BadValue(message: "\(option) '\(text)' is not a time; expected \(JournalTimeBound.acceptedForms)")
            }
            return date
        }
        query.since = try moment("--since", since, endOfDay: false)
        query.until = try moment("--until", until, endOfDay: true)
        if let service {
            guard let known = Service(rawValue: service) else {
                throw BadValue(message: "--service '\(service)' is not a service; expected one of \(Self.services)")
            }
            query.service = known
        }
        if let state {
            guard let known = JournalQuery.StateFilter(rawValue: state) else {
                throw BadValue(message: "--state '\(state)' is not a state; expected one of \(Self.states)")
            }
            query.state = known
        }
        guard let count = Int(limit), count > 0 else {
            throw BadValue(message: "--limit '\(limit)' is not a count; expected a whole number of at least 1")
        }
        query.limit = count
        if let since = query.since, let until = query.until, until <= since {
            throw BadValue(message: "--until must be later than --since")
        }
        return query
    }

    func run() throws {
        if reconcile { return try reconcileUnresolved() }
        let query: JournalQuery
        do { query = try self.query(now: Date()) } catch {
            Console.error("paysh journal: \(error.message)\n")
            throw ExitCode.validationFailure
        }
        let journal = Journal(environment: ProcessInfo.processInfo.environment)
        guard journal.exists else {
            // On stderr with --json, so that a script reading the lines sees none.
            let note = "no journal yet at \(journal.path): nothing has been recorded\n"
            if json { Console.error(note) } else { Console.out(note) }
            return
        }
        do {
            let entries = try journal.entries(query)
            if json {
                for entry in entries { Console.out(try JSONValue.object(entry.json).encodedString() + "\n") }
                return
            }
            let matching = entries.count < (query.limit ?? .max) ? entries.count : try journal.count(query)
            let table = entries.isEmpty ? [] : JournalTable.lines(entries)
            Console.out((table + [Self.countLine(shown: entries.count, matching: matching)]).joined(separator: "\n") + "\n")
        } catch let error as PaymentsError {
            Console.error("paysh journal: \(error.message)\n")
            throw ExitCode.failure
        }
    }

    /// `--reconcile`: look each unresolved call up through the profile's
    /// clients; one line per call. The built-in sandbox profile with no
    /// `paysh sandbox` listening gets the sandbox served in this process, as
    /// the interpreter does, so its calls are looked up in the sandbox's state.
    func reconcileUnresolved() throws {
        let environment = ProcessInfo.processInfo.environment
        let journal = Journal(environment: environment)
        guard journal.exists else {
            Console.out("no journal yet at \(journal.path): nothing to reconcile\n")
            return
        }
        let (flags, debug) = (ProfileFlags(profile: profile), debug)
        let failure = Mutex<PaymentsError?>(nil)
        try blockingRun {
            do throws(PaymentsError) {
                var options = try SessionOptions.commandLine(environment: environment, debug: debug, dryRun: false)
                options.journal = nil // looking up changes nothing
                let (loaded, sandbox) = try await BuiltInSandbox.load(flags, environment: environment)
                for warning in loaded.warnings { Console.error(warning + "\n") }
                let session = PaymentsSession(profile: loaded.profile, options: options)
                do throws(PaymentsError) {
                    let results = try await JournalReconciler(session: session, journal: journal).reconcileUnresolved()
                    for (entry, finding) in results { Console.out(Self.line(entry, finding) + "\n") }
                    Console.out("\(results.count) unresolved \(results.count == 1 ? "call" : "calls") of profile \(loaded.profile.name) looked up\n")
                } catch {
                    failure.withLock { $0 = error }
                }
                await session.shutdown()
                if let sandbox { await sandbox.stop() }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        if let error = failure.withLock({ $0 }) {
            Console.error("paysh journal: \(error)\n")
            throw ExitCode.failure
        }
    }

    /// `lumanu.create_payout 5f0c… (ref-1): applied, remote id 123`
    static func line(_ entry: JournalEntry, _ finding: JournalReconciler.Finding) -> String {
        let head = "\(entry.intent.operation) \(entry.intent.id.prefix(8))" + (entry.intent.reference.map { " (\($0))" } ?? "")
        switch finding {
        case .applied(let id): return head + ": applied" + (id.map { ", remote id \($0)" } ?? "")
        case .notApplied: return head + ": not applied"
        case .undecidable(let why): return head + ": undecided: " + why
        }
    }

    /// `3 entries`, or `50 of 73 entries` when `--limit` cut the list short.
    static func countLine(shown: Int, matching: Int) -> String {
        let noun = matching == 1 ? "entry" : "entries"
        return shown < matching ? "\(shown) of \(matching) \(noun) (raise --limit to see more)" : "\(matching) \(noun)"
    }
}
