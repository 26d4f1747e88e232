/// The secrets known at run time (a configured client secret, an API key, an
/// access token), hidden wherever they appear, before any other rule runs.
///
/// Each secret is looked for as written, percent-encoded (as in a form body
/// or a query) and JSON-escaped (as in a JSON text). Every occurrence,
/// overlapping ones and those of different secrets included, is covered;
/// each stretch of covered bytes becomes one `[redacted]`. Secrets shorter
/// than `minimumLength` characters (after trimming white space) are ignored:
/// redacting every `payments` or `1234` would make output unreadable.
struct KnownSecrets: Sendable {
    static let minimumLength = 8

    /// Byte patterns with their Knuth–Morris–Pratt failure tables (linear search whatever the input).
    private var patterns: [(bytes: [UInt8], failure: [Int])] = []

    init(_ secrets: [String]) {
        for secret in secrets {
            let trimmed = Self.trimmed(secret)
            guard trimmed.count >= Self.minimumLength else { continue }
            for variant in [Array(trimmed.utf8), PercentCoding.encoded(trimmed, spaceAsPlus: false),
                            PercentCoding.encoded(trimmed, spaceAsPlus: true), Self.jsonEscaped(trimmed)]
                where !patterns.contains(where: { $0.bytes == variant }) {
                patterns.append((variant, Self.failureTable(variant)))
            }
        }
    }

    var isEmpty: Bool { patterns.isEmpty }

    /// `text` with every occurrence of a secret replaced.
    func redact(_ text: [UInt8]) -> [UInt8] {
        guard !patterns.isEmpty else { return text }
        var covered: [Range<Int>] = []
        for pattern in patterns { Self.occurrences(of: pattern, in: text, into: &covered) }
        guard !covered.isEmpty else { return text }
        covered.sort { $0.lowerBound < $1.lowerBound }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var copied = 0
        var k = 0
        while k < covered.count {
            var stretch = covered[k]
            k += 1
            while k < covered.count && covered[k].lowerBound < stretch.upperBound {
                stretch = stretch.lowerBound ..< max(stretch.upperBound, covered[k].upperBound)
                k += 1
            }
            out.append(contentsOf: text[copied ..< stretch.lowerBound])
            out.append(contentsOf: Redactor.marker)
            copied = stretch.upperBound
        }
        out.append(contentsOf: text[copied...])
        return out
    }

    /// Append the range of every occurrence of `pattern` in `text`, overlapping ones included.
    private static func occurrences(of pattern: (bytes: [UInt8], failure: [Int]), in text: [UInt8], into ranges: inout [Range<Int>]) {
        let p = pattern.bytes
        var matched = 0
        for (i, c) in text.enumerated() {
            while matched > 0 && p[matched] != c { matched = pattern.failure[matched - 1] }
            if p[matched] == c { matched += 1 }
            if matched == p.count {
                ranges.append(i + 1 - p.count ..< i + 1)
                matched = pattern.failure[matched - 1]
            }
        }
    }

    /// `failure[k]`: the length of the longest proper prefix of `p[...k]` that is also its suffix.
    private static func failureTable(_ p: [UInt8]) -> [Int] {
        var failure = [Int](repeating: 0, count: p.count)
        var length = 0
        for k in 1 ..< max(p.count, 1) {
            while length > 0 && p[k] != p[length] { length = failure[length - 1] }
            if p[k] == p[length] { length += 1 }
            failure[k] = length
        }
        return failure
    }

    private static func trimmed(_ s: String) -> String {
        String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// The secret as it appears inside a JSON string: `"`, `\` and control characters escaped.
    private static func jsonEscaped(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        for c in s.utf8 {
            switch c {
            case ASCIIByte.doubleQuote, ASCIIByte.backslash: out += [ASCIIByte.backslash, c]
            case 0x0A: out += Array("\\n".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case ..<0x20: out += Array("\\u00".utf8) + PercentCoding.hex(c)
            default: out.append(c)
            }
        }
        return out
    }
}
