import Foundation
import JSON

/// Everything between a typed client and the wire, for one service: the base
/// URL, authorization (with one refresh after a 401), the `Idempotency-Key`
/// of a mutation, the journal, retries with reconciliation, and `--dry-run`.
///
/// A request's way: ``APIRequest`` → journal intent (mutations, durable) →
/// `Authorization` → ``RetryingSender`` (retry what is safe, reconcile an
/// unknown outcome) → a 401 drops the token and retries once → journal outcome.
public final class ServiceConnection: Sendable {
    /// Where the dry-run `curl` commands go (stdout on the command line).
    public typealias DryRunPrinter = @Sendable (String) -> Void

    public let service: Service
    public let baseURL: String
    public let authorizer: any Authorizer
    public let sender: RetryingSender
    /// The profile's name, for the journal.
    public let profile: String
    public let journal: (any MutationJournal)?
    /// When set, mutations are printed as `curl` commands instead of being sent.
    public let dryRun: DryRunPrinter?

    public init(service: Service, baseURL: String, authorizer: any Authorizer, sender: RetryingSender,
                profile: String = "", journal: (any MutationJournal)? = nil, dryRun: DryRunPrinter? = nil) {
        self.service = service
        self.baseURL = baseURL
        self.authorizer = authorizer
        self.sender = sender
        self.profile = profile
        self.journal = journal
        self.dryRun = dryRun
    }

    var redactor: Redactor { sender.transport.configuration.redactor }

    /// What a look-up after an unknown outcome found.
    /// Merge `extra` into the request: the body's object for a mutation, the query for a read.
    static func add(_ extra: JSONObject, to request: inout APIRequest) {
        if request.isMutation {
            guard case .object(var body) = request.body ?? .object(JSONObject()) else { return }
            for member in extra where body[member.key] == nil { body[member.key] = member.value }
            request.body = .object(body)
        } else {
            for member in extra where !request.query.contains(where: { $0.name == member.key }) {
                switch member.value {
                case .string(let text): request.query.append((member.key, text))
                case .integer(let n): request.query.append((member.key, String(n)))
                case .bool(let b): request.query.append((member.key, b ? "true" : "false"))
                case .number(let text): request.query.append((member.key, text))
                case .double(let d): request.query.append((member.key, String(d)))
                default: continue
                }
            }
        }
    }

    public enum Reconciled: Sendable {
        /// The earlier attempt took effect; this answer (of a read) stands for it.
        case applied(APIAnswer)
        /// It did not; sending again cannot do it twice.
        case notApplied
    }

    /// Perform `request` and return its successful answer, or throw the final ``PaymentsError``.
    ///
    /// - `reconcile`: for a mutation, how to find out whether an attempt whose
    ///   outcome is unknown took effect. Without it, an unknown outcome is
    ///   reported, never re-sent.
    /// - `dryRunAnswer`: the made-up body a mutation returns under `--dry-run`;
    ///   by default the request's body with an `id` of `dry-run-…` and `"dry_run": true`.
    /// Fields a caller asked to send beyond what paysh declares (Lua's
    /// `strict = false`): added to a mutation's JSON object body, or to a
    /// read's query as text, without replacing anything paysh set.
    @TaskLocal public static var extraFields: JSONValue?

    /// What a request must wait for before it leaves, beyond its own journal
    /// intent: a batch sets it to its ledger's record that the item was sent.
    /// The two writes go to disk side by side (the intent is written while
    /// the ledger's commit is on its way), and nothing is sent before both
    /// are there. Its failure fails the call, which then did nothing.
    @TaskLocal public static var beforeSending: SendingGate?

    public func perform(_ request: APIRequest,
                        reconcile: (@Sendable () async throws(PaymentsError) -> Reconciled)? = nil,
                        dryRunAnswer: (@Sendable (APIRequest) -> JSONValue)? = nil) async throws(PaymentsError) -> APIAnswer {
        var request = request
        if case .object(let extra)? = Self.extraFields { Self.add(extra, to: &request) }
        let url = request.url(base: baseURL)
        let idempotencyKey = request.isMutation ? UUID().uuidString.lowercased() : nil
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        let body: [UInt8]?
        if let json = request.body {
            do { body = try json.encoded() } catch {
                throw PaymentsError(kind: .validation, service: service.rawValue, operation: request.operation,
                                    message: "the request body cannot be written as JSON: \(error)")
            }
            headers.append(("Content-Type", "application/json"))
        } else {
            body = nil
        }
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }

        if request.isMutation, let dryRun {
            dryRun(curlCommand(method: request.method, url: url, headers: headers, body: body, operation: request.operation))
            let made = dryRunAnswer?(request) ?? Self.defaultDryRunAnswer(request)
            return APIAnswer(status: 200, body: (try? made.encoded()) ?? Array("{}".utf8), requestID: nil, isDryRun: true)
        }

        var intentID: String?
        if request.isMutation, let journal, let idempotencyKey {
            let id = UUID().uuidString.lowercased()
            try await journal.recordIntent(JournalIntent(
                id: id, profile: profile, service: service, operation: request.operation, method: request.method,
                url: redactor.url(url), idempotencyKey: idempotencyKey, reference: request.reference.map(redactor.text),
                body: body.map { redactor.body($0, contentType: "application/json") }, movesMoney: request.movesMoney))
            intentID = id
        }

        let answer: APIAnswer
        do {
            if let gate = Self.beforeSending { try await gate.wait() }
            answer = try await send(request, url: url, headers: headers, body: body, reconcile: reconcile)
        } catch {
            if let intentID, let journal {
                // If writing the outcome fails, the intent row stays pending: `unresolved()` lists it.
                try? await journal.recordOutcome(of: intentID, error.kind == .outcomeUnknown ? .unknown(error) : .failed(error))
            }
            throw request.isMutation ? Self.sayingItMayHaveTakenEffect(error, journaled: intentID != nil) : error
        }
        if let intentID, let journal {
            // The call took effect: that stands even if the journal cannot say so now. Its row then
            // stays pending, which `unresolved()` lists for reconciliation, and the trace says why.
            let (id, status) = Self.summary(of: answer.body)
            do {
                try await journal.recordOutcome(of: intentID, .succeeded(remoteID: id, remoteStatus: status, httpStatus: answer.status,
                                                                   requestID: answer.requestID))
            } catch {
                sender.transport.configuration.trace?("journal: the outcome of \(request.operation) (call \(intentID)) was not recorded: \(error)")
            }
        }
        return answer
    }

    /// Send with a current authorization on every attempt; after a 401, drop
    /// the token that was refused if it is still current, fetch a fresh one
    /// and try once more — never in a loop.
    private func send(_ request: APIRequest, url: String, headers: [(name: String, value: String)], body: [UInt8]?,
                      reconcile: (@Sendable () async throws(PaymentsError) -> Reconciled)?) async throws(PaymentsError) -> APIAnswer {
        let authorizer = self.authorizer
        var refreshed = false
        while true {
            let lastUsed = Locked<String?>(nil)
            let outgoing = OutgoingRequest(service: service.rawValue, operation: request.operation, method: request.method, url: url,
                                           headers: headers, body: body)
            do {
                let answer = try await sender.send(outgoing, idempotent: !request.isMutation, reconcile: reconcile.map { look in
                    { @Sendable () async throws -> RetryingSender.Reconciliation in
                        switch try await look() {
                        case .applied(let found):
                            return .applied(IncomingAnswer(status: found.status, headers: [], body: found.body,
                                                           requestID: found.requestID ?? "", duration: .zero))
                        case .notApplied:
                            return .notApplied
                        }
                    }
                }, prepare: { outgoing throws(PaymentsError) in
                    let authorization = try await authorizer.authorization()
                    lastUsed.value = authorization
                    outgoing.headers.removeAll { $0.name == "Authorization" }
                    outgoing.headers.append(("Authorization", authorization))
                })
                return APIAnswer(status: answer.status, body: answer.body, requestID: answer.requestID.isEmpty ? nil : answer.requestID)
            } catch {
                guard error.status == 401, !refreshed, let refused = lastUsed.value, await authorizer.rejected(refused) else { throw error }
                refreshed = true // a 401 means the server did nothing: trying again is safe
            }
        }
    }

    /// A mutation's unknown outcome, saying so: a bare "500 internal error"
    /// would read as a failure, when the change may well have been made.
    static func sayingItMayHaveTakenEffect(_ error: PaymentsError, journaled: Bool) -> PaymentsError {
        guard error.kind == .outcomeUnknown, !error.message.contains("may or may not have taken effect") else { return error }
        var said = error
        said.message += "; the call may or may not have taken effect"
            + (journaled ? " (the journal keeps it as unknown: `paysh journal`)" : "")
        return said
    }

    /// The stand-in answer of a dry-run mutation: its body, marked as made up.
    static func defaultDryRunAnswer(_ request: APIRequest) -> JSONValue {
        var object = JSONObject([("id", .string("dry-run-" + UUID().uuidString.lowercased()))])
        if case .object(let sent)? = request.body {
            for member in sent where member.key != "id" { object[member.key] = member.value }
        }
        object["dry_run"] = true
        return .object(object)
    }

    /// The id and status of the object an answer describes: top-level, or inside a
    /// one-key wrapper such as Lumen's `{"paymentMethod": {...}}`.
    static func summary(of body: [UInt8]) -> (id: String?, status: String?) {
        guard var object = (try? body.withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) })?.objectValue
        else { return (nil, nil) }
        if object.count == 1, let inner = object.first?.value.objectValue { object = inner }
        return (object["id"]?.stringValue, object["status"]?.stringValue)
    }

    /// The request as a `curl` command a person can run: the authorization as
    /// a reference to an environment variable (with any lines needed to define
    /// it first), the body redacted.
    func curlCommand(method: String, url: String, headers: [(name: String, value: String)], body: [UInt8]?, operation: String) -> String {
        let auth = authorizer.shellAuthorization
        var lines = ["# \(operation) (dry run: not sent)"] + auth.prelude
        var words = ["curl", "-sS", "-X", method, ShellQuoting.quote(redactor.url(url)),
                     "-H", "\"Authorization: \(auth.headerValue)\""]
        for header in headers { words += ["-H", ShellQuoting.quote("\(header.name): \(header.value)")] }
        if let body {
            let shown = redactor.body(body, contentType: "application/json")
            if shown != String(decoding: body, as: UTF8.self) {
                lines.append("# card data and secrets in the body are masked; put the real values back before running it")
            }
            words += ["--data-raw", ShellQuoting.quote(shown)]
        }
        lines.append(words.joined(separator: " "))
        return lines.joined(separator: "\n")
    }
}

/// Writes on their way to disk that a request waits for before it leaves
/// (``ServiceConnection/beforeSending``); each carries its error, if any.
public struct SendingGate: Sendable {
    public let writes: [Task<PaymentsError?, Never>]

    public init(writes: [Task<PaymentsError?, Never>]) { self.writes = writes }

    /// Wait for every write; the first that failed fails the request.
    func wait() async throws(PaymentsError) {
        for write in writes { if let error = await write.value { throw error } }
    }
}

/// Quoting for a POSIX shell.
public enum ShellQuoting {
    /// `'text'`, with each `'` written as `'\''`.
    public static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
