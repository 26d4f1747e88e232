import CLuaShim

/// Swift objects as Lua userdata.
///
/// The userdata holds one retained reference to the object; its metatable's
/// `__gc` releases it, so the object is deinitialised once Lua has collected
/// the last userdata for it (or when the state closes).
extension LuaStack {
    /// Push `object` as a full userdata with the metatable registered as `metatable`.
    public func push(object: AnyObject, metatable: String) {
        _ = Callbacks.installed
        luakit_push_object(L, Unmanaged.passRetained(object).toOpaque(), metatable)
    }

    /// The Swift object behind the userdata at `idx`, when it is a LuaKit userdata of type `T`.
    public func toObject<T: AnyObject>(at idx: Int32, as _: T.Type = T.self) -> T? {
        guard let raw = luakit_to_object(L, idx) else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(raw).takeUnretainedValue() as? T
    }

    /// Create (or complete) the metatable `name` for Swift objects.
    ///
    /// `methods` are reachable as `obj:name(...)` through `__index`;
    /// `metamethods` (`__tostring`, `__len`, `__call`, ...) are set directly.
    /// `__gc` is LuaKit's own and cannot be replaced.
    public func defineMetatable(_ name: String, methods: [String: LuaFunction] = [:],
                                metamethods: [String: LuaFunction] = [:]) {
        luakit_object_metatable(L, name)
        if !methods.isEmpty {
            newTable(hash: Int32(methods.count))
            for (key, body) in methods.sorted(by: { $0.key < $1.key }) {
                push(function: body)
                rawSet(at: -2, key)
            }
            rawSet(at: -2, "__index")
        }
        for (key, body) in metamethods.sorted(by: { $0.key < $1.key }) where key != "__gc" {
            push(function: body)
            rawSet(at: -2, key)
        }
        pop()
    }
}
