import CLuaShim
import LuaKit
import PayshLua

/// Tab completion: what may follow the text before the cursor.
///
/// - a bare word: keywords, the session's locals, globals (paysh's modules
///   included before they are first used);
/// - after `.` and `:`: the fields (or, after `:`, the functions) of the
///   table the path before names — its own keys and those of the tables its
///   metatable's `__index` chain reaches; functions get a `(`;
/// - the first argument of a binding that takes an id: the ids of that kind
///   this session has seen (`lumyri.pay_invoice("` offers invoice ids);
/// - inside a table passed to a binding: the declared field names
///   (`lumanu.create_payout{pay` offers `payee_email = `).
///
/// Completion never runs user code: tables are read raw, an `__index` that is
/// a function is never called, no value's metamethods run. The only code it
/// may run is paysh's own, opening a built-in module the first time its name
/// is completed through.
public struct Completer {
    let stack: LuaStack
    let scope: LocalScope
    let runtime: PayshRuntime

    public init(stack: LuaStack, scope: LocalScope, runtime: PayshRuntime) {
        self.stack = stack
        self.scope = scope
        self.runtime = runtime
    }

    /// At most this many candidates are offered.
    static let limit = 500

    /// The candidates for the text before the cursor, each a whole
    /// replacement of `text[start...]`, and that `start`.
    public func complete(_ text: [UInt8]) -> (start: Int, candidates: [String]) {
        let base = stack.top
        defer { stack.top = base }
        guard stack.ensure(20) else { return (text.count, []) }
        let (context, start) = CompletionContext.at(endOf: text)
        var candidates: [String]
        switch context {
        case .none:
            candidates = []
        case .name(let prefix):
            candidates = names(prefix: prefix)
        case .field(let path, let prefix):
            candidates = fields(of: path, prefix: prefix, functionsOnly: false)
        case .method(let path, let prefix):
            candidates = fields(of: path, prefix: prefix, functionsOnly: true)
        case .argument(let function, let quote, let prefix):
            candidates = ids(for: function, quote: quote, prefix: prefix)
            if candidates.isEmpty, quote == nil { candidates = names(prefix: prefix) }
        case .tableField(let function, let position, let path, let prefix):
            // A declared record takes only its fields; any other table, names as values.
            candidates = tableFields(of: function, position: position, path: path, prefix: prefix) ?? names(prefix: prefix)
        }
        return (start, Array(candidates.prefix(Self.limit)))
    }

    // MARK: Names

    static let keywords = LuaTokens.keywords.sorted()

    /// Keywords, the session's locals and the globals starting with `prefix`.
    private func names(prefix: String) -> [String] {
        var found: [String: Bool] = [:] // name → is a function
        for name in scope.names where scope.pushValue(of: name, on: stack) {
            found[name] = stack.type(at: -1) == .function
            stack.pop()
        }
        stack.pushGlobalTable()
        for (name, isFunction) in keys(ofTableAt: -1, functionsOnly: false) where found[name] == nil { found[name] = isFunction }
        stack.pop()
        for name in BuiltinModules.globals where found[name] == nil { found[name] = name == "pp" || name == "help" }
        let words = found.filter { Self.offered($0.key, for: prefix) }.map { $0.key + ($0.value ? "(" : "") }.sorted()
        return Self.keywords.filter { $0.hasPrefix(prefix) } + words
    }

    /// Names starting with `__` are offered only once the user types `__`.
    private static func offered(_ name: String, for prefix: String) -> Bool {
        name.hasPrefix(prefix) && (!name.hasPrefix("__") || prefix.hasPrefix("__"))
    }

    // MARK: Fields

    private func fields(of path: [CompletionContext.Step], prefix: String, functionsOnly: Bool) -> [String] {
        guard pushValue(of: path) else { return [] }
        var found: [String: Bool] = [:]
        for (name, isFunction) in members(ofValueAt: stack.top, functionsOnly: functionsOnly) where found[name] == nil {
            found[name] = isFunction
        }
        return found.filter { Self.offered($0.key, for: prefix) }.map { $0.key + ($0.value ? "(" : "") }.sorted()
    }

    /// The members of the value at `idx`: a table's own string keys, then
    /// those of every table on its metatable's `__index` chain, and a paysh
    /// object's `__methods`.
    private func members(ofValueAt idx: Int32, functionsOnly: Bool) -> [(String, Bool)] {
        var result: [(String, Bool)] = []
        if stack.type(at: idx) == .table { result += keys(ofTableAt: idx, functionsOnly: functionsOnly) }
        stack.pushValue(at: idx)
        for _ in 0 ..< 8 {
            guard stack.getMetatable(at: -1) else { break }
            if stack.rawGet(at: -1, "__methods") == .table { result += keys(ofTableAt: -1, functionsOnly: functionsOnly) }
            stack.pop()
            guard stack.rawGet(at: -1, "__index") == .table else {
                stack.pop(2)
                break
            }
            stack.remove(at: -2)
            stack.remove(at: -2)
            result += keys(ofTableAt: -1, functionsOnly: functionsOnly)
        }
        stack.top = stack.absolute(idx)
        return result
    }

    /// The identifier keys of the table at `idx` (raw), with whether each holds a function.
    private func keys(ofTableAt idx: Int32, functionsOnly: Bool) -> [(String, Bool)] {
        var result: [(String, Bool)] = []
        stack.forEachRaw(in: idx) {
            guard stack.type(at: -2) == .string, let key = stack.toString(at: -2), Self.isIdentifier(key) else { return }
            let isFunction = stack.type(at: -1) == .function
            if isFunction || !functionsOnly { result.append((key, isFunction)) }
        }
        return result
    }

    static func isIdentifier(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard let first = bytes.first, LuaTokens.isWordStart(first) else { return false }
        return bytes.allSatisfy(LuaTokens.isWordByte) && !LuaTokens.keywords.contains(key)
    }

    /// Push the value `path` names and return true, or push nothing.
    private func pushValue(of path: [CompletionContext.Step]) -> Bool {
        guard case .name(let root)? = path.first else { return false }
        let base = stack.top
        if !scope.pushValue(of: root, on: stack) {
            stack.pushGlobalTable()
            let found = stack.rawGet(at: -1, root) != .nil
            stack.remove(at: -2)
            if !found {
                stack.pop()
                guard BuiltinModules.globals.contains(root), (try? BuiltinModules.pushModule(root, on: stack, runtime: runtime)) == true else {
                    stack.top = base
                    return false
                }
            }
        }
        for step in path.dropFirst() {
            guard lookUp(step) else {
                stack.top = base
                return false
            }
        }
        return true
    }

    /// Replace the value on top by its member `step`, raw, following `__index`
    /// tables (never functions) and paysh objects' `__methods`; false when
    /// there is no such member (the stack is then left at the value).
    private func lookUp(_ step: CompletionContext.Step) -> Bool {
        let holder = stack.top
        stack.pushValue(at: holder) // the table searched now
        for _ in 0 ..< 8 {
            if stack.type(at: -1) == .table {
                if rawGet(step, at: -1) != .nil { return keepTop(at: holder) }
                stack.pop()
            }
            guard stack.getMetatable(at: -1) else { break }
            if stack.rawGet(at: -1, "__methods") == .table {
                if rawGet(step, at: -1) != .nil { return keepTop(at: holder) }
                stack.pop()
            }
            stack.pop()
            guard stack.rawGet(at: -1, "__index") == .table else { break }
            stack.remove(at: -2)
            stack.remove(at: -2)
        }
        stack.top = holder
        return false
    }

    /// Put the value on top at `holder`, dropping everything above.
    private func keepTop(at holder: Int32) -> Bool {
        lua_copy(stack.L, -1, holder)
        stack.top = holder
        return true
    }

    private func rawGet(_ step: CompletionContext.Step, at idx: Int32) -> LuaType {
        switch step {
        case .name(let key), .key(let key): return stack.rawGet(at: idx, key)
        case .index(let n): return stack.rawGet(at: idx, index: n)
        }
    }

    // MARK: Arguments

    /// The binding a path names: by its function (any alias), else by its name.
    private func binding(_ path: [CompletionContext.Step]) -> LuaBinding? {
        if pushValue(of: path) {
            defer { stack.pop() }
            if stack.type(at: -1) == .function, let binding = BindingCatalogue.binding(ofFunctionAt: -1, on: stack) { return binding }
        }
        let names = path.compactMap { step -> String? in if case .name(let n) = step { return n } else { return nil } }
        guard names.count == path.count else { return nil }
        return BindingCatalogue.binding(named: names.joined(separator: "."))
    }

    /// Ids of the kind `function`'s first argument takes, newest first, as
    /// string literals (completing the one already open when `quote` is set).
    private func ids(for function: [CompletionContext.Step], quote: UInt8?, prefix: String) -> [String] {
        guard let binding = binding(function),
              let kind = binding.forms.lazy.compactMap({ $0.parameters.first?.type.idKind }).first,
              let seen = runtime.seenIDs[kind] else { return [] }
        let close = quote.map { String(UnicodeScalar($0)) } ?? "\""
        return seen.reversed().filter { $0.hasPrefix(prefix) }.map { (quote == nil ? "\"" : "") + $0 + close }
    }

    /// Field names (with ` = `) of the table `function` takes as argument
    /// `position`, inside the nested fields `path`.
    /// Nil when the table is not a declared record.
    private func tableFields(of function: [CompletionContext.Step], position: Int, path: [String], prefix: String) -> [String]? {
        guard let binding = binding(function) else { return nil }
        for form in binding.forms where position < form.parameters.count {
            var fields = form.parameters[position].type.fields
            for name in path { fields = fields.first { $0.name == name }?.type.fields ?? [] }
            if !fields.isEmpty { return fields.map(\.name).filter { $0.hasPrefix(prefix) }.map { $0 + " = " } }
        }
        return nil
    }
}
