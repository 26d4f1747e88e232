import CLuaShim
import Foundation

/// A registry reference that keeps a Lua value alive for Swift.
///
/// The reference is released when this holder is deinitialised: at once on
/// the state's own thread, or at the state's next `drain` from elsewhere.
/// A reference that outlives its state does nothing.
public final class LuaRef: @unchecked Sendable, Equatable {
    /// The registry slot.
    public let ref: Int32
    let owner: RefOwner

    init(ref: Int32, owner: RefOwner) {
        self.ref = ref
        self.owner = owner
    }

    deinit { owner.release(ref) }

    /// Push the referenced value onto `stack` (which must belong to the same state).
    public func push(on stack: LuaStack) {
        _ = lua_rawgeti(stack.L, luaRegistryIndex, lua_Integer(ref))
    }

    public static func == (a: LuaRef, b: LuaRef) -> Bool { a === b }
}

/// The state's side of its references: who may release them, and when.
final class RefOwner: @unchecked Sendable {
    private let lock = NSLock()
    private var L: OpaquePointer?
    private let thread: pthread_t
    private var pending: [Int32] = []

    init(_ L: OpaquePointer) {
        self.L = L
        self.thread = pthread_self()
    }

    var onOwnThread: Bool { pthread_equal(pthread_self(), thread) != 0 }

    /// Release `ref` now when on the state's thread, else queue it.
    func release(_ ref: Int32) {
        lock.lock()
        defer { lock.unlock() }
        guard let L else { return }
        if onOwnThread {
            luaL_unref(L, luaRegistryIndex, ref) // raw registry writes on existing slots: no allocation, cannot raise
        } else {
            pending.append(ref)
        }
    }

    /// Release the references queued from other threads. Call on the state's thread.
    func drain() {
        lock.lock()
        defer { lock.unlock() }
        guard let L, !pending.isEmpty else { return }
        for ref in pending { luaL_unref(L, luaRegistryIndex, ref) }
        pending.removeAll()
    }

    /// The state is closing: later releases do nothing.
    func invalidate() {
        lock.lock()
        L = nil
        pending.removeAll()
        lock.unlock()
    }
}
