import CStdlib
import Foundation
import LuaKit
@testable import PayshLua
import Testing

/// The bindings' declarations: the single source of the modules, `help` and docs/lua-api.md.
@Suite struct DeclarationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theCheckedInReferenceIsWhatTheDeclarationsSay() throws {
        let file = Self.root.appendingPathComponent("docs/lua-api.md")
        let checkedIn = try String(contentsOf: file, encoding: .utf8)
        #expect(checkedIn == ReferenceWriter.markdown(),
                "docs/lua-api.md is stale: run scripts/paysh -e 'io.write(paysh.reference())' > docs/lua-api.md")
    }

    @Test func everyEndpointOfTheThreeDocumentsHasABinding() {
        let names = Set(BindingCatalogue.all.map(\.qualifiedName))
        let endpoints = [
            "lumanu.create_payout", "lumanu.payout", "lumanu.payouts",
            "lumen.payment", "lumen.payments", "lumen.payment_method", "lumen.create_payment_method",
            "lumyri.cards", "lumyri.create_card", "lumyri.update_card", "lumyri.delete_card",
            "lumyri.billing", "lumyri.update_billing", "lumyri.invoices", "lumyri.invoice", "lumyri.pay_invoice",
        ]
        for name in endpoints { #expect(names.contains(name), "\(name) has no binding") }
        for service in ["lumanu", "lumen", "lumyri"] {
            for verb in ["get", "post", "put", "delete"] { #expect(names.contains("\(service).\(verb)")) }
        }
    }

    @Test func everyFormIsDocumentedAndItsExampleIsLua() throws {
        let lua = try LuaState()
        for binding in BindingCatalogue.all {
            #expect(Set(BindingCatalogue.all.filter { $0.qualifiedName == binding.qualifiedName }.map(\.qualifiedName)).count == 1)
            for form in binding.forms {
                #expect(!form.summary.isEmpty && !form.returns.isEmpty, "\(binding.qualifiedName) lacks documentation")
                #expect(form.example.contains(binding.qualifiedName), "\(binding.qualifiedName)'s example does not call it")
                let prelude = "local id, p = 'x', {}\n"
                if (try? lua.stack.load(prelude + "return " + form.example, name: "=example")) == nil {
                    #expect(throws: Never.self, "\(binding.qualifiedName)'s example does not compile") {
                        try lua.stack.load(prelude + form.example, name: "=example")
                    }
                }
                lua.stack.top = 0
                for parameter in form.parameters { #expect(!parameter.doc.isEmpty) }
            }
        }
    }

    @Test func everyCallThatMovesMoneyIsDeclaredSo() {
        for name in ["lumanu.create_payout", "lumyri.pay_invoice", "lumyri.create_card", "lumyri.delete_card", "lumyri.post", "lumen.delete"] {
            #expect(BindingCatalogue.binding(named: name)?.effect == .movesMoney, "\(name)")
        }
        for name in ["lumyri.invoices", "lumyri.invoice", "lumanu.payout", "lumen.payment", "lumyri.get"] {
            #expect(BindingCatalogue.binding(named: name)?.effect == .read, "\(name)")
        }
    }

    @Test func everyStdlibFileIsEmbedded() throws {
        let stdlib = Self.root.appendingPathComponent("stdlib")
        let files = FileManager.default.enumerator(atPath: stdlib.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".lua") } ?? []
        #expect(!files.isEmpty)
        for file in files {
            let name = String(file.dropLast(4)).replacingOccurrences(of: "/", with: ".")
            var length = 0
            let source = paysh_stdlib_source(name, &length)
            #expect(source != nil, "stdlib/\(file) is not listed in Sources/CStdlib/stdlib.c")
            let onDisk = try Data(contentsOf: stdlib.appendingPathComponent(file))
            if let source { #expect(Data(bytes: source, count: length) == onDisk, "stdlib/\(file) differs from what is embedded") }
        }
    }
}
