import CLuaShim

/// A Swift function callable from Lua.
///
/// It receives the calling thread's stack, whose slots 1...top hold the
/// arguments, pushes its results and returns how many it pushed. A thrown
/// error becomes a Lua error, raised by the C trampoline after this Swift
/// frame has returned (a ``LuaRaisable`` pushes its own error value; any
/// other error becomes its description as a string).
public typealias LuaFunction = (LuaStack) throws -> Int32

/// What a Swift function can ask of the trampoline besides returning results.
public enum LuaFunctionOutcome {
    /// Return `n` values from the top of the stack.
    case results(Int32)
    /// Yield `n` values from the top of the stack (only inside a coroutine).
    case yield(Int32)

    /// The code the C trampoline understands.
    public var code: Int32 {
        switch self {
        case .results(let n): return n
        case .yield(let n): return LUAKIT_YIELD_BASE - n
        }
    }
}

/// Holds a Swift function for the lifetime of the Lua closure that calls it.
final class FunctionBox {
    let body: LuaFunction
    init(_ body: @escaping LuaFunction) { self.body = body }
}

/// The two entry points the C shim calls into Swift. Installed once.
enum Callbacks {
    static let installed: Bool = {
        luakit_set_callbacks(dispatch, release)
        return true
    }()

    /// Run a Swift function for the trampoline; never lets a Swift error escape.
    static let dispatch: luakit_dispatch_fn = { L, box in
        let function = Unmanaged<FunctionBox>.fromOpaque(box!).takeUnretainedValue()
        let stack = LuaStack(L!)
        do {
            return try function.body(stack)
        } catch {
            stack.pushError(error)
            return LUAKIT_RAISE
        }
    }

    /// Drop the reference a userdata held on a Swift object (from `__gc` or `lua_close`).
    static let release: luakit_release_fn = { box in
        Unmanaged<AnyObject>.fromOpaque(box!).release()
    }
}

extension LuaStack {
    /// Push a Lua function that calls `body`. The Swift closure lives as long as the Lua function.
    public func push(function body: @escaping LuaFunction) {
        _ = Callbacks.installed
        luakit_push_function(L, Unmanaged.passRetained(FunctionBox(body)).toOpaque())
    }

    /// Push the Lua value a thrown Swift error stands for.
    public func pushError(_ error: Error) {
        if let raisable = error as? LuaRaisable {
            let before = top
            raisable.pushLuaError(on: self)
            if top != before + 1 {
                top = before
                push(String(describing: error))
            }
        } else if let luaError = error as? LuaError {
            push(bytes: luaError.messageBytes)
        } else {
            push(String(describing: error))
        }
    }

    /// Number of arguments a Swift function was called with.
    public var argumentCount: Int32 { top }
}

/// An argument error in the wording of Lua's own `luaL_argerror`:
/// `bad argument #1 to 'f' (number expected, got nil)`.
public struct LuaArgumentError: Error, CustomStringConvertible {
    public let position: Int32
    public let function: String
    public let problem: String

    public init(position: Int32, function: String, problem: String) {
        self.position = position
        self.function = function
        self.problem = problem
    }

    public var description: String { "bad argument #\(position) to '\(function)' (\(problem))" }
}

extension LuaStack {
    /// The integer argument at `position`, or an argument error naming `function`.
    public func integerArgument(_ position: Int32, of function: String) throws -> Int64 {
        if let value = toInteger(at: position) { return value }
        throw LuaArgumentError(position: position, function: function,
                               problem: "integer expected, got \(argumentTypeName(position))")
    }

    /// The string argument (bytes) at `position`, or an argument error naming `function`.
    public func bytesArgument(_ position: Int32, of function: String) throws -> [UInt8] {
        if let value = toBytes(at: position) { return value }
        throw LuaArgumentError(position: position, function: function,
                               problem: "string expected, got \(argumentTypeName(position))")
    }

    /// Type name as Lua's argument errors print it ("no value" past the top).
    public func argumentTypeName(_ position: Int32) -> String {
        type(at: position) == .none ? "no value" : typeName(at: position)
    }
}
