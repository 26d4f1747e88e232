/// The free-text rules, in one left-to-right pass over UTF-8 bytes.
///
/// At the start of each word (a byte with no letter or digit before it) the
/// word rules are tried in order: an identifier kept as it is (UUID, hash),
/// a `key=value` field with a secret-like key, `Bearer <token>`,
/// `Basic <credentials>`, a JWT, a Lumen-style key. Any digit not consumed
/// by them starts a chain of digit groups whose card numbers are masked.
///
/// Linear time: every rule either consumes what it read or fails after a
/// bounded look; the two rules that may look far (field names, JWT parts)
/// remember how far they looked, so that the words inside are not looked at
/// again. No regular expressions.
struct TextRedaction {
    let b: [UInt8]
    var out: [UInt8] = []
    var i = 0
    /// Word starts before this offset lie inside a name already found not to begin a secret field.
    var fieldsCheckedUntil = 0
    /// Word starts before this offset lie inside a first JWT part already found not to begin a JWT.
    var jwtCheckedUntil = 0

    static func redact(_ bytes: [UInt8]) -> [UInt8] {
        var pass = TextRedaction(b: bytes)
        pass.out.reserveCapacity(bytes.count)
        pass.run()
        return pass.out
    }

    mutating func run() {
        while i < b.count {
            if (ASCIIByte.isAlphanumeric(b[i]) || b[i] == ASCIIByte.underscore) && atWordStart && matchWord() { continue }
            if ASCIIByte.isDigit(b[i]) {
                maskCards()
            } else {
                out.append(b[i])
                i += 1
            }
        }
    }

    var atWordStart: Bool { i == 0 || !ASCIIByte.isAlphanumeric(b[i - 1]) }

    /// Try the word rules at `i`; true when one consumed input.
    mutating func matchWord() -> Bool {
        keepIdentifier() || redactField() || redactBearer() || redactBasic() || redactJWT() || redactLumenKey()
    }

    /// A UUID or a hash is copied as it is: its digits are not a card number.
    mutating func keepIdentifier() -> Bool {
        guard let length = Identifier.length(b, at: i) else { return false }
        copy(upTo: i + length)
        return true
    }

    /// The chain of digit groups at `i`: card numbers masked, the rest copied.
    mutating func maskCards() {
        let chain = CardChain(b, from: i)
        for region in chain.regions {
            copy(upTo: region.lowerBound)
            out += CardDigits.mask(CardDigits.digits(of: b[region]))
            i = region.upperBound
        }
        copy(upTo: chain.end)
    }

    /// Copy the input from `i` up to `end`, and move there.
    mutating func copy(upTo end: Int) {
        out.append(contentsOf: b[i ..< end])
        i = end
    }

    /// Copy the input up to `start`, write `replacement`, and continue at `end`.
    mutating func replace(from start: Int, to end: Int, with replacement: [UInt8]) {
        copy(upTo: start)
        out += replacement
        i = end
    }

    /// The offset of the first byte at or after `p` that is not a space or a tab.
    func skipBlanks(from p: Int) -> Int {
        var p = p
        while p < b.count && ASCIIByte.isBlank(b[p]) { p += 1 }
        return p
    }

    /// The offset just past the run of bytes from `p` that satisfy `member`.
    func skip(from p: Int, while member: (UInt8) -> Bool) -> Int {
        var p = p
        while p < b.count && member(b[p]) { p += 1 }
        return p
    }
}
