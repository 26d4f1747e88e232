import CLuaShim
import Foundation
import LuaKit

/// `help()`: the modules; `help(lumyri)` or `help "lumyri"`: a module's
/// functions; `help(lumyri.pay_invoice)` or `help "lumyri.pay_invoice"`: one
/// function's forms, arguments, effect and example — all from the declarations.
enum Help {
    /// Registry table mapping each binding's Lua function to its qualified name.
    static let functionsKey = "paysh.help.functions"

    /// Note the functions of a module table (at `idx`) so that `help(fn)` knows them.
    static func record(_ bindings: [LuaBinding], moduleAt idx: Int32, on stack: LuaStack) {
        let module = stack.absolute(idx)
        if stack.rawGet(at: luaRegistryIndex, functionsKey) != .table {
            stack.pop()
            stack.newTable()
            stack.pushValue(at: -1)
            stack.rawSet(at: luaRegistryIndex, functionsKey)
        }
        for binding in bindings {
            stack.rawGet(at: module, binding.name)
            stack.push(binding.qualifiedName)
            lua_rawset(stack.L, -3)
        }
        stack.pop()
    }

    static let stdlib: [String: String] = [
        "json": "json.encode(v [, {pretty, sort_keys}]), json.decode(text), json.null, json.array(t), json.object(t), json.number(text) — docs/json.md",
        "inspect": "inspect(v [, {depth, max_items, max_string, color, width}]) → readable text; inspect.pp(...) prints — docs/stdlib.md",
        "pp": "pp(...): print values readably (inspect) — docs/stdlib.md",
        "money": "money(\"174.08\" [, currency]), money.cents(n, cur), + - * / == <, :format(), :cents(), :decimal(), :split(n), :allocate{...} — exact, never floating point — docs/stdlib.md",
        "csv": "csv.read(path [, opts]), csv.parse(text), csv.write(path, rows [, columns]), csv.encode(rows [, columns]) — RFC 4180 — docs/stdlib.md",
    ]

    static func push(runtime: PayshRuntime, on stack: LuaStack) {
        stack.push(function: { frame in
            let text: String
            switch frame.type(at: 1) {
            case .none, .nil:
                text = overview()
            case .string:
                text = try describe(name: frame.toString(at: 1) ?? "")
            case .function:
                guard let name = name(ofFunctionAt: 1, on: frame), let binding = BindingCatalogue.binding(named: name) else {
                    text = "help: this function has no help; help() lists what has\n"
                    break
                }
                text = ReferenceWriter.plain(binding)
            case .table:
                guard let module = BindingCatalogue.modules.first(where: { moduleTable(frame, is: $0.name) }) else {
                    text = "help: this table is not one of paysh's modules; help() lists them\n"
                    break
                }
                text = moduleHelp(module.name)
            default:
                text = "help: expected nothing, a function, a module or a name such as \"lumyri.pay_invoice\"\n"
            }
            luakit_write_stdout(text, text.utf8.count)
            return 0
        })
    }

    /// The qualified name of the binding function at `idx`, from the registry map.
    static func name(ofFunctionAt idx: Int32, on stack: LuaStack) -> String? {
        let function = stack.absolute(idx)
        guard stack.rawGet(at: luaRegistryIndex, functionsKey) == .table else {
            stack.pop()
            return nil
        }
        stack.pushValue(at: function)
        lua_rawget(stack.L, -2)
        defer { stack.pop(2) }
        return stack.toString(at: -1)
    }

    /// Whether the table at 1 is the loaded module `name`.
    private static func moduleTable(_ stack: LuaStack, is name: String) -> Bool {
        stack.rawGet(at: luaRegistryIndex, BuiltinModules.cacheKey)
        defer { stack.pop(2) }
        stack.rawGet(at: -1, name)
        return lua_rawequal(stack.L, -1, 1) != 0
    }

    static func overview() -> String {
        var text = "paysh modules (help \"name\" for more, docs/lua-api.md for everything):\n"
        for (name, summary) in BindingCatalogue.moduleSummaries {
            text += "  " + name.padding(toLength: 9, withPad: " ", startingAt: 0) + summary + "\n"
        }
        for name in ["json", "inspect", "money", "csv"] {
            text += "  " + name.padding(toLength: 9, withPad: " ", startingAt: 0) + (stdlib[name]?.split(separator: "—").first.map(String.init) ?? "") + "\n"
        }
        text += "Try: help(lumyri)   help(lumyri.pay_invoice)   help \"money\"\n"
        return text
    }

    static func moduleHelp(_ module: String) -> String {
        let bindings = BindingCatalogue.modules.first { $0.name == module }?.bindings ?? []
        var text = "\(module): \(BindingCatalogue.moduleSummaries.first { $0.name == module }?.summary ?? "")\n"
        for binding in bindings {
            for form in binding.forms {
                let mark = form.effect == .movesMoney ? "  [moves money]" : form.effect == .change ? "  [changes data]" : ""
                text += "  \(binding.qualifiedName)\(form.signature)\(mark)\n      \(form.summary)\n"
            }
        }
        return text
    }

    static func describe(name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if let binding = BindingCatalogue.binding(named: trimmed) { return ReferenceWriter.plain(binding) }
        if BindingCatalogue.modules.contains(where: { $0.name == trimmed }) { return moduleHelp(trimmed) }
        if let line = stdlib[trimmed] { return trimmed + ": " + line + "\n" }
        let names = BindingCatalogue.all.map(\.qualifiedName)
        if let near = ArgumentReader.nearest(trimmed, in: names) { return "help: no \"\(trimmed)\"; did you mean \"\(near)\"?\n" }
        return "help: no \"\(trimmed)\"; help() lists the modules\n"
    }
}
