/// A run of digit groups joined by single spaces or dashes (`4242 4242 4242
/// 4242`, `3782-822463-10005`, or one group `4242424242424242`), and the
/// parts of it that are card numbers.
///
/// A card number is any window of whole groups holding 13–19 digits that
/// passes the Luhn check. A group of more than 19 digits is a longer number,
/// never part of a card, and windows do not cross it. Windows that overlap
/// are masked as one region, so that a digit in the middle of any card is
/// hidden even when two candidate windows disagree on where the card starts.
struct CardChain {
    /// The offset just past the chain's last digit.
    var end: Int
    /// The byte ranges to mask, in order and disjoint; each starts and ends with a digit.
    var regions: [Range<Int>] = []

    /// The chain whose first digit is at `start` (a digit not preceded by a digit).
    init(_ b: [UInt8], from start: Int) {
        let groups = Self.groups(b, from: start)
        end = groups[groups.count - 1].upperBound
        var current: ClosedRange<Int>?  // group indices of the region being grown
        for first in groups.indices {
            guard let last = Self.longestCard(b, groups, from: first) else { continue }
            if let region = current, first <= region.upperBound {
                current = region.lowerBound ... max(region.upperBound, last)
            } else {
                if let region = current { regions.append(groups[region.lowerBound].lowerBound ..< groups[region.upperBound].upperBound) }
                current = first ... last
            }
        }
        if let region = current { regions.append(groups[region.lowerBound].lowerBound ..< groups[region.upperBound].upperBound) }
    }

    /// The digit groups of the chain: each next group follows one space or
    /// dash, and does not start a UUID or a hash (see `Identifier`).
    static func groups(_ b: [UInt8], from start: Int) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var i = start
        while true {
            var e = i
            while e < b.count && ASCIIByte.isDigit(b[e]) { e += 1 }
            groups.append(i ..< e)
            guard e + 1 < b.count, b[e] == ASCIIByte.space || b[e] == ASCIIByte.dash, ASCIIByte.isDigit(b[e + 1]),
                  Identifier.length(b, at: e + 1) == nil else { return groups }
            i = e + 1
        }
    }

    /// The last group of the longest card-number window starting at group
    /// `first`, or nil. At most 19 digits are read, whatever the input.
    static func longestCard(_ b: [UInt8], _ groups: [Range<Int>], from first: Int) -> Int? {
        var sums = LuhnSums()
        var count = 0
        var longest: Int?
        for g in first ..< groups.count {
            count += groups[g].count
            guard count <= CardDigits.lengths.upperBound else { break }
            for p in groups[g] { sums.append(b[p]) }
            if count >= CardDigits.lengths.lowerBound && sums.valid { longest = g }
        }
        return longest
    }

    /// Whether `b` holds a card number outside UUIDs and hashes.
    static func isPresent(in b: [UInt8]) -> Bool {
        var i = 0
        while i < b.count {
            if i == 0 || !ASCIIByte.isAlphanumeric(b[i - 1]), let length = Identifier.length(b, at: i) {
                i += length
            } else if ASCIIByte.isDigit(b[i]) {
                let chain = CardChain(b, from: i)
                if !chain.regions.isEmpty { return true }
                i = chain.end
            } else {
                i += 1
            }
        }
        return false
    }
}

/// Identifiers whose digits are never card numbers: a UUID (8-4-4-4-12
/// hexadecimal digits) and a run of 32 or more hexadecimal digits (a hash, a
/// trace id), each a whole word.
enum Identifier {
    /// The length of the identifier starting at `start`, or nil. The caller
    /// knows that `start` begins a word (no letter or digit before it).
    static func length(_ b: [UInt8], at start: Int) -> Int? {
        var p = start
        while p < b.count && ASCIIByte.isHexDigit(b[p]) { p += 1 }
        if p - start >= 32 { return endsWord(b, p) ? p - start : nil }
        guard p - start == 8 else { return nil }
        for groupLength in [4, 4, 4, 12] {
            guard p < b.count, b[p] == ASCIIByte.dash else { return nil }
            p += 1
            let groupStart = p
            while p < b.count && p - groupStart < groupLength && ASCIIByte.isHexDigit(b[p]) { p += 1 }
            guard p - groupStart == groupLength else { return nil }
        }
        return endsWord(b, p) ? p - start : nil
    }

    static func endsWord(_ b: [UInt8], _ p: Int) -> Bool { p == b.count || !ASCIIByte.isAlphanumeric(b[p]) }
}
