import Foundation
import Hummingbird
import JSON

/// The control API under `/_sandbox/`: reset, the clock, statistics and
/// faults. (Service-specific controls, such as Lumanu's vendor sign-up, live
/// with their service under `/_sandbox/<service>/`.)
struct ControlAPI {
    let sandbox: Sandbox

    func register(on router: Router<SandboxContext>) {
        let control = router.group("_sandbox")
        control.post("reset") { _, _ in
            try sandbox.reset()
            return JSONResponse.make(["reset": true, "seed": .integer(Int64(bitPattern: sandbox.configuration.seed))])
        }
        control.get("clock") { _, _ in clockView() }
        control.post("clock/advance") { request, _ in
            let body = try await request.jsonBody(for: .control)
            guard let seconds = body["seconds"]?.doubleValue, seconds >= 0, body.objectValue?.count == 1 else {
                throw ServiceError(.control, .badRequest, code: "invalid_request", #"expected {"seconds": N} with N >= 0"#)
            }
            // Times are kept as whole microseconds in 64 bits: a century ahead in all is plenty, and far from overflowing.
            guard sandbox.clock.advancedBy + seconds <= SandboxClock.maximumAdvance else {
                throw ServiceError(.control, .badRequest, code: "invalid_request",
                                   "the clock can be moved at most \(Int(SandboxClock.maximumAdvance)) seconds (100 years) ahead in all; it is \(Int(sandbox.clock.advancedBy)) s ahead")
            }
            sandbox.clock.advance(by: seconds)
            return clockView()
        }
        control.get("stats") { _, _ in
            let counters = sandbox.statistics.snapshot
            let requests = counters.filter { $0.key.hasPrefix("requests ") }.sorted { $0.key < $1.key }
                .map { (String($0.key.dropFirst("requests ".count)), JSONValue.integer(Int64($0.value))) }
            let faults = counters.filter { $0.key.hasPrefix("faults ") }.sorted { $0.key < $1.key }
                .map { (String($0.key.dropFirst("faults ".count)), JSONValue.integer(Int64($0.value))) }
            return JSONResponse.make([
                "requests": .object(JSONObject(requests)),
                "tokens_issued": .integer(Int64(counters["tokens_issued"] ?? 0)),
                "charges_made": .integer(Int64(counters["charges_made"] ?? 0)),
                "faults": .object(JSONObject(faults)),
            ])
        }
        control.get("faults") { _, _ in faultsView() }
        control.put("faults") { request, _ in
            let body = try await request.jsonBody(for: .control)
            guard let spec = body["spec"]?.stringValue, body.objectValue?.count == 1 else {
                throw ServiceError(.control, .badRequest, code: "invalid_request", #"expected {"spec": "KIND[=ARG][:RATE][@ROUTE],..."}"#)
            }
            do { sandbox.faults.plan = try FaultPlan(parsing: spec) } catch {
                throw ServiceError(.control, .badRequest, code: "invalid_fault_spec", "\(error)")
            }
            return faultsView()
        }
        control.delete("faults") { _, _ in
            sandbox.faults.plan = .none
            return faultsView()
        }
    }

    func clockView() -> Response {
        JSONResponse.make([
            "now": .string(SandboxClock.timestamp(sandbox.clock.now)),
            "advancedBySeconds": .double(sandbox.clock.advancedBy),
        ])
    }

    func faultsView() -> Response {
        JSONResponse.make(["spec": .string(sandbox.faults.plan.description)])
    }
}
