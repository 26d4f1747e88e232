import JSON

/// An amount of money in integer cents, read from and written as the API's
/// decimal strings (`"174.08"`) and numbers (`174.08`), never through `Double`.
struct Cents: Sendable, Comparable, Hashable {
    var value: Int64

    init(_ value: Int64) { self.value = value }

    /// A non-negative decimal with at most two fraction digits: `12`, `12.5`, `12.50`.
    init?(decimal text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 15, whole.allSatisfy(\.isASCIIDigit) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : "0"
        guard !fraction.isEmpty, fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigit) else { return nil }
        if fraction.count == 1 { fraction += "0" }
        value = Int64(whole)! * 100 + Int64(fraction)!
    }

    /// `"174.08"`, `"0.00"`: the form of `subTotal`, `tax` and `total`.
    var decimalString: String {
        let cents = value % 100
        return "\(value / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// The form of a `details` line's `amount`: a JSON number, `0`, `174.08`, `12.5`.
    var jsonNumber: JSONValue {
        if value % 100 == 0 { return .integer(value / 100) }
        var text = decimalString
        while text.hasSuffix("0") { text.removeLast() }
        return .number(text)
    }

    static func < (lhs: Cents, rhs: Cents) -> Bool { lhs.value < rhs.value }
    static func + (lhs: Cents, rhs: Cents) -> Cents { Cents(lhs.value + rhs.value) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
