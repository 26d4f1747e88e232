import JSON

/// The structural redaction of a JSON value: by member name first (secrets,
/// security codes, card numbers), then every string through `text(_:)` and
/// every Luhn-valid 13–19 digit integer masked (as a string).
struct JSONRedaction {
    let redactor: Redactor

    /// `value` redacted; `holdsCards`: it sits under a name like `card` or `cards`.
    func value(_ value: JSONValue, holdsCards: Bool) -> JSONValue {
        switch value {
        case .string(let string): return .string(redactor.text(string))
        case .integer, .double, .number: return number(value)
        case .array(let items): return .array(items.map { self.value($0, holdsCards: holdsCards) })
        case .object(let object): return .object(self.object(object, holdsCards: holdsCards))
        case .null, .bool: return value
        }
    }

    /// Members redacted by name, in their order. `number` is a card number in
    /// an object that is a card: under a card-like name, or beside an expiry
    /// or a security code.
    func object(_ object: JSONObject, holdsCards: Bool) -> JSONObject {
        let isCard = holdsCards || object.keys.contains(where: FieldName.marksCard)
        var members: [(String, JSONValue)] = []
        var keys: Set<String> = []
        for member in object {
            var kind = FieldName.kind(of: member.key)
            if kind == .other && isCard && FieldName.normalized(member.key) == "number" { kind = .cardNumber }
            let redacted: JSONValue
            switch kind {
            case .secret, .securityCode:
                redacted = member.value == .null ? .null : .string("[redacted]")
            case .cardNumber:
                redacted = cardNumber(member.value)
            case .other:
                redacted = value(member.value, holdsCards: FieldName.holdsCards(member.key))
            }
            members.append((uniqueKey(redactor.text(member.key), in: &keys), redacted))
        }
        return JSONObject(members)
    }

    /// A card-number member's value: its digits masked, Luhn-valid or not;
    /// left to the general rules when it has no digits or is already masked.
    func cardNumber(_ value: JSONValue) -> JSONValue {
        let text: String
        switch value {
        case .string(let string): text = string
        case .integer, .number, .double: text = Self.integerText(value) ?? ""
        default: return self.value(value, holdsCards: true)
        }
        guard let masked = TextRedaction.maskedCardField(Array(text.utf8)) else { return self.value(value, holdsCards: true) }
        return .string(String(decoding: masked, as: UTF8.self))
    }

    /// A number that is a card number (13–19 digits, Luhn-valid) → its mask, as a string; any other stays.
    func number(_ value: JSONValue) -> JSONValue {
        guard let text = Self.integerText(value) else { return value }
        let digits = CardDigits.digits(of: text.utf8)
        guard CardDigits.lengths.contains(digits.count), CardDigits.passesLuhn(digits) else { return value }
        return .string(String(decoding: CardDigits.mask(digits), as: UTF8.self))
    }

    /// The decimal text of a number that is an integer (`-` included); nil for fractions and exponents.
    static func integerText(_ value: JSONValue) -> String? {
        switch value {
        case .integer(let i): return String(i)
        case .number(let text): return text.utf8.allSatisfy { ASCIIByte.isDigit($0) || $0 == ASCIIByte.dash } ? text : nil
        case .double(let d): return d.rounded() == d && abs(d) < 1e18 ? String(Int64(d)) : nil
        default: return nil
        }
    }

    /// `key`, or `key (2)`, `key (3)`… when redaction made two keys equal (two card numbers with the same mask).
    func uniqueKey(_ key: String, in keys: inout Set<String>) -> String {
        var candidate = key
        var n = 1
        while keys.contains(candidate) {
            n += 1
            candidate = "\(key) (\(n))"
        }
        keys.insert(candidate)
        return candidate
    }
}
