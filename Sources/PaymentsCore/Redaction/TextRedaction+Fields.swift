/// `key=value`, `key: value`, `"key": "value"`, `key='value'` with a key
/// named like a secret, a card security code or a card number (see
/// `FieldName`): the value is redacted or masked, the key and its quotes kept.
extension TextRedaction {
    /// The field at `i`, when its name calls for it; true when it consumed input.
    mutating func redactField() -> Bool {
        guard i >= fieldsCheckedUntil, ASCIIByte.isLetter(b[i]) || b[i] == ASCIIByte.underscore else { return false }
        let nameEnd = skip(from: i, while: Self.isNameByte)
        fieldsCheckedUntil = nameEnd
        var p = nameEnd
        if p < b.count && b[p] == ASCIIByte.backslash { p += 1 }
        if p < b.count && (b[p] == ASCIIByte.doubleQuote || b[p] == ASCIIByte.singleQuote) { p += 1 }
        p = skipBlanks(from: p)
        guard p < b.count, b[p] == ASCIIByte.equals || b[p] == ASCIIByte.colon else { return false }
        let name = b[i ..< nameEnd]
        let kind = FieldName.kind(of: name)
        let isAuthorization = kind == .secret
            && FieldName.isAuthorization(normalized: FieldName.normalized(name.split(separator: ASCIIByte.dot).last ?? name[...]))
        guard kind != .other,
              let value = valueRange(from: skipBlanks(from: p + 1), kind: kind, isAuthorization: isAuthorization)
        else { return false }
        let content = b[value]
        let replacement: [UInt8]
        switch kind {
        case .secret:
            replacement = isAuthorization ? Self.authorization(content) : Redactor.marker
        case .securityCode:
            replacement = Redactor.marker
        case .cardNumber:
            guard let masked = Self.maskedCardField(content) else { return false }
            replacement = masked
        case .other:
            return false
        }
        replace(from: value.lowerBound, to: value.upperBound, with: replacement)
        return true
    }

    /// The value's bytes, without its quotes: a quoted string (`"…"`, `'…'`,
    /// or `\"…\"` inside a JSON string) up to its closing quote or the end of
    /// the line; a secret's Lua long string (`[[…]]`); for a card number, a
    /// chain of digit groups; for an authorization, a scheme and its
    /// credentials; otherwise a bare word up to white space or punctuation.
    /// Nil when there is nothing to redact (an empty value, an object or a
    /// list, a value already redacted).
    func valueRange(from p: Int, kind: FieldName.Kind, isAuthorization: Bool) -> Range<Int>? {
        guard p < b.count else { return nil }
        if b[p] == ASCIIByte.doubleQuote || b[p] == ASCIIByte.singleQuote {
            return nonEmpty(p + 1 ..< closingQuote(b[p], from: p + 1))
        }
        if b[p] == ASCIIByte.backslash, p + 1 < b.count, b[p + 1] == ASCIIByte.doubleQuote {
            return nonEmpty(p + 2 ..< closingEscapedQuote(from: p + 2))
        }
        if kind != .cardNumber, b[p] == UInt8(ascii: "["), p + 1 < b.count, b[p + 1] == UInt8(ascii: "[") {
            // A Lua long string, `[[…]]`, up to its end or the end of the input.
            var q = p + 2
            while q < b.count && !(b[q] == UInt8(ascii: "]") && q + 1 < b.count && b[q + 1] == UInt8(ascii: "]")) { q += 1 }
            return nonEmpty(p + 2 ..< q)
        }
        if b[p] == UInt8(ascii: "{") || b[p] == UInt8(ascii: "[") { return nil }
        if kind == .cardNumber {
            guard ASCIIByte.isDigit(b[p]) else { return nil }
            let end = CardChain.groups(b, from: p).last!.upperBound
            // `424242******4242`: masked already.
            return end < b.count && b[end] == ASCIIByte.star ? nil : p ..< end
        }
        var end = skip(from: p, while: Self.isBareByte)
        if isAuthorization, end < b.count, ASCIIByte.isBlank(b[end]) {
            // `Authorization: Basic dXNlcjpw`: the credentials after the scheme belong to the value.
            let credentials = skipBlanks(from: end)
            let afterCredentials = skip(from: credentials, while: Self.isBareByte)
            if afterCredentials > credentials && Self.isScheme(b[p ..< end]) {
                // `Bearer [redacted]`: redacted already.
                if b[credentials] == UInt8(ascii: "[") { return nil }
                end = afterCredentials
            }
        }
        return nonEmpty(p ..< end)
    }

    /// The offset of the quote closing a string that starts at `p`, or of the
    /// end of the line or input when there is none (an unterminated value is
    /// redacted to the end of its line).
    func closingQuote(_ quote: UInt8, from p: Int) -> Int {
        var q = p
        while q < b.count && b[q] != ASCIIByte.newline && b[q] != quote {
            q += b[q] == ASCIIByte.backslash ? 2 : 1
        }
        return min(q, b.count)
    }

    /// The offset of the `\"` closing a string inside a JSON string
    /// (`{\"password\":\"p\\\"w\"}`), or of the end of the line or input.
    /// In that text `\\` is a backslash of the inner string and `\"` a quote,
    /// which closes it unless an inner backslash escapes it.
    func closingEscapedQuote(from p: Int) -> Int {
        var q = p
        var innerEscape = false
        while q < b.count && b[q] != ASCIIByte.newline {
            guard b[q] == ASCIIByte.backslash, q + 1 < b.count else {
                innerEscape = false
                q += 1
                continue
            }
            switch b[q + 1] {
            case ASCIIByte.doubleQuote:
                if !innerEscape { return q }
                innerEscape = false
            case ASCIIByte.backslash:
                innerEscape.toggle()
            default:
                innerEscape = false
            }
            q += 2
        }
        return min(q, b.count)
    }

    func nonEmpty(_ range: Range<Int>) -> Range<Int>? { range.isEmpty ? nil : range }

    /// `Bearer abc` → `Bearer [redacted]`; a value without a scheme → `[redacted]`.
    static func authorization<Value: Collection<UInt8>>(_ value: Value) -> [UInt8] {
        let words = value.split(whereSeparator: ASCIIByte.isBlank)
        guard words.count > 1, isScheme(words[0]) else { return Redactor.marker }
        return Array(words[0]) + [ASCIIByte.space] + Redactor.marker
    }

    /// A card-number field's value masked, or nil to leave it (no digits, or already masked: `4242********4242`).
    static func maskedCardField<Value: Collection<UInt8>>(_ value: Value) -> [UInt8]? {
        let digits = CardDigits.digits(of: value)
        if digits.isEmpty || (value.contains(ASCIIByte.star) && digits.count <= 10) { return nil }
        return CardDigits.mask(digits)
    }

    /// An authentication scheme's name: letters, digits and `-` (`Bearer`, `Basic`, `Digest`, `AWS4-HMAC-SHA256`).
    static func isScheme<Word: Collection<UInt8>>(_ word: Word) -> Bool {
        !word.isEmpty && ASCIIByte.isLetter(word.first!) && word.allSatisfy { ASCIIByte.isAlphanumeric($0) || $0 == ASCIIByte.dash }
    }

    /// Letters, digits, `_`, `-` and `.`: the bytes of a field name (`client_secret`, `X-Api-Key`, `info.cvv`).
    static func isNameByte(_ c: UInt8) -> Bool {
        ASCIIByte.isAlphanumeric(c) || c == ASCIIByte.underscore || c == ASCIIByte.dash || c == ASCIIByte.dot
    }

    /// Anything but white space, quotes, a backslash and the punctuation that ends a value in a list.
    static func isBareByte(_ c: UInt8) -> Bool {
        switch c {
        case ASCIIByte.space, ASCIIByte.tab, ASCIIByte.newline, 0x0D, ASCIIByte.doubleQuote, ASCIIByte.singleQuote,
             ASCIIByte.backslash, UInt8(ascii: "&"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "<"),
             UInt8(ascii: ">"), UInt8(ascii: ")"), UInt8(ascii: "}"), UInt8(ascii: "]"):
            return false
        default:
            return true
        }
    }
}
