import Foundation
import JSON
import LuaJSON
import LuaKit
import Testing

/// A seeded fuzzer for the JSON parser, its writer and the Lua sink
/// (docs/reliability.md, "Fuzzing").
///
/// Each test runs for a short time in the suite (about half a second);
/// `PAYSH_FUZZ_SECONDS`, `PAYSH_FUZZ_ITERATIONS` and `PAYSH_FUZZ_SEED`
/// lengthen or replay a run (`scripts/fuzz`). Every run prints its seed; a
/// failure prints the seed and iteration that replay it, and saves its input.
/// The inputs in Tests/fuzz/json/ are replayed on every run.
@Suite struct JSONFuzz {
    static let inSuiteSeconds = 0.5

    // MARK: (a) Values survive writing and reading

    /// Random values written by paysh's writer read back as exactly the same
    /// value (bytes, bits, key order), and write again as the same text; the
    /// same value spelt in other ways (escapes, whitespace, exponents) reads
    /// back the same too, through the tree and straight into Lua; a
    /// duplicated key is refused where it stands.
    @Test func valuesRoundTrip() throws {
        let lua = try luaWithJSON()
        var checker = InputChecker(lua: lua)
        try FuzzBudget.current(defaultSeconds: Self.inSuiteSeconds).run("roundtrip") { i, rng in
            var generator = FuzzValueGenerator(nodes: rng.within(1 ... 400))
            var value = generator.value(&rng)
            if rng.chance(0.03) { value = Self.nest(value, levels: rng.within(1 ... max(1, 1000 - value.depth)), &rng) }
            let pretty = rng.chance(0.3)
            let written = value.written(pretty: pretty)
            let compact = pretty ? value.written() : written

            let parsed: JSONValue
            do throws(JSONError) {
                parsed = try JSONValue(parsing: written)
            } catch {
                return FuzzFailure(message: "paysh's own output is refused: \(error)", input: written)
            }
            guard value.matches(parsed) else { return FuzzFailure(message: "read back as another value: \(parsed)", input: written) }
            guard try parsed.encoded(options: JSONEncodingOptions(pretty: pretty)) == written else {
                return FuzzFailure(message: "the tree does not write the same text again", input: written)
            }

            var speller = Speller(rng: FuzzRandom(seed: rng.next()))
            speller.spell(value)
            let spelt = speller.out
            do throws(JSONError) {
                let again = try JSONValue(parsing: spelt)
                guard value.matches(again) else { return FuzzFailure(message: "spelt otherwise, read back as \(again)", input: spelt) }
            } catch {
                return FuzzFailure(message: "a valid spelling is refused: \(error)", input: spelt)
            }
            if let problem = checker.luaReadsBack(spelt, as: compact) { return FuzzFailure(message: problem, input: spelt) }
            if i % 8 == 0, value.depth < 400, let problem = checker.foundationAccepts(written) {
                return FuzzFailure(message: problem, input: written)
            }

            if rng.chance(0.25) {
                var duplicating = Speller(rng: FuzzRandom(seed: rng.next()), injectDuplicate: true)
                duplicating.spell(value)
                if let (offset, key) = duplicating.duplicate {
                    let text = duplicating.out
                    let expected = JSONError.Reason.duplicateKey(String(decoding: key, as: UTF8.self))
                    do throws(JSONError) {
                        _ = try JSONValue(parsing: text)
                        return FuzzFailure(message: "a duplicate key was accepted", input: text)
                    } catch {
                        guard error.reason == expected, error.offset == offset else {
                            return FuzzFailure(message: "a duplicate key at byte \(offset) was refused as: \(error)", input: text)
                        }
                    }
                    if let problem = checker.check(text) { return FuzzFailure(message: problem, input: text) }
                }
            }
            checker.tidy(i)
            return nil
        }
    }

    /// `value` inside `levels` more containers (arrays and single-member objects).
    static func nest(_ value: FuzzValue, levels: Int, _ rng: inout FuzzRandom) -> FuzzValue {
        var value = value
        for _ in 0 ..< levels {
            value = rng.chance(0.7) ? .array([value]) : .object([(Array("k".utf8), value)])
        }
        return value
    }

    // MARK: (b) and (d) Broken texts are refused clearly, the same way into Lua

    /// Valid texts (the corpus and generated ones) with bytes flipped,
    /// dropped, inserted, truncated, invalid UTF-8 and nesting bombs: each is
    /// accepted or refused with a JSONError that says what and where, never
    /// a crash or a hang, and the Lua sink agrees with the tree.
    @Test func mutatedTextsAreRefusedClearly() throws {
        let lua = try luaWithJSON()
        var checker = InputChecker(lua: lua)
        let seeds = Corpus.load().map(\.bytes)
        FuzzBudget.current(defaultSeconds: Self.inSuiteSeconds).run("mutations") { i, rng in
            var base: [UInt8]
            if !seeds.isEmpty && rng.chance(0.4) {
                base = rng.pick(seeds)
            } else {
                var generator = FuzzValueGenerator(nodes: rng.within(1 ... 60))
                var speller = Speller(rng: FuzzRandom(seed: rng.next()))
                speller.spell(generator.value(&rng))
                base = speller.out
            }
            let input = Mutator.mutate(base, &rng)
            if let problem = checker.check(input, foundation: i % 2 == 0) { return FuzzFailure(message: problem, input: input) }
            checker.tidy(i)
            return nil
        }
        print("fuzz mutations: \(checker.accepted) accepted, \(checker.refused) refused, \(checker.foundationCompared) compared with Foundation")
    }

    // MARK: (c) The grammar agrees with Foundation's

    /// Short texts made of JSON tokens and stray bytes, where small mistakes
    /// are likeliest: paysh and Foundation's JSONSerialization accept and
    /// refuse the same ones, but for the refusals paysh chooses on purpose
    /// (InputChecker.foundationAccepts lists them).
    @Test func tokenSoupAgreesWithFoundation() throws {
        let lua = try luaWithJSON()
        var checker = InputChecker(lua: lua)
        let tokens = ["[", "]", "{", "}", ",", ":", "\"a\"", "\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\t\"",
                      "1", "-1", "0", "-0", "01", "1.5", "1.", ".5", "1e5", "1E+5", "1e", "-", "+1", "1e400", "123456789012345678901234",
                      "true", "false", "null", "nul", " ", "\n", "\t", "\r", "\u{0C}", "x", "é", "\"é\"", "NaN", "/", "\\"]
        FuzzBudget.current(defaultSeconds: Self.inSuiteSeconds).run("soup") { i, rng in
            var input: [UInt8] = []
            for _ in 0 ..< rng.within(1 ... 10) {
                if rng.chance(0.08) { input.append(rng.byte()) } else { input += Array(rng.pick(tokens).utf8) }
            }
            if let problem = checker.check(input, foundation: true) { return FuzzFailure(message: problem, input: input) }
            checker.tidy(i)
            return nil
        }
        print("fuzz soup: \(checker.accepted) accepted, \(checker.refused) refused, \(checker.foundationCompared) compared with Foundation, \(checker.allowedDifferences) allowed differences")
        #expect(checker.foundationCompared > 0)
    }

    // MARK: The corpus

    /// Every input in Tests/fuzz/json/: `ok-*` must be accepted, `bad-*`
    /// refused, anything else either; all of them clearly, the same way into Lua.
    @Test func corpusReplays() throws {
        let corpus = Corpus.load()
        #expect(corpus.count >= 20, "Tests/fuzz/json/ has \(corpus.count) inputs")
        var checker = InputChecker(lua: try luaWithJSON())
        for entry in corpus {
            if let problem = checker.check(entry.bytes, foundation: true) {
                Issue.record("\(entry.name): \(problem)")
                continue
            }
            let accepted = (try? JSONValue(parsing: entry.bytes)) != nil
            if entry.name.hasPrefix("ok-") && !accepted { Issue.record("\(entry.name) should be accepted") }
            if entry.name.hasPrefix("bad-") && accepted { Issue.record("\(entry.name) should be refused") }
        }
    }

    // MARK: Regressions found by the fuzzer

    /// A duplicate key with a newline in it broke the one-line message, and
    /// a long one was repeated whole: the key is shown as a JSON string, cut short.
    @Test func aDuplicateKeyIsShownAsAShortJSONString() throws {
        let error = try #require(parseError("{\"a\\nb\\\"\":1,\"a\\u000Ab\\\"\":2}"))
        #expect(error.reason == .duplicateKey("a\nb\""))
        #expect(error.message == #"duplicate key "a\nb\"" in an object"#)
        let long = String(repeating: "é", count: 100)
        let wide = try #require(parseError("{\"\(long)\":1,\"\(long)\":2}"))
        #expect(wide.reason == .duplicateKey(long))
        #expect(wide.message == "duplicate key \"\(String(repeating: "é", count: 40))…\" in an object")
        #expect(parseError(#"{"a":1,"a":2}"#)?.message == #"duplicate key "a" in an object"#)
        // U+2029 is not escaped by JSON, but breaks the line where the message is shown.
        #expect(parseError("{\"a\u{2029}\":1,\"a\\u2029\":2}")?.message == #"duplicate key "a\u2029" in an object"#)
    }

    /// A string cut short inside an escape named where it starts as the byte
    /// before the backslash, not its opening quote.
    @Test func aStringCutInsideAnEscapeNamesItsOpeningQuote() throws {
        for text in [#"["abc\"#, #"["abc\u12"#, #"{"k": "x\u"#, #""abc\ud83d\u"#] {
            let error = try #require(parseError(text))
            #expect(error.reason == .unexpectedEnd, "\(text)")
            #expect(error.message.hasSuffix("(it starts at line 1, column \(text.hasPrefix("{") ? 7 : text.hasPrefix("[") ? 2 : 1))"), "\(text): \(error.message)")
        }
    }
}

// MARK: The corpus on disk

/// Tests/fuzz/json/: inputs worth replaying, each a file.
enum Corpus {
    struct Entry {
        var name: String
        var bytes: [UInt8]
    }

    static var folder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz").appendingPathComponent("json")
    }

    static func load() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") && $0 != "README.md" }.compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
            return Entry(name: name, bytes: Array(data))
        }
    }
}

// MARK: Checking one input every way

/// Runs one input through the tree, the Lua sink, `json.decode` and
/// Foundation, and says what is wrong, if anything.
struct InputChecker {
    let lua: LuaState
    var accepted = 0
    var refused = 0
    var foundationCompared = 0
    var allowedDifferences = 0

    init(lua: LuaState) { self.lua = lua }

    /// Longest a single input may take (a debug build, a loaded machine); anything near it is a hang in the making.
    static let slowest = Duration.seconds(3)

    /// Nil when `input` is accepted, or refused with a clear error, the same way by every reader.
    mutating func check(_ input: [UInt8], foundation: Bool = false) -> String? {
        let clock = ContinuousClock()
        let started = clock.now
        let tree: Result<JSONValue, JSONError>
        do throws(JSONError) { tree = .success(try JSONValue(parsing: input)) } catch { tree = .failure(error) }
        if clock.now - started > Self.slowest { return "parsing took \(clock.now - started)" }

        switch tree {
        case .success(let value):
            accepted += 1
            // What was accepted writes as a text that reads back the same.
            guard let text = try? value.encoded(), let again = try? JSONValue(parsing: text), (try? again.encoded()) == text else {
                return "accepted, but its re-encoding does not read back the same"
            }
        case .failure(let error):
            refused += 1
            if let problem = Self.unclear(error, in: input) { return problem }
        }

        if let problem = luaAgrees(input, with: tree) { return problem }
        if foundation, let problem = foundationAgrees(input, with: tree) { return problem }
        if clock.now - started > Self.slowest * 2 { return "checking took \(clock.now - started)" }
        return nil
    }

    /// What is unclear about `error` as the refusal of `input`, if anything.
    static func unclear(_ error: JSONError, in input: [UInt8]) -> String? {
        let m = error.message
        let beginnings = ["unexpected ", "expected ", "invalid literal", "invalid escape", "invalid UTF-8: byte 0x", "a byte order mark",
                          "a number cannot", "a number needs", "leading zeros", "NaN and Infinity", "unescaped control character U+",
                          "lone high surrogate \\u", "lone low surrogate \\u", "high surrogate \\u", "duplicate key \"", "containers nested more than "]
        // Bytes, not characters: a key may begin with a combining mark, which joins the quote before it.
        guard !m.isEmpty, !m.utf8.contains(0x0A), beginnings.contains(where: { m.utf8.starts(with: $0.utf8) }) else {
            return "unclear message: \(m)"
        }
        guard (0 ... input.count).contains(error.offset) else { return "offset \(error.offset) outside the input (\(input.count) bytes): \(error)" }
        let (line, column) = position(of: error.offset, in: input)
        guard error.line == line, error.column == column else {
            return "line \(error.line), column \(error.column) is not byte \(error.offset) (line \(line), column \(column)): \(error)"
        }
        guard error.description == "\(m) at line \(line), column \(column) (byte \(error.offset))" else { return "description: \(error)" }
        let here: UInt8? = error.offset < input.count ? input[error.offset] : nil
        // What the message says was found must be what is there.
        if let range = m.range(of: ", found ") ?? m.range(of: "unexpected "), !m.hasPrefix("unexpected end") {
            let rest = m[range.upperBound...]
            if rest.hasPrefix("'") || rest.hasPrefix("byte 0x") || rest.hasPrefix("a space") {
                guard let here, rest.hasPrefix(describe(here)) else { return "says it found \(rest), but byte \(error.offset) is \(here.map(describe) ?? "the end"): \(error)" }
            }
        }
        switch error.reason {
        case .unexpectedEnd:
            guard error.offset == input.count else { return "an unexpected end that is not at the end: \(error)" }
            if let range = m.range(of: "(it starts at line ") {
                let numbers = m[range.upperBound...].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
                guard numbers.count == 2, let start = offset(line: numbers[0], column: numbers[1], in: input), input[start] == UInt8(ascii: "\"") else {
                    return "the string it names does not start with a quote there: \(error)"
                }
            }
        case .trailingData:
            guard let here, ![0x20, 0x09, 0x0A, 0x0D].contains(here), (try? JSONValue(parsing: Array(input[..<error.offset]))) != nil else {
                return "trailing data, but what comes before it is not a whole value: \(error)"
            }
        case .invalidUTF8:
            guard let here, here >= 0x80, m.contains(String(format: "0x%02X", here)) else { return "invalid UTF-8 named at the wrong byte: \(error)" }
            let valid = input.withUnsafeBytes { raw in UTF8Check.firstInvalidOffset(in: UnsafeRawBufferPointer(rebasing: raw[error.offset...])) != 0 }
            if valid { return "the bytes named invalid UTF-8 are valid: \(error)" }
        case .duplicateKey:
            guard here == UInt8(ascii: "\"") else { return "a duplicate key not at a quote: \(error)" }
        case .tooDeep:
            guard here == UInt8(ascii: "[") || here == UInt8(ascii: "{") else { return "too deep, but not at a bracket: \(error)" }
        case .invalidSurrogate, .invalidString:
            if m.hasPrefix("unescaped control") {
                guard let here, here < 0x20, m.contains(String(format: "U+%04X", here)) else { return "a control character named at the wrong byte: \(error)" }
            } else if m.hasPrefix("unexpected") == false {
                guard here == UInt8(ascii: "\\") else { return "an escape error not at a backslash: \(error)" }
            }
        case .syntax, .invalidNumber, .tooLarge:
            break
        }
        return nil
    }

    /// How the parser's messages show a byte.
    static func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'" + String(UnicodeScalar(c)) + "'" }
        if c == 0x20 { return "a space" }
        return String(format: "byte 0x%02X", c)
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    static func position(of offset: Int, in input: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1
        for byte in input[..<offset] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// The byte at a 1-based line and column, if there is one.
    static func offset(line: Int, column: Int, in input: [UInt8]) -> Int? {
        var (l, c) = (1, 1)
        for (i, byte) in input.enumerated() where byte & 0xC0 != 0x80 {
            if (l, c) == (line, column) { return i }
            if byte == 0x0A { l += 1; c = 1 } else { c += 1 }
        }
        return nil
    }

    // MARK: Lua

    /// The Lua sink must accept and refuse exactly as the tree does, leave the
    /// stack as it found it, and build a value that encodes as the tree does;
    /// `json.decode` must say the same, prefixed with its name.
    mutating func luaAgrees(_ input: [UInt8], with tree: Result<JSONValue, JSONError>) -> String? {
        let stack = lua.stack
        let before = stack.top
        var failure: JSONError?
        input.withUnsafeBytes { raw in
            do throws(JSONError) { try stack.pushJSON(decoding: raw) } catch { failure = error }
        }
        if let error = failure {
            guard stack.top == before else { return "a refused decode left \(stack.top - before) values on the Lua stack" }
            guard case .failure(let expected) = tree, expected == error else { return "Lua refused (\(error)) what the tree made \(tree)" }
            return nil
        }
        defer { stack.top = before }
        guard stack.top == before + 1 else { return "the Lua sink left \(stack.top - before) values" }
        guard case .success(let value) = tree else { return "Lua accepted what the tree refused (\(tree))" }
        let fromLua: [UInt8]
        do { fromLua = try stack.encodeJSON(at: -1) } catch { return "the decoded Lua value does not encode: \(error)" }
        guard let fromTree = try? value.encoded(), fromLua == fromTree else {
            return "Lua and the tree differ: \(String(decoding: fromLua, as: UTF8.self)) against \(value)"
        }
        return nil
    }

    /// `json.decode` read back: the same refusal as a one-line Lua error, or a value writing `compact`.
    mutating func luaReadsBack(_ input: [UInt8], as compact: [UInt8]) -> String? {
        do {
            let stack = lua.stack
            input.withUnsafeBytes { stack.push(bytes: $0) }
            try stack.setGlobal("fuzz_input")
            let results = try lua.run("return json.encode(json.decode(fuzz_input))")
            guard results.count == 1, case .string(let bytes) = results[0] else { return "json.decode/encode returned \(results)" }
            guard bytes == compact else {
                return "json.decode then json.encode gave \(String(decoding: bytes, as: UTF8.self)), not \(String(decoding: compact, as: UTF8.self))"
            }
        } catch {
            return "json.decode refused a valid text: \(error)"
        }
        return nil
    }

    /// Every so often, also through the Lua function, and collect garbage.
    mutating func tidy(_ iteration: Int) {
        if iteration % 64 == 0 { lua.collectGarbage() }
    }

    // MARK: Foundation

    /// Inputs Foundation reads differently for reasons of its own, not grammar:
    /// an encoding guessed from the first bytes (UTF-16 and UTF-32 are
    /// detected by their NULs, a BOM is skipped), and a nesting limit of its
    /// own far below paysh's.
    static func foundationComparable(_ input: [UInt8]) -> Bool {
        if input.prefix(4).contains(0) { return false }
        if input.starts(with: [0xEF, 0xBB, 0xBF]) || input.starts(with: [0xFE, 0xFF]) || input.starts(with: [0xFF, 0xFE]) { return false }
        return input.lazy.filter { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "{") }.count <= 400
    }

    func foundationParses(_ input: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed])) != nil
    }

    /// A text paysh wrote must be one Foundation reads.
    mutating func foundationAccepts(_ text: [UInt8]) -> String? {
        guard Self.foundationComparable(text), !Self.hasNumberBeyondDouble(text) else { return nil }
        foundationCompared += 1
        return foundationParses(text) ? nil : "Foundation refuses a text paysh wrote"
    }

    /// paysh and Foundation must agree on accepting `input`, except where
    /// paysh refuses on purpose what the RFC leaves open (duplicate keys,
    /// invalid UTF-8, lone surrogates, more nesting than allowed, a BOM),
    /// where Foundation accepts what the RFC forbids (trailing commas), and
    /// numbers beyond a Double, which paysh keeps as text and Foundation refuses.
    mutating func foundationAgrees(_ input: [UInt8], with tree: Result<JSONValue, JSONError>) -> String? {
        guard Self.foundationComparable(input) else { return nil }
        foundationCompared += 1
        let theirs = foundationParses(input)
        switch tree {
        case .success:
            if theirs { return nil }
            if Self.hasNumberBeyondDouble(input) { allowedDifferences += 1; return nil }
            return "paysh accepts what Foundation refuses"
        case .failure(let error):
            guard theirs else { return nil }
            // Foundation's JSONSerialization reads `[1,]` and `{"a":1,}`; the RFC does not.
            if error.message.hasSuffix("(trailing commas are not allowed)") {
                allowedDifferences += 1
                return nil
            }
            switch error.reason {
            case .duplicateKey, .invalidUTF8, .invalidSurrogate, .tooDeep:
                allowedDifferences += 1
                return nil
            default:
                return "paysh refuses (\(error)) what Foundation accepts"
            }
        }
    }

    /// Whether a number in `text` is one a Double cannot hold (paysh keeps it as text).
    static func hasNumberBeyondDouble(_ text: [UInt8]) -> Bool {
        guard let value = try? JSONValue(parsing: text) else { return false }
        var stack = [value]
        while let v = stack.popLast() {
            switch v {
            case .number: return true
            case .array(let items): stack += items
            case .object(let o): stack += o.members.map(\.value)
            default: break
            }
        }
        return false
    }
}
