import Foundation
import JSON
import LuaKit
import PaymentsCore

/// `sandbox.*`: the sandbox's control API, only when the profile talks to the sandbox.
enum SandboxBindings {
    static var bindings: [LuaBinding] {
        [
            binding("reset", [], "Drop everything and load the fixtures again.", "the control API's answer",
                    "sandbox.reset()") { _ in ("POST", "/_sandbox/reset", nil) },
            binding("advance", [LuaParameter("seconds", .integer("seconds", minimum: 1), "how far")],
                    "Move the sandbox clock forward: tokens expire, payouts progress, vendors finish signing up.",
                    "{ now, advancedBySeconds }", "sandbox.advance(3600)") { call in
                // The sandbox keeps its times as Int64 microseconds: a clock moved
                // past the year 292,277 stops it (the fuzzer sent math.maxinteger).
                let seconds = call.integer("seconds")!
                guard seconds <= maximumAdvance else {
                    throw LuaAPIError(PaymentsError(kind: .validation, service: "sandbox", operation: call.name,
                                                    message: "argument #1 (seconds): expected at most \(maximumAdvance) seconds (100 years) at once, got \(seconds)"))
                }
                return ("POST", "/_sandbox/clock/advance", ["seconds": .integer(seconds)])
            },
            binding("stats", [], "What the sandbox has seen: requests per route and status, tokens issued, charges made, faults injected.",
                    "the statistics (a table)", "sandbox.stats().charges_made") { _ in ("GET", "/_sandbox/stats", nil) },
            binding("faults", [LuaParameter("spec", .text("a fault plan"), optional: true, "e.g. \"503:0.5@PUT /lumyri/**\" (docs/sandbox.md); nil clears every fault")],
                    "Replace the fault plan (see docs/sandbox.md), or clear it.", "the plan now in force",
                    #"sandbox.faults("latency=300ms")"#) { call in
                if let spec = call.string("spec") { return ("PUT", "/_sandbox/faults", ["spec": .string(spec)]) }
                return ("DELETE", "/_sandbox/faults", nil)
            },
            binding("issue_invoices", [LuaParameter("count", .integer("a count", minimum: 1), "how many, 1 to 1000")],
                    "Issue new payable (Processing) invoices to the sandbox company.", "{ ids = { ... } }: the new invoices' ids",
                    "sandbox.issue_invoices(5)") { call in
                ("POST", "/_sandbox/lumyri/invoices", ["count": .integer(call.integer("count")!)])
            },
            binding("vendor_signup", [LuaParameter("email", .text("an e-mail address"), "the payee who signs up")],
                    "A payee signs up to Lumanu: their payouts stop waiting (verified 30 sandbox minutes later).", "the vendor",
                    #"sandbox.vendor_signup("ada@example.com")"#) { call in
                ("POST", "/_sandbox/lumanu/vendors/signup", ["email": .string(call.string("email")!)])
            },
            binding("verify_vendor", [LuaParameter("email", .text("an e-mail address"), "the vendor")],
                    "Finish a vendor's onboarding now.", "the vendor", #"sandbox.verify_vendor("ada@example.com")"#) { call in
                ("POST", "/_sandbox/lumanu/vendors/verify", ["email": .string(call.string("email")!)])
            },
            binding("advance_payout", [LuaParameter("id", .id("a payout id"), "the payout"),
                                       LuaParameter("to", .oneOf(["Approved", "Processing", "Paid", "Cancelled", "Failed"], ignoringCase: false),
                                                    optional: true, "the status to move to; one step when nil")],
                    "Move a payout along its life: one step, or to a given status.", "the payout",
                    #"sandbox.advance_payout(p.id, "Paid")"#) { call in
                let path = "/_sandbox/lumanu/payouts/\(PercentEncoding.pathSegment(call.string("id")!))/advance"
                return ("POST", path, call.string("to").map { ["to": .string($0)] } ?? [:])
            },
        ]
    }

    /// The longest `sandbox.advance` moves the clock in one call: 100 years.
    static let maximumAdvance: Int64 = 100 * 365 * 86_400

    typealias Request = (method: String, path: String, body: JSONObject?)

    private static func binding(_ name: String, _ parameters: [LuaParameter], _ summary: String, _ returns: String, _ example: String,
                                request: @escaping @Sendable (BindingCall) throws -> Request) -> LuaBinding {
        LuaBinding(module: "sandbox", name: name, LuaForm(parameters, summary: summary, returns: returns, example: example) { call in
            let root: String
            do throws(PaymentsError) { root = try call.runtime.sandboxRoot(for: call.name) } catch { throw LuaAPIError(error) }
            let (method, path, body) = try request(call)
            let operation = call.name
            return try call.perform({ session throws(PaymentsError) in
                try await send(session, operation: operation, method: method, url: root + path, body: body)
            }) { stack, value in
                try pushJSON(value, on: stack)
                return 1
            }
        })
    }

    private static func send(_ session: PaymentsSession, operation: String, method: String, url: String,
                             body: JSONObject?) async throws(PaymentsError) -> JSONValue {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        var bytes: [UInt8]?
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = try? JSONValue.object(body).encoded()
        }
        let answer = try await session.transport.send(OutgoingRequest(service: "sandbox", operation: operation, method: method, url: url,
                                                                      headers: headers, body: bytes))
        if let error = FailureClassifier.error(status: answer.status, headers: answer.headers, body: answer.body, service: "sandbox",
                                               operation: operation, requestID: answer.requestID,
                                               redact: { ArgumentCheck.oneLine(Redactor.standard.text($0)) }) {
            throw error
        }
        if answer.body.isEmpty { return .bool(true) }
        do {
            return try answer.body.withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) }
        } catch {
            throw PaymentsError(kind: .invalidResponse, service: "sandbox", operation: operation, status: answer.status,
                                message: "the answer is not JSON: \(error)")
        }
    }
}
