import CLuaShim

/// One Lua state, owned by Swift and confined to the thread that created it.
///
/// The state's main thread is reachable as ``stack``. Nothing in LuaKit
/// synchronises access: use a state only from its own thread (registry
/// references dropped elsewhere are queued and released on the next
/// ``drainReleasedReferences()``).
///
/// ```swift
/// let lua = try LuaState()
/// try lua.stack.load("return 1 + 1", name: "=example")
/// try lua.stack.call(nargs: 0, nresults: 1)
/// lua.stack.toInteger(at: -1) // 2
/// ```
public final class LuaState {
    /// The main thread of the state.
    public let L: OpaquePointer
    private let refs: RefOwner

    /// Create a state with LuaKit's allocator; with `openLibraries`, the standard libraries are opened untouched.
    public init(openLibraries: Bool = true) throws {
        _ = Callbacks.installed
        guard let L = luakit_newstate() else { throw LuaError(kind: .memory, message: "cannot create a Lua state") }
        self.L = L
        self.refs = RefOwner(L)
        luakit_set_extra(L, Unmanaged.passUnretained(refs).toOpaque())
        if openLibraries { try self.openLibraries() }
    }

    deinit {
        refs.invalidate()
        luakit_close(L)
    }

    /// The main thread's stack.
    public var stack: LuaStack { LuaStack(L) }

    /// Open Lua's standard libraries (`luaL_openlibs`), untouched.
    public func openLibraries() throws {
        try stack.protected(luakit_op_openlibs, nargs: 0, nresults: 0)
    }

    /// Release registry references whose holders died on other threads.
    public func drainReleasedReferences() { refs.drain() }

    /// Bytes currently held by Lua's allocator for this state.
    public var bytesInUse: Int { luakit_bytes_in_use(L) }

    /// A cap on ``bytesInUse`` (nil, the default: none). Past it, Lua code
    /// that allocates gets Lua's ordinary `not enough memory` error (after a
    /// full collection has failed to make room), which `pcall` can catch;
    /// values Swift pushes still go through, so a Swift function never fails
    /// for it mid-way.
    public var memoryLimit: Int? {
        get {
            let limit = luakit_memory_limit(L)
            return limit == 0 ? nil : limit
        }
        set { luakit_set_memory_limit(L, newValue.map { max(1, $0) } ?? 0) }
    }

    /// Run a full garbage collection.
    public func collectGarbage() { luakit_gc_collect(L) }

    /// The reference bookkeeping of the state that `L` (any of its threads) belongs to.
    static func refOwner(of L: OpaquePointer) -> RefOwner {
        Unmanaged<RefOwner>.fromOpaque(luakit_get_extra(L)!).takeUnretainedValue()
    }

    /// Set the global `name` to a Swift function.
    public func register(_ name: String, _ body: @escaping LuaFunction) throws {
        stack.push(function: body)
        try stack.setGlobal(name)
    }

    /// Compile and run `source`, returning its results converted by the ``LuaValue`` policy.
    @discardableResult
    public func run(_ source: String, name: String = "=(LuaKit)") throws -> [LuaValue] {
        let base = stack.top
        defer { stack.top = base }
        try stack.load(source, name: name)
        try stack.call(nargs: 0)
        return try (base + 1 ..< stack.top + 1).map { try stack.value(at: $0) }
    }
}

/// Lua's version strings, as the linked library reports them.
public enum LuaVersion {
    /// `"Lua 5.4.4  Copyright (C) 1994-2022 Lua.org, PUC-Rio"`.
    public static var copyright: String { String(cString: luakit_copyright()) }
    /// `"Lua 5.4.4"`.
    public static var release: String { String(cString: luakit_version()) }
}
