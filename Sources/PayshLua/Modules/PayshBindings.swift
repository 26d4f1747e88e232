import Foundation
import JSON
import LuaKit
import PaymentsCore

/// `paysh.*`: the profile, confirmation, sleeping, and the journal of this machine.
enum PayshBindings {
    static var bindings: [LuaBinding] {
        [
            LuaBinding(module: "paysh", name: "profile", LuaForm(
                [],
                summary: "The profile in use: its name, whether it is production or the sandbox, which services it configures, and the run's options.",
                returns: "{ name, production, sandbox, services = { lumanu, lumen, lumyri }, dry_run, yes }",
                example: "paysh.profile().name") { call in
                    let profile: ResolvedProfile
                    do throws(PaymentsError) { profile = try call.runtime.profile() } catch { throw LuaAPIError(error) }
                    var services = JSONObject()
                    for service in Service.allCases { services[service.rawValue] = .bool(profile.isConfigured(service)) }
                    let object: JSONObject = [
                        "name": .string(profile.name), "production": .bool(profile.production), "sandbox": .bool(profile.isSandbox),
                        "services": .object(services), "dry_run": .bool(call.runtime.options.dryRun), "yes": .bool(call.runtime.options.yes),
                    ]
                    try pushJSON(.object(object), on: call.stack)
                    return 1
                }),
            LuaBinding(module: "paysh", name: "confirm", LuaForm(
                [LuaParameter("question", .text("a question"), "what to ask, e.g. \"Pay 12 invoices?\"")],
                summary: "Ask the person at the terminal a yes/no question. True with --yes; false when nobody is at the terminal.",
                returns: "true or false",
                example: #"if not paysh.confirm("Pay 12 invoices?") then return end"#) { call in
                    let question = call.string("question")!
                    if call.runtime.options.yes {
                        call.stack.push(true)
                    } else if call.runtime.options.interactive, let yes = TerminalPrompt.confirm(question + " [y/N] ") {
                        call.stack.push(yes)
                    } else {
                        call.stack.push(false)
                    }
                    return 1
                }),
            LuaBinding(module: "paysh", name: "sleep", LuaForm(
                [LuaParameter("seconds", .decimal, "how long; fractions allowed (0.25)")],
                summary: "Wait without blocking other work; Ctrl-C interrupts it.",
                returns: "nothing",
                example: "paysh.sleep(1.5)") { call in
                    let seconds = Double(call.string("seconds")!) ?? 0
                    guard seconds >= 0, seconds <= 86_400 else {
                        throw LuaAPIError(PaymentsError(kind: .validation, service: "paysh", operation: call.name,
                                                        message: "argument #1 (seconds): expected 0 to 86400 seconds, got \(seconds)"))
                    }
                    return try call.runtime.sleep(call.stack, seconds: seconds)
                }),
            LuaBinding(module: "paysh", name: "journal", LuaForm(
                [LuaParameter("filters", .record([
                    LuaField("since", .text(JournalTimeBound.acceptedForms), "calls at or after (\"1h\", \"2026-11-01\")"),
                    LuaField("until", .text(JournalTimeBound.acceptedForms), "calls at or before"),
                    LuaField("service", .oneOf(Service.allCases.map(\.rawValue), ignoringCase: false), "one service"),
                    LuaField("profile", .text("a profile name"), "one profile"),
                    LuaField("state", .oneOf(JournalQuery.StateFilter.allCases.map(\.rawValue), ignoringCase: false), "one state"),
                    LuaField("operation", .text("an operation"), "one operation (\"lumyri.pay_invoice\")"),
                    LuaField("reference", .text("a reference"), "one invoice id, paysh_ref or external id"),
                    LuaField("limit", .integer("a count", minimum: 1), "at most this many, newest first"),
                ]), optional: true, "filters, combined with AND")],
                summary: "The mutating calls this machine made (the journal), newest first.",
                returns: "an array of journal entries (tables)",
                example: #"paysh.journal{since = "1d", service = "lumyri"}"#) { call in
                    let f = call.record("filters") ?? JSONObject()
                    let now = Date()
                    func bound(_ key: String, endOfDay: Bool) throws -> Date? {
                        guard let text = f[key]?.stringValue else { return nil }
                        guard let date = JournalTimeBound.parse(text, now: now, endOfDay: endOfDay) else {
                            throw LuaAPIError(PaymentsError(kind: .validation, service: "paysh", operation: call.name,
                                                            message: "argument #1 (filters): field \"\(key)\": expected \(JournalTimeBound.acceptedForms), got \"\(text)\""))
                        }
                        return date
                    }
                    var query = JournalQuery(since: try bound("since", endOfDay: false), until: try bound("until", endOfDay: true),
                                             service: f["service"]?.stringValue.flatMap(Service.init(rawValue:)), profile: f["profile"]?.stringValue,
                                             state: f["state"]?.stringValue.flatMap(JournalQuery.StateFilter.init(rawValue:)))
                    query.operation = f["operation"]?.stringValue
                    query.reference = f["reference"]?.stringValue
                    if case .integer(let n)? = f["limit"] { query.limit = Int(n) }
                    let entries: [JournalEntry]
                    do throws(PaymentsError) {
                        entries = try Journal(environment: call.runtime.options.environment).entries(query)
                    } catch {
                        throw LuaAPIError(error)
                    }
                    try pushJSON(.array(entries.map { .object($0.json) }), on: call.stack)
                    return 1
                }),
        ]
    }
}
