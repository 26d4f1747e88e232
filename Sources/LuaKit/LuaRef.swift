import CLuaShim
import Glibc
import Synchronization

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
final class RefOwner: Sendable {
    /// The state pointer is dereferenced only under the lock, on the state's own thread.
    private struct Shared: ~Copyable, @unchecked Sendable {
        var L: OpaquePointer?
        var pending: [Int32] = []
    }

    private let shared: Mutex<Shared>
    nonisolated(unsafe) private let thread: pthread_t

    init(_ L: OpaquePointer) {
        shared = Mutex(Shared(L: L))
        thread = pthread_self()
    }

    var onOwnThread: Bool { pthread_equal(pthread_self(), thread) != 0 }

    /// Release `ref` now when on the state's thread, else queue it.
    func release(_ ref: Int32) {
        let here = onOwnThread
        shared.withLock { shared in
            guard let L = shared.L else { return }
            if here {
                luaL_unref(L, luaRegistryIndex, ref) // raw registry writes on existing slots: no allocation, cannot raise
            } else {
                shared.pending.append(ref)
            }
        }
    }

    /// Release the references queued from other threads. Call on the state's thread.
    func drain() {
        shared.withLock { shared in
            guard let L = shared.L, !shared.pending.isEmpty else { return }
            for ref in shared.pending { luaL_unref(L, luaRegistryIndex, ref) }
            shared.pending.removeAll()
        }
    }

    /// The state is closing: later releases do nothing.
    func invalidate() {
        shared.withLock { shared in
            shared.L = nil
            shared.pending.removeAll()
        }
    }
}
