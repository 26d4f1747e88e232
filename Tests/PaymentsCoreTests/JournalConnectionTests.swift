import Foundation
import GRDB
import JSON
import PaymentsCore
import Sandbox
import Synchronization
import Testing

/// The journal as a `ServiceConnection` writes it, for real mutations against the sandbox.
@Suite struct JournalConnectionTests {
    /// Payable in the fixtures (Processing, the company has a default card).
    static let invoice = "4e872310-58fb-40bf-9494-68731fb3d6b4"

    static func pay(_ invoice: String = invoice) -> APIRequest {
        APIRequest(operation: "lumyri.pay_invoice", method: "PUT", path: "/payments/orders/\(invoice)/pay", movesMoney: true,
                   reference: invoice)
    }

    /// Run `body` with a sandbox (with `faults`), a Lumyri connection journaling into `path`, and that journal.
    static func withConnection<T>(faults: String? = nil, journalAt path: String,
                                  _ body: (RunningSandbox, ServiceConnection, Journal) async throws -> T) async throws -> T {
        try await RetryingSenderTests.withSender(faults: faults) { sandbox, sender in
            let journal = Journal(path: path, operatorName: "tester@host")
            let connection = ServiceConnection(
                service: .lumyri, baseURL: sandbox.endpoints.lumyriBaseURL,
                authorizer: StaticBearer(secret: SandboxCredentials.lumyriAccessToken, environmentName: "LUMYRI_ACCESS_TOKEN"),
                sender: sender, profile: "sandbox", journal: journal)
            return try await body(sandbox, connection, journal)
        }
    }

    static func invoiceStatus(_ sandbox: RunningSandbox, _ id: String = invoice) throws -> String? {
        try sandbox.sandbox.store.read { db in try db.object(.lumyri, "invoice", id: id)?.body["status"]?.stringValue }
    }

    @Test func payingAnInvoiceRecordsItsSuccessAndPayingAgainItsFailure() async throws {
        let path = try JournalTests.scratch() + "/journal.sqlite"
        try await Self.withConnection(journalAt: path) { sandbox, connection, journal in
            let answer = try await connection.perform(Self.pay())
            #expect(answer.status == 200)
            let paid = try #require(try journal.entries().first)
            #expect(paid.state == .succeeded && paid.remoteID == Self.invoice && paid.remoteStatus == "Succeeded")
            #expect(paid.httpStatus == 200 && paid.requestID == answer.requestID && paid.requestID != nil)
            #expect(paid.profile == "sandbox" && paid.operatorName == "tester@host" && paid.service == .lumyri)
            #expect(paid.operation == "lumyri.pay_invoice" && paid.method == "PUT" && paid.movesMoney)
            #expect(paid.url == sandbox.endpoints.lumyriBaseURL + "/payments/orders/\(Self.invoice)/pay")
            #expect(paid.reference == Self.invoice && paid.body == nil && paid.idempotencyKey.count == 36)
            #expect(paid.outcomeAt.map { $0 >= paid.intentAt } == true)

            await #expect(throws: PaymentsError.self) { _ = try await connection.perform(Self.pay()) }
            let entries = try journal.entries()
            #expect(entries.count == 2)
            let again = try #require(entries.first)
            #expect(again.id != paid.id && again.idempotencyKey != paid.idempotencyKey)
            #expect(again.state == .failed && again.httpStatus == 409 && again.errorKind == .clientError)
            #expect(again.errorMessage?.contains("is already paid") == true, "\(again)")
            #expect(again.errorCode == "Conflict" && again.requestID != nil, "NestJS's error names the status: \(again)")
            #expect(again.remoteID == nil && !again.isUnresolved)
        }
    }

    @Test func aDroppedAnswerWithoutReconciliationIsUnknownUntilResolved() async throws {
        let path = try JournalTests.scratch() + "/journal.sqlite"
        try await Self.withConnection(faults: "drop-after@PUT /lumyri/payments/orders/*/pay", journalAt: path) { sandbox, connection, journal in
            await #expect { _ = try await connection.perform(Self.pay()) } throws: { error in
                (error as? PaymentsError)?.kind == .outcomeUnknown
            }
            let entry = try #require(try journal.unresolved().first)
            #expect(entry.state == .unknown && entry.errorKind == .outcomeUnknown && entry.reference == Self.invoice)
            #expect(entry.outcomeAt != nil && entry.remoteID == nil)

            // What reconciliation does: look at the invoice, record the finding.
            #expect(try Self.invoiceStatus(sandbox) == "Succeeded", "drop-after commits before closing the connection")
            try journal.resolve(id: entry.id, applied: true, remoteID: Self.invoice, note: "the invoice is Succeeded")
            #expect(try journal.unresolved().isEmpty)
            #expect(try journal.entry(id: entry.id)?.state == .unknown, "the original outcome stays")
        }
    }

    @Test func aCreatedCardIsJournaledWithItsNumberMaskedAndNoCVV() async throws {
        let path = try JournalTests.scratch() + "/journal.sqlite"
        try await Self.withConnection(journalAt: path) { _, connection, journal in
            let body = try JSONValue(parsing: #"""
                {"addressInfo": {"firstName": "Ada", "country": "UK"},
                 "info": {"cardName": "Ada Lovelace", "cardNumber": "4242424242424242", "expMonth": 12, "expYear": 2099,
                          "cvv": "8371", "country": "USA"}}
                """#)
            let request = APIRequest(operation: "lumyri.create_card", method: "POST", path: "/payments/cards", body: body,
                                     movesMoney: true, reference: "4242********4242 12/2099")
            let answer = try await connection.perform(request)
            #expect(answer.status == 201)
            let entry = try #require(try journal.entries().first)
            #expect(entry.state == .succeeded && entry.httpStatus == 201 && entry.remoteID != nil)
            let stored = try #require(entry.body)
            #expect(stored.contains(#""cardNumber":"424242******4242""#), "\(stored)")
            #expect(stored.contains(#""cvv":"[redacted]""#) && !stored.contains("8371"), "\(stored)")
            #expect(stored.contains(#""cardName":"Ada Lovelace""#), "the rest of the body is kept: \(stored)")
            let bytes = try Journal.rawBytes(path)
            #expect(!bytes.isEmpty)
            #expect(bytes.firstRange(of: Array("4242424242424242".utf8)) == nil, "the full number is nowhere in the file or its log")
        }
    }

    @Test func theIntentIsOnDiskBeforeTheRequestReachesTheServer() async throws {
        let path = try JournalTests.scratch() + "/journal.sqlite"
        // The sandbox holds the request 2.5 s before handling it: the call is in flight all that time.
        try await Self.withConnection(faults: "latency=2500@PUT /lumyri/payments/orders/*/pay", journalAt: path) { sandbox, connection, journal in
            let finished = Atomic<Bool>(false)
            let call = Task {
                defer { finished.store(true, ordering: .sequentiallyConsistent) }
                return try await connection.perform(Self.pay())
            }
            // Wait until the sandbox has the request: it has left paysh.
            while sandbox.sandbox.statistics.snapshot["faults latency"] == nil {
                try await Task.sleep(for: .milliseconds(10))
            }
            // Another connection, as another process would open it.
            var configuration = Configuration()
            configuration.readonly = true
            let reader = try DatabaseQueue(path: path, configuration: configuration)
            let row = try reader.read { db in
                try Row.fetchOne(db, sql: "SELECT state, reference, outcome_at FROM mutation")
            }
            let inFlight = !finished.load(ordering: .sequentiallyConsistent)
            #expect(inFlight, "the call was still in flight when the row was read")
            #expect(row?["state"] == "pending" && row?["reference"] == Self.invoice, "\(String(describing: row))")
            #expect(row?["outcome_at"] == nil as String?)
            #expect(try Self.invoiceStatus(sandbox) == "Processing", "nothing was charged yet")
            try reader.close()

            _ = try await call.value
            #expect(try journal.entries().first?.state == .succeeded)
        }
    }

    @Test func aJournalThatCannotBeWrittenStopsTheCallBeforeItIsSent() async throws {
        let root = try JournalTests.scratch()
        try Data("a file, not a directory".utf8).write(to: URL(fileURLWithPath: root + "/blocker"))
        try await Self.withConnection(journalAt: root + "/blocker/journal.sqlite") { sandbox, connection, _ in
            await #expect { _ = try await connection.perform(Self.pay()) } throws: { error in
                let error = error as? PaymentsError
                return error?.kind == .validation && error?.service == "journal" && error?.message.contains("not sent") == true
            }
            let sent = sandbox.sandbox.statistics.snapshot.keys.filter { $0.hasPrefix("requests PUT") }
            #expect(sent.isEmpty, "nothing reached the sandbox")
            let status = try Self.invoiceStatus(sandbox)
            #expect(status == "Processing")
        }
    }

    @Test func readsAreNotJournaled() async throws {
        let path = try JournalTests.scratch() + "/journal.sqlite"
        try await Self.withConnection(journalAt: path) { _, connection, journal in
            let answer = try await connection.perform(APIRequest(operation: "lumyri.invoice", method: "GET",
                                                                 path: "/payments/orders/\(Self.invoice)"))
            #expect(answer.status == 200)
            #expect(!journal.exists, "a run that only reads leaves no journal file")
        }
    }
}
