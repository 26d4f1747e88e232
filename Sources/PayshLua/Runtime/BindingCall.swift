import JSON
import LuaJSON
import LuaKit
import PaymentsCore

/// One call of a binding, its arguments checked: what a form's body works with.
struct BindingCall {
    let stack: LuaStack
    let binding: LuaBinding
    let form: LuaForm
    let arguments: [String: JSONValue]
    let runtime: PayshRuntime

    var name: String { binding.qualifiedName }

    /// Where the reader leaves the fields a `strict = false` table added beyond the declaration.
    static let extraKey = "\u{0}strict=false"

    /// Something of the session (a client), its errors raised as `paysh.error` objects.
    func attempt<T>(_ body: (PaymentsSession) throws(PaymentsError) -> T) throws -> T {
        do throws(PaymentsError) { return try body(try runtime.session(for: name)) } catch { throw LuaAPIError(error) }
    }

    func string(_ name: String) -> String? { arguments[name]?.stringValue }

    func integer(_ name: String) -> Int64? {
        if case .integer(let n)? = arguments[name] { return n }
        return nil
    }

    func record(_ name: String) -> JSONObject? {
        if case .object(let object)? = arguments[name] { return object }
        return nil
    }

    /// Run `work` against the session as a task while the calling coroutine
    /// waits, then push what it returned with `push`. Money-moving forms are
    /// confirmed first on a production profile. Every failure is raised as a
    /// `paysh.error` object.
    func perform<T: Sendable>(confirming action: String? = nil,
                              _ work: @escaping @Sendable (PaymentsSession) async throws(PaymentsError) -> T,
                              push: @escaping @Sendable (LuaStack, T) throws -> Int32) throws -> Int32 {
        let session: PaymentsSession
        do throws(PaymentsError) {
            session = try runtime.session(for: name)
            // A batch asked once for all its items.
            if form.effect == .movesMoney, runtime.batchItem(for: stack.L) == nil { try runtime.confirm(name, action ?? "call \(name)") }
        } catch {
            throw LuaAPIError(error)
        }
        let extra = arguments[Self.extraKey]
        let gate = runtime.ledgerGate(for: stack.L)
        return try runtime.scheduler.suspend(stack) {
            do throws(PaymentsError) {
                let outcome = await ServiceConnection.$beforeSending.withValue(gate) {
                    await ServiceConnection.$extraFields.withValue(extra) { () async -> Result<T, PaymentsError> in
                        do throws(PaymentsError) { return .success(try await work(session)) } catch { return .failure(error) }
                    }
                }
                let value = try outcome.get()
                return { stack in try push(stack, value) }
            } catch {
                return { _ in throw LuaAPIError(error) }
            }
        }
    }

    /// `perform` for the common case: one API object pushed as a table in the
    /// API's key order; its id is remembered as one of `kind`.
    func performObject<T: APIObject>(kind: String? = nil, confirming action: String? = nil,
                                     _ work: @escaping @Sendable (PaymentsSession) async throws(PaymentsError) -> T) throws -> Int32 {
        let runtime = self.runtime
        return try perform(confirming: action, work) { stack, object in
            if let kind, let id = object.json["id"]?.stringValue { runtime.remember(id, kind: kind) }
            try pushJSON(.object(object.json), on: stack)
            return 1
        }
    }
}

/// Push a JSON value as `json.decode` would make it; a failure is a plain Lua error.
func pushJSON(_ value: JSONValue, on stack: LuaStack) throws {
    do { try stack.push(json: value) } catch { throw LuaError(message: "cannot make a Lua value of the answer: \(error.message)") }
}
