import CLuaShim

/// An error that came out of Lua, or that Swift raises into Lua.
///
/// A Swift caller of a protected operation gets one of these, never a crash.
/// `message` is the error value as text (bytes decoded leniently); `value`
/// keeps the original error value when it was not a string, so an error
/// object raised by Lua code survives the trip through Swift.
public struct LuaError: Error, CustomStringConvertible, Sendable {
    /// Which Lua status produced the error.
    public enum Kind: Sendable, Equatable {
        case runtime, syntax, memory, errorHandler, file, yieldOutsideCoroutine
        init(status: Int32) {
            switch status {
            case LUA_ERRSYNTAX: self = .syntax
            case LUA_ERRMEM: self = .memory
            case LUA_ERRERR: self = .errorHandler
            case LUA_ERRFILE: self = .file
            default: self = .runtime
            }
        }
    }

    public var kind: Kind
    /// The error message as raw bytes (Lua strings may hold any byte).
    public var messageBytes: [UInt8]
    /// The Lua traceback at the point of the error, when one was recorded.
    public var traceback: String?

    public init(kind: Kind = .runtime, message: String, traceback: String? = nil) {
        self.kind = kind
        self.messageBytes = Array(message.utf8)
        self.traceback = traceback
    }

    public init(kind: Kind, messageBytes: [UInt8], traceback: String?) {
        self.kind = kind
        self.messageBytes = messageBytes
        self.traceback = traceback
    }

    /// The message, decoded as UTF-8 with invalid bytes replaced.
    public var message: String { String(decoding: messageBytes, as: UTF8.self) }

    public var description: String {
        guard let traceback else { return message }
        return message + "\n" + traceback
    }
}

/// A Swift error that knows how to present itself in Lua.
///
/// A function registered with LuaKit that throws one of these has
/// `pushLuaError(on:)` called to produce the value Lua sees (a table with a
/// `__tostring`, say). Any other thrown error becomes its description.
public protocol LuaRaisable: Error {
    /// Push exactly one value: the error as Lua code will catch it.
    func pushLuaError(on stack: LuaStack)
}
