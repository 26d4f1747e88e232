/// Card numbers as ASCII digits: the Luhn check and the mask.
enum CardDigits {
    /// The lengths a card number has (ISO/IEC 7812).
    static let lengths = 13 ... 19

    /// The Luhn (mod 10) check of a run of ASCII digits.
    static func passesLuhn<Digits: Collection<UInt8>>(_ digits: Digits) -> Bool {
        var sums = LuhnSums()
        for digit in digits { sums.append(digit) }
        return sums.valid
    }

    /// The digits shown first and last: at most 6 and 4, and fewer for short
    /// numbers so that at least five digits stay hidden (13–15 digits show
    /// 4 + 4; 8–12 digits show the last 4; shorter runs show nothing).
    static func shown(count: Int) -> (head: Int, tail: Int) {
        (count >= 16 ? 6 : count >= 13 ? 4 : 0, count >= 8 ? 4 : 0)
    }

    /// `4242424242424242` → `424242******4242`; `digits` are ASCII digits.
    static func mask<Digits: Collection<UInt8>>(_ digits: Digits) -> [UInt8] {
        let all = Array(digits)
        let (head, tail) = shown(count: all.count)
        return Array(all[..<head]) + Array(repeating: ASCIIByte.star, count: all.count - head - tail) + Array(all[(all.count - tail)...])
    }

    /// The ASCII digits of `text`, in order; everything else dropped.
    static func digits<Bytes: Sequence<UInt8>>(of text: Bytes) -> [UInt8] {
        text.filter(ASCIIByte.isDigit)
    }
}

/// The Luhn sum of a run of digits growing to the right, in constant time per
/// digit: `plain` is the sum when the last digit is not doubled (the real
/// check), `doubled` when it is — which is what every digit's share becomes
/// once one more digit is appended.
struct LuhnSums {
    var plain = 0
    var doubled = 0

    mutating func append(_ digit: UInt8) {
        let d = Int(digit &- 0x30)
        (plain, doubled) = (d + doubled, (d < 5 ? 2 * d : 2 * d - 9) + plain)
    }

    var valid: Bool { plain % 10 == 0 }
}
