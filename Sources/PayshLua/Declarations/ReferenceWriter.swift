import Foundation
import LuaKit

/// Writes the reference of the Lua API (`docs/lua-api.md`) and the text of
/// `help(...)` from the declarations, so that neither can drift from the code.
public enum ReferenceWriter {
    /// `paysh.reference()`: the Markdown of docs/lua-api.md.
    static var binding: LuaBinding {
        LuaBinding(module: "paysh", name: "reference", LuaForm(
            [], summary: "The reference of every binding as Markdown (docs/lua-api.md is this text).",
            returns: "a string", example: "io.write(paysh.reference())") { call in
                call.stack.push(markdown())
                return 1
            })
    }

    /// The whole reference.
    public static func markdown() -> String {
        var out = """
        # paysh Lua API reference

        <!-- Generated from the bindings' declarations (Sources/PayshLua). Do not edit:
             run `scripts/paysh -e 'io.write(paysh.reference())' > docs/lua-api.md`. -->

        Every function below checks its arguments before sending anything, and
        raises an error object (`paysh.error`) on failure; see
        [bindings.md](bindings.md) for errors, cursors, confirmation, card data
        and exit statuses, and [stdlib.md](stdlib.md) for `inspect`, `money`,
        `csv` and `json`. In the REPL, `help(lumyri.pay_invoice)` shows the
        same text as here.

        Effects: **reads** sends only reads; **changes data** changes something
        on the server; **moves money** moves money or changes how it moves — it
        asks for confirmation on a production profile (or needs `--yes`).

        """
        for (module, summary) in BindingCatalogue.moduleSummaries {
            out += "\n## `\(module)` — \(summary)\n\n"
            let bindings = BindingCatalogue.modules.first { $0.name == module }?.bindings ?? []
            out += "| function | does | effect |\n| --- | --- | --- |\n"
            for binding in bindings {
                for form in binding.forms {
                    out += "| [`\(binding.qualifiedName)\(form.signature)`](#\(anchor(binding))) | \(form.summary.split(separator: ".").first.map(String.init) ?? form.summary) | \(form.effect.label) |\n"
                }
            }
            for binding in bindings { out += "\n" + section(binding) }
        }
        return out
    }

    /// The Markdown section of one binding (also what `help(fn)` prints, less the Markdown).
    static func section(_ binding: LuaBinding) -> String {
        var out = "### \(binding.qualifiedName)\n"
        for form in binding.forms {
            out += "\n```lua\n\(binding.qualifiedName)\(form.signature)\n```\n\n\(form.summary)\n\n"
            out += "- **Returns:** \(form.returns)\n- **Effect:** \(form.effect.label)\n"
            for parameter in form.parameters {
                out += "- **`\(parameter.name)`**\(parameter.optional ? " (optional)" : ""): \(parameter.type.expected) — \(parameter.doc)\n"
                out += fields(parameter.type.fields, indent: "  ")
                if case .list(let element) = parameter.type { out += fields(element.fields, indent: "  ") }
            }
            out += "- **Example:** `\(form.example)`\n"
        }
        return out
    }

    private static func fields(_ fields: [LuaField], indent: String) -> String {
        var out = ""
        for field in fields {
            out += "\(indent)- `\(field.name)`\(field.required ? " (required)" : ""): \(field.type.expected) — \(field.doc)\n"
            out += Self.fields(field.type.fields, indent: indent + "  ")
            if case .list(let element) = field.type { out += Self.fields(element.fields, indent: indent + "  ") }
        }
        return out
    }

    static func anchor(_ binding: LuaBinding) -> String {
        binding.qualifiedName.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Plain text of a binding for `help`: the section without Markdown marks.
    static func plain(_ binding: LuaBinding) -> String {
        var text = section(binding)
        for mark in ["```lua\n", "```\n", "**", "`", "### "] { text = text.replacingOccurrences(of: mark, with: "") }
        return text
    }
}
