import JSON
import LuaKit
import PaymentsCore

/// Makes Lua functions of declarations: each checks its arguments by the
/// declaration of the form it was called in, then runs the form's body.
enum BindingTable {
    /// Push a module table holding one function per binding.
    static func push(_ bindings: [LuaBinding], runtime: PayshRuntime, on stack: LuaStack) {
        stack.newTable(hash: Int32(bindings.count))
        for binding in bindings {
            stack.push(function: function(for: binding, runtime: runtime))
            stack.rawSet(at: -2, binding.name)
        }
    }

    /// The Lua function of `binding`.
    static func function(for binding: LuaBinding, runtime: PayshRuntime) -> LuaFunction {
        { stack in
            let form = try choose(binding, stack)
            let reader = ArgumentReader(stack: stack, function: binding.qualifiedName, service: binding.module)
            let arguments: [String: JSONValue]
            do throws(PaymentsError) { arguments = try reader.read(form) } catch { throw LuaAPIError(error) }
            return try form.body(BindingCall(stack: stack, binding: binding, form: form, arguments: arguments, runtime: runtime))
        }
    }

    /// The form a call means, by the type of its first argument.
    static func choose(_ binding: LuaBinding, _ stack: LuaStack) throws -> LuaForm {
        if binding.forms.count == 1 { return binding.forms[0] }
        let first = stack.type(at: 1)
        let match = binding.forms.first { form in
            guard let parameter = form.parameters.first else { return first == .nil || first == .none }
            switch parameter.type {
            case .record, .query, .json: return first == .table
            default: return first == .string
            }
        }
        if let match { return match }
        let ways = binding.forms.map { "\(binding.qualifiedName)\($0.signature)" }.joined(separator: " or ")
        let reader = ArgumentReader(stack: stack, function: binding.qualifiedName, service: binding.module)
        throw LuaAPIError(PaymentsError(kind: .validation, service: binding.module, operation: binding.qualifiedName,
                                        message: "argument #1: expected \(ways), got \(reader.describe(at: 1))"))
    }
}
