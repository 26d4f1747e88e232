import JSON
import Testing

/// Parse `text`, or fail the test with the parser's error.
func parse(_ text: String, maxDepth: Int = 1000) throws -> JSONValue {
    try JSONValue(parsing: text, options: JSONDecodingOptions(maxDepth: maxDepth))
}

/// The error the parser raises for `text`; fails the test when it parses.
func parseError(_ text: String, maxDepth: Int = 1000, sourceLocation: SourceLocation = #_sourceLocation) -> JSONError? {
    do {
        let value = try JSONValue(parsing: text, options: JSONDecodingOptions(maxDepth: maxDepth))
        Issue.record("expected an error, parsed \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

func parseError(bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> JSONError? {
    do {
        let value = try JSONValue(parsing: bytes)
        Issue.record("expected an error, parsed \(value)", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

@Suite struct ScalarDecoding {
    @Test func literalsDecode() throws {
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse(" null ") == .null)
    }

    @Test func integersStayInt64() throws {
        #expect(try parse("0") == .integer(0))
        #expect(try parse("-17") == .integer(-17))
        #expect(try parse("9007199254740993") == .integer(9_007_199_254_740_993)) // 2^53 + 1, exact
        #expect(try parse("9223372036854775807") == .integer(Int64.max))
        #expect(try parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try parse("1234567890123456789") == .integer(1_234_567_890_123_456_789))
    }

    @Test func integersBeyondInt64KeepTheirText() throws {
        #expect(try parse("18446744073709551616") == .number("18446744073709551616"))
        #expect(try parse("9223372036854775808") == .number("9223372036854775808"))
        #expect(try parse("-9223372036854775809") == .number("-9223372036854775809"))
        #expect(try parse("123456789012345678901234567890") == .number("123456789012345678901234567890"))
    }

    @Test func floatsBecomeDoubles() throws {
        #expect(try parse("174.08") == .double(174.08))
        #expect(try parse("-0.5") == .double(-0.5))
        #expect(try parse("1.0") == .double(1.0))
        #expect(try parse("1e2") == .double(100))
        #expect(try parse("1E-7") == .double(1e-7))
        #expect(try parse("0.000123") == .double(0.000123))
        #expect(try parse("1.5e300") == .double(1.5e300))
        #expect(try parse("2.2250738585072014e-308") == .double(2.2250738585072014e-308))
        #expect(try parse("0.30000000000000004") == .double(0.30000000000000004))
        #expect(try parse("123456789.12345678") == .double(123456789.12345678))
        #expect(try parse("1.00000000000000000000") == .double(1.0)) // trailing zeros lose nothing
    }

    @Test func floatsThatWouldNotSurviveADoubleKeepTheirText() throws {
        #expect(try parse("9007199254740993.0") == .number("9007199254740993.0"))
        #expect(try parse("0.1000000000000000000001") == .number("0.1000000000000000000001"))
        #expect(try parse("1e400") == .number("1e400"))
        #expect(try parse("-1e400") == .number("-1e400"))
        #expect(try parse("1e-400") == .number("1e-400"))
        #expect(try parse("12345678901234567890.5") == .number("12345678901234567890.5"))
    }

    @Test func stringsDecodeEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try parse(#""\u00e9\u20AC""#) == .string("é€"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse("\"é😀 raw\"") == .string("é😀 raw"))
    }

    @Test func nulEscapesSurviveInsideStrings() throws {
        let value = try parse(#""a\u0000b""#)
        #expect(value == .string("a\u{0}b"))
        #expect(value.stringValue?.utf8.count == 3)
    }

    @Test func longStringsCrossTheEightByteScanner() throws {
        let text = String(repeating: "abcdefghij", count: 20)
        #expect(try parse("\"\(text)\"") == .string(text))
        #expect(try parse("\"\(text)\\n\(text)\"") == .string(text + "\n" + text))
        #expect(try parse("\"\(text)é\(text)\"") == .string(text + "é" + text))
    }
}

@Suite struct ContainerDecoding {
    @Test func objectsKeepKeyOrder() throws {
        let value = try parse(#"{"zeta": 1, "alpha": 2, "mid": {"b": 1, "a": 2}}"#)
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid"])
        #expect(value["mid"]?.objectValue?.keys == ["b", "a"])
    }

    @Test func emptyContainersStayDistinct() throws {
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object(JSONObject()))
        #expect(try parse(" [ ] ") == .array([]))
        #expect(try parse("{ \n}") == .object(JSONObject()))
    }

    @Test func homogeneousListsShareShapesAndDecodeEachObject() throws {
        let value = try parse(#"[{"id":1,"s":"a"},{"id":2,"s":"b"},{"s":"c","id":3},{"id":4}]"#)
        #expect(value[0] == ["id": 1, "s": "a"])
        #expect(value[1] == ["id": 2, "s": "b"])
        #expect(value[2]?.objectValue?.keys == ["s", "id"])
        #expect(value[3] == ["id": 4])
    }

    @Test func keysWithEscapesMatchTheirPlainSpelling() throws {
        let value = try parse(#"[{"a\"b":1,"c":2},{"a\"b":3,"c":4},{"\u0061":5}]"#)
        #expect(value[1] == ["a\"b": 3, "c": 4])
        #expect(value[2] == ["a": 5])
        #expect(parseError(#"{"a":1,"\u0061":2}"#)?.reason == .duplicateKey("a"))
    }

    @Test func nestedValues() throws {
        let value = try parse(#"{"a":[1,[2,[3,{"b":null}]],true],"c":"d"}"#)
        #expect(value == ["a": [1, [2, [3, ["b": nil]]], true], "c": "d"])
    }
}
