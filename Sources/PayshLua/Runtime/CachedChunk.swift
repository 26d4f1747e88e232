import LuaKit

/// A piece of paysh's own Lua (a batch's driver, `paysh.parallel`'s worker),
/// compiled once per state and kept in the registry.
struct CachedChunk {
    let source: String
    /// Its chunk name in tracebacks: `=(paysh.batch)`.
    let name: String

    /// Push the compiled function.
    func push(on stack: LuaStack) throws {
        let key = "paysh.chunk " + name
        if stack.rawGet(at: luaRegistryIndex, key) == .function { return }
        stack.pop()
        try stack.load(source, name: name)
        stack.pushValue(at: -1)
        stack.rawSet(at: luaRegistryIndex, key)
    }
}
