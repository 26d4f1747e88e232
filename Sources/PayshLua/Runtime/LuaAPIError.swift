import LuaKit
import PaymentsCore

/// A ``PaymentsError`` as Lua code catches it: a table with the error's
/// fields (`kind`, `service`, `operation`, `status`, `code`, `message`,
/// `request_id`, `retryable`, `retry_after`) and a metatable named
/// `paysh.error` whose `__tostring` gives the one-line description.
///
/// ```lua
/// local ok, err = pcall(lumyri.pay_invoice, id)
/// if not ok and err.code == "card_declined" then ... end
/// ```
public struct LuaAPIError: LuaRaisable, CustomStringConvertible {
    public let error: PaymentsError

    public init(_ error: PaymentsError) { self.error = error }

    public static let metatableName = "paysh.error"

    public var description: String { error.description }

    public func pushLuaError(on stack: LuaStack) {
        stack.newTable(hash: 9)
        stack.push(error.kind.rawValue)
        stack.rawSet(at: -2, "kind")
        stack.push(error.service)
        stack.rawSet(at: -2, "service")
        stack.push(error.operation)
        stack.rawSet(at: -2, "operation")
        if let status = error.status {
            stack.push(Int64(status))
            stack.rawSet(at: -2, "status")
        }
        if let code = error.code {
            stack.push(code)
            stack.rawSet(at: -2, "code")
        }
        stack.push(error.message)
        stack.rawSet(at: -2, "message")
        if let requestID = error.requestID {
            stack.push(requestID)
            stack.rawSet(at: -2, "request_id")
        }
        stack.push(error.retryable)
        stack.rawSet(at: -2, "retryable")
        if let retryAfter = error.retryAfter {
            stack.push(retryAfter.inSeconds)
            stack.rawSet(at: -2, "retry_after")
        }
        Self.pushMetatable(on: stack)
        stack.setMetatable(at: -2)
    }

    /// The shared metatable: `__name`, and `__tostring` built from the table's own fields
    /// (so an error a script builds or changes prints consistently).
    static func pushMetatable(on stack: LuaStack) {
        if stack.getRegisteredMetatable(metatableName) == .table { return }
        stack.pop()
        stack.newTable(hash: 2)
        stack.push(metatableName)
        stack.rawSet(at: -2, "__name")
        stack.push(function: { frame in
            frame.push(describe(frame, at: 1))
            return 1
        })
        stack.rawSet(at: -2, "__tostring")
        stack.pushValue(at: -1)
        stack.rawSet(at: luaRegistryIndex, metatableName)
    }

    /// The error object at `idx` read back (for the command line's report); nil when it is not one.
    public static func read(_ stack: LuaStack, at idx: Int32) -> PaymentsError? {
        guard stack.type(at: idx) == .table, stack.getMetatable(at: idx) else { return nil }
        let named = stack.rawGet(at: -1, "__name") == .string && stack.toString(at: -1) == metatableName
        stack.pop(2)
        guard named else { return nil }
        func text(_ key: String) -> String? {
            defer { stack.pop() }
            return stack.rawGet(at: idx, key) == .string ? stack.toString(at: -1) : nil
        }
        func integer(_ key: String) -> Int? {
            defer { stack.pop() }
            return stack.rawGet(at: idx, key) == .number ? stack.toInteger(at: -1).map(Int.init) : nil
        }
        return PaymentsError(kind: PaymentsError.Kind(rawValue: text("kind") ?? "") ?? .clientError,
                             service: text("service") ?? "paysh", operation: text("operation") ?? "paysh",
                             status: integer("status"), code: text("code"), message: text("message") ?? "",
                             requestID: text("request_id"))
    }

    private static func describe(_ stack: LuaStack, at idx: Int32) -> String {
        read(stack, at: idx)?.description ?? "paysh.error"
    }
}
