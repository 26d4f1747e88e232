@testable import REPL
import Testing

/// Reading what Tab is asked to complete from the text before the cursor.
@Suite struct CompletionContextTests {
    typealias Context = CompletionContext

    static func context(_ text: String) -> Context { Context.at(endOf: Array(text.utf8)).context }

    @Test func wordsFieldsAndMethods() {
        #expect(Self.context("lumy") == .name(prefix: "lumy"))
        #expect(Self.context("") == .name(prefix: ""))
        #expect(Self.context("x = a.b.c") == .field(path: [.name("a"), .name("b")], prefix: "c"))
        #expect(Self.context("a[1].b[\"k\"]:m") == .method(path: [.name("a"), .index(1), .name("b"), .key("k")], prefix: "m"))
        #expect(Self.context("'a' .. b") == .name(prefix: "b"))
        #expect(Self.context("f().x") == .none, "a call's result")
        #expect(Self.context("1.5") == .none)
        #expect(Self.context("::label::") == .name(prefix: ""))
    }

    @Test func argumentsAndTableFields() {
        #expect(Self.context("lumyri.pay_invoice(") == .argument(function: [.name("lumyri"), .name("pay_invoice")], quote: nil, prefix: ""))
        #expect(Self.context("lumyri.pay_invoice( \"4e8") == .argument(function: [.name("lumyri"), .name("pay_invoice")], quote: UInt8(ascii: "\""), prefix: "4e8"))
        #expect(Self.context("f 'x") == .argument(function: [.name("f")], quote: UInt8(ascii: "'"), prefix: "x"))
        #expect(Self.context("x = 'abc") == .none, "a string that is not an argument")
        #expect(Self.context("f{ a = 1, b") == .tableField(function: [.name("f")], position: 0, fields: [], prefix: "b"))
        #expect(Self.context("m.f(id, { x = { y") == .tableField(function: [.name("m"), .name("f")], position: 1, fields: ["x"], prefix: "y"))
        #expect(Self.context("f('a,b', {") == .tableField(function: [.name("f")], position: 1, fields: [], prefix: ""))
    }
}
