import Foundation
import JSON
import Testing

// The machinery behind JSONFuzzTests: a seeded random source, the run's
// budget (from PAYSH_FUZZ_*), a generator of JSON values that knows what
// each one must decode to, two ways of spelling a value as text (paysh's
// JSONWriter, and a deliberately varied spelling of our own), and the
// mutations that turn a valid text into a suspicious one.

// MARK: Randomness and budget

/// SplitMix64: small, fast, and the same sequence on every platform for a seed.
struct FuzzRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The generator of one iteration: independent of every other iteration,
    /// so a failure replays from the run's seed and its iteration number.
    init(seed: UInt64, iteration: Int) {
        state = seed ^ (UInt64(truncatingIfNeeded: iteration) &* 0x9E37_79B9_7F4A_7C15)
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0 ..< n.
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    /// lower ... upper.
    mutating func within(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
    /// True with probability p.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

/// How long a fuzz test runs and from which seed, from the environment:
///
/// - `PAYSH_FUZZ_SEED`: the seed (decimal or 0x-hex); a new one each run otherwise, always printed.
/// - `PAYSH_FUZZ_SECONDS`: the time each fuzz test runs for (default: a short in-suite run).
/// - `PAYSH_FUZZ_ITERATIONS`: the most iterations each runs; set alone, the
///   run is exactly that many (to replay a failure reported at iteration i, give i + 1).
struct FuzzBudget: Sendable {
    let seed: UInt64
    let seconds: Double
    let iterations: Int

    static func current(defaultSeconds: Double) -> FuzzBudget {
        let env = ProcessInfo.processInfo.environment
        let seed = env["PAYSH_FUZZ_SEED"].flatMap(parseSeed) ?? UInt64.random(in: 1 ... UInt64.max)
        let iterations = env["PAYSH_FUZZ_ITERATIONS"].flatMap { Int($0) }
        let seconds = env["PAYSH_FUZZ_SECONDS"].flatMap { Double($0) }
        switch (iterations, seconds) {
        case (let n?, nil): return FuzzBudget(seed: seed, seconds: .infinity, iterations: n)
        case (let n, let s): return FuzzBudget(seed: seed, seconds: s ?? defaultSeconds, iterations: n ?? Int.max)
        }
    }

    static func parseSeed(_ text: String) -> UInt64? {
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }

    /// Run `body(iteration, rng)` until the time or the iterations run out, or
    /// it returns a failure; report the failure with everything needed to replay it.
    func run(_ name: String, _ body: (Int, inout FuzzRandom) throws -> FuzzFailure?) rethrows {
        let clock = ContinuousClock()
        let started = clock.now
        let limit = Duration.milliseconds(Int64(min(seconds, 1e9) * 1000))
        var i = 0
        while i < iterations && (seconds.isInfinite || clock.now - started < limit) {
            var rng = FuzzRandom(seed: seed, iteration: i)
            if let failure = try body(i, &rng) {
                let saved = failure.input.map { FuzzBudget.save($0, name: name, seed: seed, iteration: i) } ?? ""
                Issue.record("""
                    \(name): \(failure.message)
                    seed \(seed), iteration \(i); replay with PAYSH_FUZZ_SEED=\(seed) PAYSH_FUZZ_ITERATIONS=\(i + 1)\(saved)
                    """)
                return
            }
            i += 1
        }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("fuzz \(name): seed \(seed), \(i) iterations in \(String(format: "%.2f", seconds)) s (\(Int(Double(i) / max(seconds, 1e-9)))/s)")
    }

    /// Keep a failing input where a person can add it to Tests/fuzz/json/.
    static func save(_ input: [UInt8], name: String, seed: UInt64, iteration: Int) -> String {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let path = "\(folder)/paysh-fuzz-\(name)-\(seed)-\(iteration).json"
        guard FileManager.default.createFile(atPath: path, contents: Data(input)) else { return "" }
        return "\nthe input is in \(path) (add it to Tests/fuzz/json/ once the bug is fixed)"
    }
}

/// What went wrong in one iteration, and the input that did it.
struct FuzzFailure: Error {
    var message: String
    var input: [UInt8]?
}

// MARK: Values that know what they decode to

/// A JSON value as the fuzzer generates it: strings and keys as UTF-8 bytes
/// (Swift's `String ==` compares canonically, which would hide a byte gone
/// wrong), object members in order with keys distinct as bytes.
indirect enum FuzzValue {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    /// A number the parser must keep as its exact text (beyond Int64, beyond a
    /// Double's digits, overflowing or underflowing).
    case number(String)
    case string([UInt8])
    case array([FuzzValue])
    case object([(key: [UInt8], value: FuzzValue)])

    /// Whether `json` is exactly this value: same kinds, same bytes, same bits, same order.
    func matches(_ json: JSONValue) -> Bool {
        switch (self, json) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.double(let a), .double(let b)): return a.bitPattern == b.bitPattern
        case (.number(let a), .number(let b)): return Array(a.utf8) == Array(b.utf8)
        case (.string(let a), .string(let b)): return a == Array(b.utf8)
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b.members).allSatisfy { $0.key == Array($1.key.utf8) && $0.value.matches($1.value) }
        default: return false
        }
    }

    /// Containers nested, as the parser counts them.
    var depth: Int {
        switch self {
        case .array(let items): return 1 + (items.map(\.depth).max() ?? 0)
        case .object(let members): return 1 + (members.map(\.value.depth).max() ?? 0)
        default: return 0
        }
    }
}

/// Makes random values: every kind, small and large, shallow and deep,
/// ASCII and the awkward corners of Unicode and of floating point.
struct FuzzValueGenerator {
    /// Nodes left to make, so that a value stays small enough to check often.
    var nodes = 400

    mutating func value(_ rng: inout FuzzRandom, depth: Int = 0) -> FuzzValue {
        nodes -= 1
        let containers = nodes > 0 && depth < 12
        switch rng.below(containers ? 12 : 8) {
        case 0: return .null
        case 1: return .bool(rng.chance(0.5))
        case 2: return .integer(Self.integer(&rng))
        case 3: return .double(Self.double(&rng))
        case 4: return rng.chance(0.5) ? .number(Self.exactText(&rng)) : .integer(Self.integer(&rng))
        case 5, 6, 7: return .string(Self.string(&rng))
        case 8, 9: return array(&rng, depth: depth)
        default: return object(&rng, depth: depth)
        }
    }

    mutating func array(_ rng: inout FuzzRandom, depth: Int) -> FuzzValue {
        if rng.chance(0.1) { return records(&rng, depth: depth) }
        let count = rng.chance(0.03) ? rng.within(500 ... 1_200) : rng.below(6)
        var items: [FuzzValue] = []
        for _ in 0 ..< count {
            items.append(nodes > 0 ? value(&rng, depth: depth + 1) : .integer(Int64(items.count)))
        }
        return .array(items)
    }

    mutating func object(_ rng: inout FuzzRandom, depth: Int) -> FuzzValue {
        let count = rng.chance(0.03) ? rng.within(120 ... 700) : rng.below(6)
        var members: [(key: [UInt8], value: FuzzValue)] = []
        var seen = Set<[UInt8]>()
        while members.count < count {
            var key = Self.key(&rng)
            if count > 20 { key += Array("#\(members.count)".utf8) }
            guard seen.insert(key).inserted else { continue }
            members.append((key, nodes > 0 ? value(&rng, depth: depth + 1) : .null))
        }
        return .object(members)
    }

    /// A list of objects sharing their keys (the parser's shape cache), now and
    /// then with a member missing, reordered or added.
    mutating func records(_ rng: inout FuzzRandom, depth: Int) -> FuzzValue {
        var keys: [[UInt8]] = []
        for _ in 0 ..< rng.within(1 ... 6) {
            let key = Self.key(&rng)
            if !keys.contains(key) { keys.append(key) }
        }
        var items: [FuzzValue] = []
        for _ in 0 ..< rng.within(2 ... 30) {
            var these = keys
            if rng.chance(0.15) { these.shuffle(using: &rng) }
            if rng.chance(0.1), !these.isEmpty { these.remove(at: rng.below(these.count)) }
            if rng.chance(0.1) {
                let extra = Self.key(&rng)
                if !these.contains(extra) { these.append(extra) }
            }
            items.append(.object(these.map { ($0, rng.chance(0.2) && nodes > 0 ? value(&rng, depth: depth + 2) : Self.scalar(&rng)) }))
        }
        return .array(items)
    }

    static func scalar(_ rng: inout FuzzRandom) -> FuzzValue {
        switch rng.below(5) {
        case 0: return .integer(integer(&rng))
        case 1: return .double(double(&rng))
        case 2: return .bool(rng.chance(0.5))
        default: return .string(string(&rng))
        }
    }

    static let specialIntegers: [Int64] = [
        0, 1, -1, 9, 10, -10, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1, 9_007_199_254_740_993,
        999_999_999_999_999_999, 1_000_000_000_000_000_000, -1_000_000_000_000_000_000,
    ]

    static func integer(_ rng: inout FuzzRandom) -> Int64 {
        if rng.chance(0.3) { return rng.pick(specialIntegers) }
        let bits = rng.within(1 ... 64)
        let raw = Int64(bitPattern: rng.next())
        return bits == 64 ? raw : raw >> (64 - bits)
    }

    static let specialDoubles: [Double] = [
        0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 100.0, 1e21, 1e22, 1e23, 123456789012345.6, 0.000001, 1e-7,
        Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, 2.2250738585072014e-308, Double.leastNormalMagnitude.nextDown, 1.7976931348623157e308, -1.7976931348623157e308,
        9007199254740992.0, 9007199254740994.0, 4.35, 174.08, 0.30000000000000004, 1.0e15, 1.0e16, 1.0e17,
    ]

    static func double(_ rng: inout FuzzRandom) -> Double {
        switch rng.below(4) {
        case 0: return rng.pick(specialDoubles)
        case 1:
            // Any finite bit pattern: subnormals, huge, tiny.
            while true {
                let d = Double(bitPattern: rng.next())
                if d.isFinite { return d }
            }
        case 2:
            // Money-like decimals: a few digits and a point.
            let cents = Double(rng.below(10_000_000)) / Double(rng.pick([1, 10, 100, 1000]))
            return rng.chance(0.2) ? -cents : cents
        default:
            return Double.random(in: -1e6 ... 1e6, using: &rng) * pow(10, Double(rng.within(-30 ... 30)))
        }
    }

    /// A number text the parser keeps as text.
    static func exactText(_ rng: inout FuzzRandom) -> String {
        func digits(_ n: Int, _ rng: inout FuzzRandom) -> String {
            var s = String(rng.within(1 ... 9))
            for _ in 1 ..< max(n, 1) { s += String(rng.below(10)) }
            return s
        }
        let sign = rng.chance(0.3) ? "-" : ""
        switch rng.below(6) {
        case 0: return rng.pick(["9223372036854775808", "-9223372036854775809", "18446744073709551616", "-18446744073709551616"])
        case 1: return sign + digits(rng.within(20 ... 60), &rng)
        case 2: return sign + digits(rng.within(1 ... 3), &rng) + rng.pick(["e", "E", "e+", "E+"]) + String(rng.within(400 ... 99_999))
        case 3: return sign + digits(rng.within(1 ... 3), &rng) + rng.pick(["e-", "E-"]) + String(rng.within(400 ... 99_999))
        case 4:
            // More significant digits than a double holds, the last one not zero.
            let whole = rng.chance(0.5) ? "0" : digits(rng.within(1 ... 5), &rng)
            var fraction = ""
            for _ in 0 ..< rng.within(18 ... 40) { fraction += String(rng.below(10)) }
            return sign + whole + "." + fraction + String(rng.within(1 ... 9))
        default:
            return rng.pick(["1e400", "-1e400", "1e-400", "2.5E+999", "0.1000000000000000000000000001", "9007199254740993.0"])
        }
    }

    /// Scalars worth having in strings: the escapes' neighbours, every UTF-8 length's edges, the surrogates' edges.
    static let specialScalars: [UInt32] = [
        0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x20, 0x22, 0x2F, 0x5C, 0x7F, 0x80, 0xE9, 0x7FF, 0x800,
        0x20AC, 0x2028, 0x2029, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF,
    ]

    static func scalar(_ rng: inout FuzzRandom, into bytes: inout [UInt8]) {
        var value: UInt32
        switch rng.below(10) {
        case 0 ..< 5: value = UInt32(rng.within(0x20 ... 0x7E))
        case 5, 6: value = rng.pick(specialScalars)
        case 7: value = UInt32(rng.within(0x80 ... 0x7FF))
        case 8: value = UInt32(rng.within(0x800 ... 0xFFFF))
        default: value = UInt32(rng.within(0x10000 ... 0x10FFFF))
        }
        if (0xD800 ... 0xDFFF).contains(value) { value = 0xFFFD }
        bytes.append(contentsOf: String(Character(Unicode.Scalar(value)!)).utf8)
    }

    static func string(_ rng: inout FuzzRandom) -> [UInt8] {
        let length: Int
        switch rng.below(20) {
        case 0: length = 0
        case 1: length = rng.within(100 ... 400)
        case 2 where rng.chance(0.1): length = rng.within(2_000 ... 6_000)
        default: length = rng.below(14)
        }
        var bytes: [UInt8] = []
        if rng.chance(0.5) {
            // A plain run first: the eight-bytes-at-a-time scan and its tail.
            for _ in 0 ..< rng.below(24) { bytes.append(UInt8(rng.within(0x30 ... 0x7A))) }
        }
        for _ in 0 ..< length { scalar(&rng, into: &bytes) }
        return bytes
    }

    /// Keys: a few common ones (so shapes repeat), prefixes of each other, and random ones.
    static let commonKeys: [String] = ["id", "i", "id2", "status", "a", "ab", "abc", "", "é", "a\u{0}b", "\"", "\\", "total", "😀", "k"]

    static func key(_ rng: inout FuzzRandom) -> [UInt8] {
        rng.chance(0.6) ? Array(rng.pick(commonKeys).utf8) : string(&rng)
    }
}

// MARK: Writing values as text

extension FuzzValue {
    /// The value through paysh's own writer, as a sink would drive it.
    func write(into writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let b): writer.bool(b)
        case .integer(let i): writer.integer(i)
        case .double(let d): writer.double(d)
        case .number(let text): Array(text.utf8).withUnsafeBytes { writer.number(text: $0) }
        case .string(let bytes): bytes.withUnsafeBytes { writer.string($0) }
        case .array(let items):
            writer.beginArray()
            for item in items { item.write(into: &writer) }
            writer.endArray(count: items.count)
        case .object(let members):
            writer.beginObject()
            for member in members {
                member.key.withUnsafeBytes { writer.key($0, shape: .none) }
                member.value.write(into: &writer)
            }
            writer.endObject(count: members.count, shape: .none)
        }
    }

    func written(pretty: Bool = false) -> [UInt8] {
        var writer = JSONWriter(pretty: pretty)
        write(into: &writer)
        return writer.bytes
    }
}

/// Spells a value as JSON text in one of the many ways that mean the same:
/// whitespace anywhere it may go, escapes where none are needed (`\u00e9`,
/// surrogate pairs, `\/`), numbers with their point moved, an exponent,
/// trailing zeros or a capital E. Independent of paysh's writer, so the
/// parser is not only checked against its own output.
struct Speller {
    var rng: FuzzRandom
    var out: [UInt8] = []
    /// Inject one duplicate key into the first object that has a member.
    var injectDuplicate = false
    /// Where the injected duplicate's opening quote is, and its key.
    var duplicate: (offset: Int, key: [UInt8])?

    mutating func spell(_ value: FuzzValue) {
        space()
        switch value {
        case .null: emit("null")
        case .bool(let b): emit(b ? "true" : "false")
        case .integer(let i): emit(i == 0 && rng.chance(0.2) ? "-0" : String(i))
        case .double(let d): spellDouble(d)
        case .number(let text): emit(text)
        case .string(let bytes): spellString(bytes)
        case .array(let items):
            emit("[")
            for (n, item) in items.enumerated() {
                if n > 0 { space(); emit(",") }
                spell(item)
            }
            space()
            emit("]")
        case .object(let members):
            emit("{")
            for (n, member) in members.enumerated() {
                if n > 0 { space(); emit(",") }
                space()
                spellString(member.key)
                space()
                emit(":")
                spell(member.value)
            }
            if injectDuplicate && duplicate == nil, let first = members.first {
                space()
                emit(",")
                space()
                duplicate = (out.count, first.key)
                spellString(first.key)
                space()
                emit(":")
                spell(.null)
            }
            space()
            emit("}")
        }
        space()
    }

    mutating func emit(_ text: String) { out.append(contentsOf: text.utf8) }

    mutating func space() {
        guard rng.chance(0.15) else { return }
        for _ in 0 ..< rng.within(1 ... 3) { out.append(rng.pick([0x20, 0x09, 0x0A, 0x0D])) }
    }

    mutating func hex4(_ v: UInt32) {
        let upper = rng.chance(0.5)
        var digits = String(v, radix: 16, uppercase: upper)
        while digits.count < 4 { digits = "0" + digits }
        emit("\\u" + digits)
    }

    mutating func spellString(_ bytes: [UInt8]) {
        emit("\"")
        let short: [UInt32: String] = [0x22: "\\\"", 0x5C: "\\\\", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t", 0x2F: "\\/"]
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let v = scalar.value
            let mustEscape = v < 0x20 || v == 0x22 || v == 0x5C
            if mustEscape || rng.chance(0.12) {
                if let s = short[v], rng.chance(0.7) {
                    emit(s)
                } else if v > 0xFFFF {
                    let u = v - 0x10000
                    hex4(0xD800 + (u >> 10))
                    hex4(0xDC00 + (u & 0x3FF))
                } else {
                    hex4(v)
                }
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        emit("\"")
    }

    /// The shortest digits of `d`, written with the point somewhere else and an exponent to match.
    mutating func spellDouble(_ d: Double) {
        let shortest = NumberText.shortest(d)
        guard rng.chance(0.6) else { return emit(shortest) }
        // Significant digits and the power of ten of the first one.
        var digits: [Character] = []
        var pointAt = 0
        var seenPoint = false
        var exponent = 0
        let body = shortest.hasPrefix("-") ? shortest.dropFirst() : Substring(shortest)
        var chars = body.makeIterator()
        while let c = chars.next() {
            if c == "." { seenPoint = true; continue }
            if c == "e" || c == "E" {
                exponent = Int(String(Array(IteratorSequence(chars)))) ?? 0
                break
            }
            if digits.isEmpty && c == "0" {
                if seenPoint { pointAt -= 1 }
                continue
            }
            digits.append(c)
            if !seenPoint { pointAt += 1 }
        }
        while digits.last == "0" { digits.removeLast() }
        var text = shortest.hasPrefix("-") ? "-" : ""
        if digits.isEmpty {
            text += rng.pick(["0.0", "0e0", "0.000", "0E+7", "0.0e-3"])
            return emit(text)
        }
        let magnitude = pointAt + exponent // value = 0.DIGITS × 10^magnitude
        let before = rng.within(0 ... min(digits.count + 2, 25)) // digits written before the point
        var mantissa = ""
        if before == 0 {
            mantissa = "0." + String(repeating: "0", count: rng.below(3)) 
            let zeros = mantissa.count - 2
            mantissa += String(digits)
            let e = magnitude + zeros
            text += mantissa + exponentText(e)
        } else {
            var all = digits
            while all.count < before { all.append("0") }
            mantissa = String(all[..<before])
            var fraction = String(all[before...])
            if fraction.isEmpty && rng.chance(0.5) { fraction = String(repeating: "0", count: rng.within(1 ... 3)) }
            if rng.chance(0.2) && !fraction.isEmpty { fraction += "00" }
            let e = magnitude - before
            let exp = exponentText(e, required: fraction.isEmpty)
            text += mantissa + (fraction.isEmpty ? "" : "." + fraction) + exp
        }
        emit(text)
    }

    mutating func exponentText(_ e: Int, required: Bool = false) -> String {
        if e == 0 && !required && rng.chance(0.6) { return "" }
        let letter = rng.chance(0.5) ? "e" : "E"
        let sign = e < 0 ? "-" : rng.pick(["", "+"])
        let zeros = rng.chance(0.2) ? "00" : ""
        return letter + sign + zeros + String(abs(e))
    }
}

// MARK: Mutations

/// Ways to break (or not quite break) a valid text.
enum Mutator {
    static let invalidUTF8: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xFE], [0xC2], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
    ]

    static let fragments: [String] = [
        "\"", "\\", "\\u", "\\uD83D", "\\uDE00", "\\uD83D\\u0041", "\\x", ",", ":", "[", "]", "{", "}", "-", "+", ".", "e", "E",
        "0", "00", "1.", "NaN", "Infinity", "-Infinity", "true", "tru", "null", "nul", "false", " ", "\t", "\n", "\u{0}", "\u{1F}",
        "\u{7F}", "1e999999", "-0", "0.0e", "{\"\":", "\"a\":1,\"a\":2", "//", "/*", "'", "\u{FEFF}", "é", "😀",
    ]

    /// One to three random changes.
    static func mutate(_ input: [UInt8], _ rng: inout FuzzRandom) -> [UInt8] {
        var bytes = input
        for _ in 0 ..< rng.within(1 ... 3) { once(&bytes, &rng) }
        return bytes
    }

    static func once(_ bytes: inout [UInt8], _ rng: inout FuzzRandom) {
        let at = rng.below(bytes.count + 1)
        switch rng.below(12) {
        case 0 where !bytes.isEmpty: // flip a bit
            let i = rng.below(bytes.count)
            bytes[i] ^= 1 << UInt8(rng.below(8))
        case 1 where !bytes.isEmpty: // replace a byte
            bytes[rng.below(bytes.count)] = rng.byte()
        case 2: // truncate
            bytes.removeSubrange(at...)
        case 3 where at < bytes.count: // delete a run
            bytes.removeSubrange(at ..< min(bytes.count, at + rng.within(1 ... 8)))
        case 4: // insert random bytes
            bytes.insert(contentsOf: (0 ..< rng.within(1 ... 4)).map { _ in rng.byte() }, at: at)
        case 5: // insert invalid UTF-8
            bytes.insert(contentsOf: rng.pick(invalidUTF8), at: at)
        case 6: // insert a JSON-ish fragment
            bytes.insert(contentsOf: Array(rng.pick(fragments).utf8), at: at)
        case 7 where at < bytes.count: // duplicate a slice
            let end = min(bytes.count, at + rng.within(1 ... 40))
            bytes.insert(contentsOf: bytes[at ..< end], at: rng.below(bytes.count + 1))
        case 8: // a nesting bomb, closed or not
            let n = rng.pick([999, 1000, 1001, 5000, 100_000])
            let (open, close) = rng.pick([("[", "]"), ("{\"a\":", "}"), ("[{\"k\":", "}]")])
            var bomb = String(repeating: open, count: n)
            if rng.chance(0.5) { bomb += (open == "[" ? "" : "1") + String(repeating: close, count: n) }
            bytes.insert(contentsOf: Array(bomb.utf8), at: at)
        case 9: // a byte order mark, or a NUL, at the start
            bytes.insert(contentsOf: rng.chance(0.5) ? [0xEF, 0xBB, 0xBF] : [0x00], at: 0)
        case 10 where !bytes.isEmpty: // swap two bytes
            let i = rng.below(bytes.count), j = rng.below(bytes.count)
            bytes.swapAt(i, j)
        default: // a long run of one byte (whitespace, digits, quotes)
            bytes.insert(contentsOf: Array(repeating: rng.pick([0x20, 0x30, 0x39, 0x22, 0x5C, 0x2C, 0x0A]), count: rng.within(1 ... 300)), at: at)
        }
    }
}
