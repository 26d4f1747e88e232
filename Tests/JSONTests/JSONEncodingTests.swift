import JSON
import Testing

@Suite struct ValueEncoding {
    @Test func compactOutputHasNoSpaces() throws {
        let value: JSONValue = ["id": "inv_1", "lines": [1, 2.5, nil, true], "meta": [:]]
        #expect(try value.encodedString() == #"{"id":"inv_1","lines":[1,2.5,null,true],"meta":{}}"#)
    }

    @Test func prettyOutputUsesTwoSpacesAndKeepsEmptyContainersInline() throws {
        let value: JSONValue = ["b": [1, ["c": nil]], "a": [:], "d": []]
        #expect(try value.encodedString(options: JSONEncodingOptions(pretty: true)) == """
            {
              "b": [
                1,
                {
                  "c": null
                }
              ],
              "a": {},
              "d": []
            }
            """)
        #expect(try JSONValue.array([]).encodedString(options: JSONEncodingOptions(pretty: true)) == "[]")
        #expect(try JSONValue.integer(7).encodedString(options: JSONEncodingOptions(pretty: true)) == "7")
    }

    @Test func sortKeysOrdersByBytesAtEveryLevel() throws {
        let value: JSONValue = ["b": 1, "a": ["z": 1, "y": 2], "B": 0, "é": 3]
        #expect(try value.encodedString(options: JSONEncodingOptions(sortKeys: true)) == #"{"B":0,"a":{"y":2,"z":1},"b":1,"é":3}"#)
        #expect(try value.encodedString() == #"{"b":1,"a":{"z":1,"y":2},"B":0,"é":3}"#)
    }

    @Test func doublesUseTheShortestRoundTripForm() throws {
        let cases: [(Double, String)] = [
            (1.0, "1.0"), (-0.0, "-0.0"), (0.1, "0.1"), (174.08, "174.08"), (1e-7, "1e-7"), (1e21, "1e21"),
            (123456789012345680.0, "1.2345678901234568e17"), (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e308"),
            (9007199254740992.0, "9007199254740992.0"), (0.30000000000000004, "0.30000000000000004"),
        ]
        for (d, text) in cases {
            #expect(try JSONValue.double(d).encodedString() == text)
            #expect(try JSONValue(parsing: text) == .double(d), "\(text) reads back")
        }
    }

    @Test func integersAndExactNumbersAreWrittenAsTheyAre() throws {
        #expect(try JSONValue.integer(.min).encodedString() == "-9223372036854775808")
        #expect(try JSONValue.integer(.max).encodedString() == "9223372036854775807")
        #expect(try JSONValue.number("18446744073709551616").encodedString() == "18446744073709551616")
        #expect(try JSONValue.number("12.30").encodedString() == "12.30")
    }

    @Test func bigNumbersSurviveARoundTripVerbatim() throws {
        let text = #"[18446744073709551616,-99999999999999999999,9007199254740993.0,1e400,0.1000000000000000000001]"#
        #expect(try JSONValue(parsing: text).encodedString() == text)
    }

    @Test func nonFiniteDoublesAndBadNumberTextsAreErrorsWithAPath() {
        #expect(throws: JSONEncodingError(path: "$.amounts[1]", message: "nan cannot be written as JSON (NaN and infinities have no JSON form)")) {
            try JSONValue.object(["amounts": [1.0, .double(.nan)]]).encoded()
        }
        #expect(throws: JSONEncodingError(path: #"$["odd key"]"#, message: #""1,5" is not a JSON number"#)) {
            try JSONValue.object(["odd key": .number("1,5")]).encoded()
        }
        #expect(throws: JSONEncodingError.self) { try JSONValue.double(.infinity).encoded() }
    }

    @Test func encodingHonoursMaxDepth() throws {
        let value: JSONValue = [[[1]]]
        #expect(throws: JSONEncodingError(path: "$[0][0]", message: "containers nested more than 2 deep")) {
            try value.encoded(options: JSONEncodingOptions(maxDepth: 2))
        }
        #expect(try value.encodedString(options: JSONEncodingOptions(maxDepth: 3)) == "[[[1]]]")
    }

    @Test func stringsEscapeOnlyWhatRFC8259Requires() throws {
        let value = JSONValue.string("q\" b\\ s/ \u{0}\u{1}\u{8}\u{9}\u{a}\u{c}\u{d}\u{1f}\u{7f} é <>&")
        #expect(try value.encodedString() == #""q\" b\\ s/ \u0000\u0001\b\t\n\f\r\u001f"# + "\u{7f} é <>&\"")
    }

    @Test func emptyArrayAndEmptyObjectRoundTrip() throws {
        for text in ["[]", "{}", #"{"a":[],"b":{},"c":[{}]}"#] {
            #expect(try JSONValue(parsing: text).encodedString() == text)
        }
    }

    @Test func keyOrderSurvivesDecodeThenEncode() throws {
        let text = #"{"status":"paid","id":"inv_9","amount":{"value":"12.00","currency":"EUR"},"lines":[{"b":1,"a":2}]}"#
        #expect(try JSONValue(parsing: text).encodedString() == text)
    }

    @Test func writerReformatsWithoutATree() throws {
        var writer = JSONWriter(pretty: true)
        let input = Array(#"{"a" : [ 1 , 2 ], "b":{ }}"#.utf8)
        try input.withUnsafeBytes { try JSONParser.parse($0, into: &writer) }
        #expect(writer.text == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}")
    }

    @Test func objectsKeepFirstPlaceAndLastValueForRepeatedKeys() {
        var object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
        object["c"] = 4
        object["a"] = nil
        #expect(object.keys == ["b", "c"])
    }

    @Test func accessorsReadTheTree() throws {
        let value = try JSONValue(parsing: #"{"n": 3, "d": 2.5, "big": 18446744073709551616, "s": "x", "ok": false, "z": null}"#)
        #expect(value["n"]?.int64Value == 3)
        #expect(value["d"]?.doubleValue == 2.5)
        #expect(value["big"]?.numberText == "18446744073709551616")
        #expect(value["s"]?.stringValue == "x")
        #expect(value["ok"]?.boolValue == false)
        #expect(value["z"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value.description == #"{"n":3,"d":2.5,"big":18446744073709551616,"s":"x","ok":false,"z":null}"#)
    }

    @Test func negativeZeroKeepsItsKind() throws {
        #expect(try JSONValue(parsing: "-0") == .integer(0))
        let d = try JSONValue(parsing: "-0.0")
        #expect(d == .double(-0.0))
        #expect(d.doubleValue?.sign == .minus)
    }
}

/// A deterministic generator of JSON values, for round-trip properties.
struct ValueGenerator {
    var state: UInt64

    mutating func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }

    mutating func string() -> String {
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\u{0}", "\u{1f}", "é", "€", "😀", "\u{7f}", "key", "id"]
        return (0..<next(6)).map { _ in pieces[next(pieces.count)] }.joined()
    }

    mutating func value(depth: Int = 0) -> JSONValue {
        switch next(depth > 4 ? 7 : 9) {
        case 0: return .null
        case 1: return .bool(next(2) == 0)
        case 2: return .integer(Int64(next(2_000_001)) - 1_000_000)
        case 3: return .double([0.5, -1.25, 1e-7, 3.0, 174.08, 1.5e300, 0.1][next(7)])
        case 4: return .number(["18446744073709551616", "-99999999999999999999999", "1e400"][next(3)])
        case 5, 6: return .string(string())
        case 7: return .array((0..<next(5)).map { _ in value(depth: depth + 1) })
        default: return .object(JSONObject((0..<next(5)).map { _ in (string(), value(depth: depth + 1)) }))
        }
    }
}

@Suite struct RoundTrips {
    @Test func generatedValuesSurviveEncodeThenDecode() throws {
        var generator = ValueGenerator(state: 42)
        for _ in 0..<500 {
            let value = generator.value()
            for options in [JSONEncodingOptions(), JSONEncodingOptions(pretty: true)] {
                let text = try value.encoded(options: options)
                #expect(try JSONValue(parsing: text) == value)
            }
        }
    }

    @Test func mutatedTextsAreRefusedOrReadConsistently() throws {
        // Damage valid texts byte by byte: the parser must never crash, and what it
        // accepts must encode to a text that reads back to the same value.
        var generator = ValueGenerator(state: 7)
        let alphabet = Array(#"{}[],:"\ -+.eE0123456789tfnul"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xE2, 0xED, 0xF0, 0xFF]
        var accepted = 0
        var refused = 0
        for _ in 0..<300 {
            var bytes = try generator.value().encoded()
            for _ in 0..<(1 + generator.next(3)) where !bytes.isEmpty {
                let i = generator.next(bytes.count)
                switch generator.next(3) {
                case 0: bytes[i] = alphabet[generator.next(alphabet.count)]
                case 1: bytes.remove(at: i)
                default: bytes.insert(alphabet[generator.next(alphabet.count)], at: i)
                }
            }
            do {
                let value = try JSONValue(parsing: bytes)
                #expect(try JSONValue(parsing: value.encoded()) == value)
                accepted += 1
            } catch let error as JSONError {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
                refused += 1
            }
        }
        #expect(accepted > 0 && refused > 0)
    }
}
