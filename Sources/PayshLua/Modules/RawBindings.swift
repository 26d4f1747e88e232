import JSON
import LuaKit
import PaymentsCore

/// `<service>.get/post/put/delete`: any path of a service, with the same auth,
/// retries, tracing, journal and errors as the wrappers. A raw mutation is
/// never re-sent after an unclear outcome (paysh cannot know how to check
/// it), and it is confirmed on a production profile like a payment.
enum RawBindings {
    static func bindings(for module: String) -> [LuaBinding] {
        let path = LuaParameter("path", .path, "the path below the service's base URL, starting with /")
        return [
            LuaBinding(module: module, name: "get", LuaForm(
                [path, LuaParameter("query", .query, optional: true, "query parameters: strings, numbers or booleans")],
                summary: "GET any \(module) path.",
                returns: "the answer's JSON (a table)",
                example: example(module, "get")) { call in try send(call, method: "GET") }),
            LuaBinding(module: module, name: "post", LuaForm(
                [path, LuaParameter("body", .json, optional: true, "the JSON body")],
                summary: "POST to any \(module) path.",
                returns: "the answer's JSON (a table), or true when it has no body",
                example: example(module, "post"), effect: .movesMoney) { call in try send(call, method: "POST") }),
            LuaBinding(module: module, name: "put", LuaForm(
                [path, LuaParameter("body", .json, optional: true, "the JSON body")],
                summary: "PUT to any \(module) path.",
                returns: "the answer's JSON (a table), or true when it has no body",
                example: example(module, "put"), effect: .movesMoney) { call in try send(call, method: "PUT") }),
            LuaBinding(module: module, name: "delete", LuaForm(
                [path],
                summary: "DELETE any \(module) path.",
                returns: "the answer's JSON (a table), or true when it has no body",
                example: example(module, "delete"), effect: .movesMoney) { call in try send(call, method: "DELETE") }),
        ]
    }

    static func example(_ module: String, _ method: String) -> String {
        switch (module, method) {
        case ("lumyri", "get"): return #"lumyri.get("/payments/orders", {status = "Processing", perPage = 5})"#
        case ("lumen", "get"): return #"lumen.get("/payments", {customerId = "cust_456"})"#
        case ("lumanu", "get"): return #"lumanu.get("/api/rest/payouts", {limit = 5})"#
        case (_, "delete"): return #"\#(module).delete("/some/path/id")"#
        default: return #"\#(module).\#(method)("/some/path", {field = "value"})"#
        }
    }

    static func send(_ call: BindingCall, method: String) throws -> Int32 {
        let path = call.string("path")!
        var query: [(name: String, value: String)] = []
        if case .object(let q)? = call.arguments["query"] {
            for member in q {
                switch member.value {
                case .string(let s): query.append((member.key, s))
                case .integer(let n): query.append((member.key, String(n)))
                case .bool(let b): query.append((member.key, b ? "true" : "false"))
                case .double(let d): query.append((member.key, String(d)))
                case .number(let text): query.append((member.key, text))
                default:
                    throw LuaAPIError(PaymentsError(kind: .validation, service: call.binding.module, operation: call.name,
                                                    message: "argument #2 (query): field \"\(member.key)\": expected a string, number or boolean, got a table"))
                }
            }
        }
        let service = Service(rawValue: call.binding.module)!
        let request = APIRequest(operation: call.name, method: method, path: path, query: query, body: call.arguments["body"],
                                 movesMoney: method != "GET")
        return try call.perform(confirming: "send \(method) \(path)", { session throws(PaymentsError) in
            let connection: ServiceConnection
            switch service {
            case .lumanu: connection = try session.lumanu().connection
            case .lumen: connection = try session.lumen().connection
            case .lumyri: connection = try session.lumyri().connection
            }
            let answer = try await connection.perform(request)
            return answer.body.isEmpty ? JSONValue.bool(true) : try answer.json(service: service, operation: request.operation)
        }) { stack, value in
            try pushJSON(value, on: stack)
            return 1
        }
    }
}
