import CLuaShim

/// Operations that can run Lua code (metamethods, loaded chunks) or raise.
/// Each runs under `lua_pcall` in the C shim and throws ``LuaError``.
extension LuaStack {
    /// Run a shim operation on the top `nargs` values, leaving `nresults` results.
    func protected(_ op: lua_CFunction, nargs: Int32, nresults: Int32) throws {
        let status = luakit_pcallf(L, op, nargs, nresults)
        if status != LUA_OK { throw popError(status: status, traceback: nil) }
    }

    /// Pop the error value on top into a ``LuaError``.
    func popError(status: Int32, traceback: String?) -> LuaError {
        let bytes: [UInt8]
        if let text = toBytes(at: -1) {
            bytes = text
        } else if type(at: -1) == .number, let s = try? tostringUnchecked(at: -1) {
            bytes = s
        } else if let s = try? tostringUnchecked(at: -1) {
            bytes = s
        } else {
            bytes = Array("(error object is a \(typeName(at: -1)) value)".utf8)
        }
        pop()
        return LuaError(kind: LuaError.Kind(status: status), messageBytes: bytes, traceback: traceback)
    }

    /// `tostring` without recording a second error when it fails.
    private func tostringUnchecked(at idx: Int32) throws -> [UInt8] {
        pushValue(at: idx)
        let status = luakit_pcallf(L, luakit_op_tostring, 1, 1)
        defer { pop() }
        guard status == LUA_OK, let bytes = toBytes(at: -1) else { throw LuaError(message: "tostring failed") }
        return bytes
    }

    /// Call the function below the top `nargs` arguments, as `lua_pcall` would.
    ///
    /// On success leaves `nresults` results (`nil` for all of them). On failure
    /// pops the function and arguments and throws a ``LuaError`` carrying the
    /// error message and the traceback from the point of the error.
    public func call(nargs: Int32, nresults: Int32? = nil) throws {
        let status = luakit_pcall(L, nargs, nresults ?? LUA_MULTRET, LUAKIT_HANDLER_KEEP)
        guard status != LUA_OK else { return }
        luakit_push_last_traceback(L)
        let traceback = toString(at: -1)
        pop()
        throw popError(status: status, traceback: traceback)
    }

    /// Compile a chunk and push it as a function. `name` follows Lua's chunkname rules
    /// (`=stdin`, `@file.lua`); `mode` is "t", "b" or "bt".
    public func load(_ bytes: UnsafeRawBufferPointer, name: String, mode: String = "bt") throws {
        let status = luakit_loadbuffer(L, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count, name, mode)
        if status != LUA_OK { throw popError(status: status, traceback: nil) }
    }

    /// Compile a chunk of Lua source and push it as a function.
    public func load(_ source: String, name: String, mode: String = "bt") throws {
        var source = source
        try source.withUTF8 { try load(UnsafeRawBufferPointer($0), name: name, mode: mode) }
    }

    /// `t[k]` with metamethods: the table is at `idx`, the key on top is replaced by the value.
    public func getTable(at idx: Int32) throws {
        let t = absolute(idx)
        pushValue(at: t)
        insert(at: -2)
        try protected(luakit_op_gettable, nargs: 2, nresults: 1)
    }

    /// Push `t.name` with metamethods; the table is at `idx`.
    public func getField(at idx: Int32, _ name: String) throws {
        let t = absolute(idx)
        push(name)
        try getTable(at: t)
    }

    /// `t[k] = v` with metamethods: the table is at `idx`, key and value on top (both popped).
    public func setTable(at idx: Int32) throws {
        let t = absolute(idx)
        pushValue(at: t)
        insert(at: -3)
        try protected(luakit_op_settable, nargs: 3, nresults: 0)
    }

    /// `t.name = top` with metamethods, popping the value; the table is at `idx`.
    public func setField(at idx: Int32, _ name: String) throws {
        let t = absolute(idx)
        push(name)
        insert(at: -2)
        try setTable(at: t)
    }

    /// Push the global `name` (the global table's `__index` applies).
    public func getGlobal(_ name: String) throws {
        push(name)
        try protected(luakit_op_getglobal, nargs: 1, nresults: 1)
    }

    /// Set the global `name` to the value on top, popping it.
    public func setGlobal(_ name: String) throws {
        push(name)
        insert(at: -2)
        try protected(luakit_op_setglobal, nargs: 2, nresults: 0)
    }

    /// `tostring(v)` for the value at `idx`, honouring `__tostring` and `__name`.
    public func tostring(at idx: Int32) throws -> [UInt8] {
        pushValue(at: idx)
        try protected(luakit_op_tostring, nargs: 1, nresults: 1)
        defer { pop() }
        return toBytes(at: -1) ?? []
    }

    /// A comparison of the values at `a` and `b`, honouring metamethods.
    public enum Comparison { case equal, lessThan, lessOrEqual }

    /// Compare two values as Lua's `==`, `<` or `<=` would.
    public func compare(_ a: Int32, _ b: Int32, _ op: Comparison) throws -> Bool {
        let (x, y) = (absolute(a), absolute(b))
        pushValue(at: x)
        pushValue(at: y)
        switch op {
        case .equal: try protected(luakit_op_equal, nargs: 2, nresults: 1)
        case .lessThan: try protected(luakit_op_lessthan, nargs: 2, nresults: 1)
        case .lessOrEqual: try protected(luakit_op_lessequal, nargs: 2, nresults: 1)
        }
        defer { pop() }
        return toBoolean(at: -1)
    }

    /// Push `#v` for the value at `idx`, honouring `__len`.
    public func length(at idx: Int32) throws {
        pushValue(at: idx)
        try protected(luakit_op_len, nargs: 1, nresults: 1)
    }

    /// `require(name)`, leaving the module's value on the stack.
    public func require(_ name: String) throws {
        push(name)
        try protected(luakit_op_require, nargs: 1, nresults: 1)
    }

    /// Emit a warning through `lua_warning` (shown only when warnings are on, `-W` or `warn("@on")`).
    public func warn(_ message: String) throws {
        push(message)
        try protected(luakit_op_warn, nargs: 1, nresults: 0)
    }
}
