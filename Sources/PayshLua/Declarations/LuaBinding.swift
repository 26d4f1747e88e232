import LuaKit

/// One Lua function of paysh's modules, declared once: its name, its forms
/// (argument lists), what each does, an example and its effect. The same
/// declaration drives the binding's argument checks, `help()`, REPL
/// completion and the generated `docs/lua-api.md`.
public struct LuaBinding: Sendable {
    /// `lumyri`, `lumen`, `lumanu`, `paysh`, `sandbox`.
    public let module: String
    /// `pay_invoice`.
    public let name: String
    /// The ways to call it; a call picks its form by the type of its first argument.
    public let forms: [LuaForm]

    public init(module: String, name: String, forms: [LuaForm]) {
        self.module = module
        self.name = name
        self.forms = forms
    }

    public init(module: String, name: String, _ form: LuaForm) {
        self.init(module: module, name: name, forms: [form])
    }

    /// `lumyri.pay_invoice`.
    public var qualifiedName: String { module + "." + name }

    /// The strongest effect of any form (what `help` and the docs flag).
    public var effect: LuaEffect { forms.map(\.effect).max() ?? .read }
}

/// What calling a form does to the world.
public enum LuaEffect: Int, Sendable, Comparable {
    /// Reads, or nothing beyond the process.
    case read
    /// Changes something on the server (a payment method, billing details).
    case change
    /// Moves money or changes how money moves: confirmed on a production profile.
    case movesMoney

    public static func < (a: LuaEffect, b: LuaEffect) -> Bool { a.rawValue < b.rawValue }

    /// How the docs and `help` name it.
    public var label: String {
        switch self {
        case .read: return "reads"
        case .change: return "changes data"
        case .movesMoney: return "moves money"
        }
    }
}

/// One argument list of a binding, with its documentation and its body.
public struct LuaForm: Sendable {
    public let parameters: [LuaParameter]
    /// One sentence: what the call does.
    public let summary: String
    /// What comes back: `the invoice (a table)`.
    public let returns: String
    /// A line a person can type.
    public let example: String
    public let effect: LuaEffect
    /// The last parameter may be repeated (`paysh.wait(task, ...)`).
    public let variadic: Bool
    /// Runs with checked arguments; returns the result count or a scheduler code.
    let body: @Sendable (BindingCall) throws -> Int32

    init(_ parameters: [LuaParameter], summary: String, returns: String, example: String,
         effect: LuaEffect = .read, variadic: Bool = false, body: @escaping @Sendable (BindingCall) throws -> Int32) {
        self.parameters = parameters
        self.summary = summary
        self.returns = returns
        self.example = example
        self.effect = effect
        self.variadic = variadic
        self.body = body
    }

    /// `(id)`, `{ payee_email, amount, description, ... }`, `([filters])`.
    public var signature: String {
        if parameters.count == 1, case .record = parameters[0].type, !parameters[0].optional {
            return parameters[0].type.fieldSummary
        }
        let names = parameters.map { $0.optional ? "[\($0.name)]" : $0.name } + (variadic ? ["..."] : [])
        return "(" + names.joined(separator: ", ") + ")"
    }
}

/// One positional argument of a form.
public struct LuaParameter: Sendable {
    public let name: String
    public let type: ArgumentType
    public let optional: Bool
    public let doc: String

    public init(_ name: String, _ type: ArgumentType, optional: Bool = false, _ doc: String) {
        self.name = name
        self.type = type
        self.optional = optional
        self.doc = doc
    }
}

/// One field of a table argument.
public struct LuaField: Sendable {
    public let name: String
    public let type: ArgumentType
    public let required: Bool
    public let doc: String

    public init(_ name: String, _ type: ArgumentType, required: Bool = false, _ doc: String) {
        self.name = name
        self.type = type
        self.required = required
        self.doc = doc
    }
}
