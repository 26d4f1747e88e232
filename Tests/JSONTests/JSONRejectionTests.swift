import JSON
import Testing

/// Each way a text can be refused: the reason, the message and the position.
@Suite struct Rejections {
    /// Expect `text` to be refused with this reason, message and byte offset.
    func expectRefusal(_ text: String, _ reason: JSONError.Reason, _ message: String, offset: Int,
                       maxDepth: Int = 1000, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = parseError(text, maxDepth: maxDepth, sourceLocation: sourceLocation) else { return }
        #expect(error.reason == reason, sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(error.offset == offset, sourceLocation: sourceLocation)
    }

    @Test func errorsReadAsOneSentenceWithLineColumnAndByte() throws {
        let error = try #require(parseError("{\n  \"id\": 1,\n  \"status\": \"open\" \"x\"\n}"))
        #expect(error.line == 3)
        #expect(error.column == 20)
        #expect(error.offset == 32)
        #expect(error.description == "expected ',' or '}' after an object member, found '\"' at line 3, column 20 (byte 32)")
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let error = try #require(parseError("[\"é€😀\", x]"))
        #expect(error.offset == 14) // é is 2 bytes, € 3, 😀 4
        #expect(error.line == 1)
        #expect(error.column == 9)
    }

    @Test func trailingGarbage() {
        expectRefusal("[1] x", .trailingData, "unexpected 'x' after the end of the JSON value", offset: 4)
        expectRefusal("{} {}", .trailingData, "unexpected '{' after the end of the JSON value", offset: 3)
        expectRefusal("1 2", .trailingData, "unexpected '2' after the end of the JSON value", offset: 2)
        expectRefusal("truex", .trailingData, "unexpected 'x' after the end of the JSON value", offset: 4)
    }

    @Test func emptyAndUnfinishedTexts() {
        expectRefusal("", .unexpectedEnd, "expected a value, found an empty text", offset: 0)
        expectRefusal("  \n ", .unexpectedEnd, "unexpected end of text; expected a value", offset: 4)
        expectRefusal("[1, 2", .unexpectedEnd, "unexpected end of text; expected ',' or ']' after an array element", offset: 5)
        expectRefusal("{\"a\": 1", .unexpectedEnd, "unexpected end of text; expected ',' or '}' after an object member", offset: 7)
        expectRefusal("{\"a\"", .unexpectedEnd, "unexpected end of text; expected ':' after an object key", offset: 4)
        expectRefusal("\"abc", .unexpectedEnd, "unexpected end of text inside a string (it starts at line 1, column 1)", offset: 4)
    }

    @Test func structuralMistakes() {
        expectRefusal("[1,]", .syntax, "expected a value after ',', found ']' (trailing commas are not allowed)", offset: 3)
        expectRefusal("{\"a\":1,}", .syntax, "expected a string key after ',', found '}' (trailing commas are not allowed)", offset: 7)
        expectRefusal("{\"a\" 1}", .syntax, "expected ':' after an object key, found '1'", offset: 5)
        expectRefusal("{'a':1}", .syntax, "expected a string key or '}' after '{', found '''", offset: 1)
        expectRefusal("{1:2}", .syntax, "expected a string key or '}' after '{', found '1'", offset: 1)
        expectRefusal("[1 2]", .syntax, "expected ',' or ']' after an array element, found '2'", offset: 3)
        expectRefusal("[tru]", .syntax, "invalid literal; expected true, false or null", offset: 1)
        expectRefusal("nul", .syntax, "invalid literal; expected true, false or null", offset: 0)
        expectRefusal("undefined", .syntax, "expected a value, found 'u'", offset: 0)
    }

    @Test func byteOrderMarkIsRefused() {
        guard let error = parseError(bytes: [0xEF, 0xBB, 0xBF] + Array("[]".utf8)) else { return }
        #expect(error.message == "a byte order mark (U+FEFF) is not allowed at the start of a JSON text")
        #expect(error.offset == 0)
    }

    @Test func numbersOutsideTheGrammar() {
        expectRefusal("01", .invalidNumber, "leading zeros are not allowed in numbers", offset: 0)
        expectRefusal("[-007]", .invalidNumber, "leading zeros are not allowed in numbers", offset: 1)
        expectRefusal("+1", .invalidNumber, "a number cannot start with '+'", offset: 0)
        expectRefusal(".5", .invalidNumber, "a number needs a digit before the decimal point", offset: 0)
        expectRefusal("1.", .invalidNumber, "expected a digit after the decimal point", offset: 2)
        expectRefusal("1.e5", .invalidNumber, "expected a digit after the decimal point", offset: 2)
        expectRefusal("1e", .invalidNumber, "expected a digit in the exponent", offset: 2)
        expectRefusal("1e+", .invalidNumber, "expected a digit in the exponent", offset: 3)
        expectRefusal("-", .invalidNumber, "expected a digit after '-', found the end of the text", offset: 1)
        expectRefusal("-x", .invalidNumber, "expected a digit after '-', found 'x'", offset: 1)
        expectRefusal("NaN", .invalidNumber, "NaN and Infinity are not valid JSON numbers", offset: 0)
        expectRefusal("[Infinity]", .invalidNumber, "NaN and Infinity are not valid JSON numbers", offset: 1)
        expectRefusal("-Infinity", .invalidNumber, "NaN and Infinity are not valid JSON numbers", offset: 0)
        expectRefusal("0x10", .trailingData, "unexpected 'x' after the end of the JSON value", offset: 1)
    }

    @Test func controlCharactersInsideStrings() {
        expectRefusal("\"a\tb\"", .invalidString, "unescaped control character U+0009 in a string (write it as \\t)", offset: 2)
        expectRefusal("\"a\nb\"", .invalidString, "unescaped control character U+000A in a string (write it as \\n)", offset: 2)
        expectRefusal("[\"\u{1}\"]", .invalidString, "unescaped control character U+0001 in a string (write it as \\u0001)", offset: 2)
        expectRefusal("\"\\n\u{1f}\"", .invalidString, "unescaped control character U+001F in a string (write it as \\u001F)", offset: 3)
        #expect(throws: JSONError.self) { try parse("\"0123456789ab\u{0}cdef\"") }
    }

    @Test func invalidEscapes() {
        expectRefusal(#""\x""#, .invalidString,
                      #"invalid escape '\x' in a string; the escapes are \" \\ \/ \b \f \n \r \t and \uXXXX"#, offset: 1)
        expectRefusal(#""\u12""#, .invalidString, #"expected four hex digits after '\u'"#, offset: 1)
        expectRefusal(#""ab\u00G0""#, .invalidString, #"expected four hex digits after '\u'"#, offset: 3)
        expectRefusal(#""\"#, .unexpectedEnd, "unexpected end of text inside a string (it starts at line 1, column 1)", offset: 2)
    }

    @Test func loneAndMismatchedSurrogates() {
        expectRefusal(#""\ud83d""#, .invalidSurrogate,
                      #"lone high surrogate \uD83D: it must be followed by a low surrogate escape \uDC00-\uDFFF"#, offset: 1)
        expectRefusal(#""\ud83dx""#, .invalidSurrogate,
                      #"lone high surrogate \uD83D: it must be followed by a low surrogate escape \uDC00-\uDFFF"#, offset: 1)
        expectRefusal(#""x\ude00""#, .invalidSurrogate, #"lone low surrogate \uDE00 with no high surrogate before it"#, offset: 2)
        expectRefusal(#""\ud83d\u0041""#, .invalidSurrogate,
                      #"high surrogate \uD83D followed by \u0041, which is not a low surrogate"#, offset: 1)
        expectRefusal(#""\ud83d\ud83d""#, .invalidSurrogate,
                      #"high surrogate \uD83D followed by \uD83D, which is not a low surrogate"#, offset: 1)
    }

    @Test func invalidUTF8IsRefusedWithItsOffset() {
        let cases: [([UInt8], Int)] = [
            ([0x22, 0xFF, 0x22], 1),                    // never valid
            ([0x22, 0x61, 0xC0, 0x80, 0x22], 2),        // overlong NUL
            ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),        // overlong three-byte
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),        // an encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
            ([0x22, 0xE2, 0x82, 0x22], 1),              // truncated
            ([0x22, 0x80, 0x22], 1),                    // a lone continuation byte
            (Array("\"0123456789abcdef".utf8) + [0xC3, 0x28, 0x22], 17), // after the eight-byte scan
            (Array("{\"k\\n".utf8) + [0xFF, 0x22, 0x3A, 0x31, 0x7D], 5),  // in a key with an escape
        ]
        for (bytes, offset) in cases {
            guard let error = parseError(bytes: bytes) else { continue }
            #expect(error.reason == .invalidUTF8, "\(bytes)")
            #expect(error.offset == offset, "\(bytes)")
        }
        #expect(parseError(bytes: [0x5B, 0xFF, 0x5D])?.message == "expected a value, found byte 0xFF")
    }

    @Test func duplicateKeysNameTheKey() {
        expectRefusal(#"{"a":1,"a":2}"#, .duplicateKey("a"), #"duplicate key "a" in an object"#, offset: 7)
        expectRefusal(#"{"a":1,"b":{"c":1,"c":1}}"#, .duplicateKey("c"), #"duplicate key "c" in an object"#, offset: 18)
        // The same shape seen again must still be checked for a repeat at its end.
        expectRefusal(#"[{"x":1,"y":2},{"x":1,"y":2,"x":3}]"#, .duplicateKey("x"), #"duplicate key "x" in an object"#, offset: 28)
        // Keys in different objects, or at different levels, are not duplicates.
        #expect(throws: Never.self) { try parse(#"[{"a":1},{"a":2},{"a":{"a":3}}]"#) }
    }

    @Test func duplicatesAreCaughtInObjectsTooLargeToTrack() throws {
        let members = (1...400).map { "\"k\($0)\":\($0)" }
        let value = try parse("{" + members.joined(separator: ",") + "}")
        #expect(value.objectValue?.count == 400)
        #expect(value.objectValue?.keys.last == "k400")
        let error = parseError("{" + members.joined(separator: ",") + ",\"k200\":0}")
        #expect(error?.reason == .duplicateKey("k200"))
        let early = parseError("{" + members.joined(separator: ",") + ",\"k3\":0}")
        #expect(early?.reason == .duplicateKey("k3"))
    }

    @Test func duplicatesAreCaughtOnceTheShapeTrieIsFull() throws {
        // 70,000 distinct one-key objects fill the trie (65,536 nodes); later objects go untracked.
        let objects = (1...70_000).map { "{\"key\($0)\":\($0)}" }
        let value = try parse("[" + objects.joined(separator: ",") + "]")
        #expect(value[69_999] == ["key70000": 70_000])
        let error = parseError("[" + objects.joined(separator: ",") + ",{\"z\":1,\"y\":2,\"z\":3}]")
        #expect(error?.reason == .duplicateKey("z"))
    }

    @Test func depthLimitIsConfigurable() {
        expectRefusal("[[[1]]]", .tooDeep, "containers nested more than 2 deep", offset: 2, maxDepth: 2)
        expectRefusal("{\"a\":{\"b\":{}}}", .tooDeep, "containers nested more than 2 deep", offset: 10, maxDepth: 2)
        #expect(throws: Never.self) { try parse("[[[1]]]", maxDepth: 3) }
        #expect(throws: Never.self) { try parse("1", maxDepth: 0) }
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: Never.self) { try parse(deep) }
        #expect(parseError("[" + deep + "]")?.reason == .tooDeep)
    }

    @Test func swiftTreesStopAtTheirDepthCeiling() {
        let n = JSONValue.maximumDepth + 1
        let deep = String(repeating: "[", count: n) + String(repeating: "]", count: n)
        #expect(parseError(deep, maxDepth: 1_000_000)?.message == "containers nested more than \(JSONValue.maximumDepth) deep")
    }
}
