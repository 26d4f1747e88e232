import LuaKit

/// Every declared binding, by module: the one list that the modules, `help`,
/// completion and `docs/lua-api.md` are all made from.
public enum BindingCatalogue {
    /// What each module is for, in the order help and the reference list them.
    public static let moduleSummaries: [(name: String, summary: String)] = [
        ("lumyri", "Lumyri: invoices, cards, billing information"),
        ("lumen", "Lumen: merchant payments and payment methods"),
        ("lumanu", "Lumanu: creator payouts"),
        ("paysh", "the profile, confirmation, sleeping, tasks run together (spawn, wait, parallel), the journal"),
        ("sandbox", "the local sandbox's controls (only against the sandbox)"),
    ]

    /// The bindings of each module.
    public static let modules: [(name: String, bindings: [LuaBinding])] = [
        ("lumyri", LumyriBindings.bindings),
        ("lumen", LumenBindings.bindings),
        ("lumanu", LumanuBindings.bindings),
        ("paysh", PayshBindings.bindings + TaskBindings.bindings + BatchBindings.bindings + [ReferenceWriter.binding]),
        ("sandbox", SandboxBindings.bindings),
    ]

    /// All bindings, in reference order.
    public static var all: [LuaBinding] { modules.flatMap(\.bindings) }

    /// The binding named `lumyri.pay_invoice`, if any.
    public static func binding(named name: String) -> LuaBinding? {
        all.first { $0.qualifiedName == name }
    }

    /// The binding whose Lua function is at `idx` (under any name the user
    /// gave it), if any. Reads a registry table only; runs no Lua code.
    public static func binding(ofFunctionAt idx: Int32, on stack: LuaStack) -> LuaBinding? {
        Help.name(ofFunctionAt: idx, on: stack).flatMap(binding(named:))
    }
}
