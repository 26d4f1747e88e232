import JSON
import LuaJSON
import LuaKit
import Testing

/// A Lua state with the standard libraries and `json` as a global.
func luaWithJSON() throws -> LuaState {
    let lua = try LuaState()
    LuaJSON.pushModule(on: lua.stack)
    try lua.stack.setGlobal("json")
    return lua
}

/// Run `source` and return its single result as a Swift string.
func luaString(_ lua: LuaState, _ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
    let results = try lua.run(source)
    guard results.count == 1 else {
        Issue.record("expected one result, got \(results)", sourceLocation: sourceLocation)
        return nil
    }
    return results[0].stringValue
}

/// The message of the error `source` raises; records an issue when it does not raise.
func luaError(_ lua: LuaState, _ source: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    do {
        let results = try lua.run(source)
        Issue.record("expected an error, got \(results)", sourceLocation: sourceLocation)
        return ""
    } catch let error as LuaError {
        return error.message
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return ""
    }
}

@Suite struct LuaDecoding {
    @Test func decodeBuildsPlainLuaValues() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local v = json.decode('{"id": "inv_1", "n": 3, "x": 1.5, "ok": true, "items": [1, 2, 3]}')
            return v.id, v.n, math.type(v.n), v.x, math.type(v.x), v.ok, #v.items, v.items[3]
        """#)
        #expect(results == ["inv_1", 3, "integer", 1.5, "float", true, 3, 3])
    }

    @Test func nullIsTheSharedLightUserdata() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local v = json.decode('{"a": null, "b": [null]}')
            return v.a == json.null, v.b[1] == json.null, type(json.null), #v.b
        """#)
        #expect(results == [true, true, "userdata", 1])
        #expect(try lua.run("return json.null")[0] == .lightUserdata(nil))
    }

    @Test func nullEqualsLuaCjsonNull() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local ok, cjson = pcall(require, "cjson")
            if not ok then return "no cjson" end
            return json.null == cjson.null
        """#)
        if results[0] != "no cjson" { #expect(results == [true]) }
    }

    @Test func keyOrderSurvivesDecodeThenEncode() throws {
        let lua = try luaWithJSON()
        let text = #"{"zeta":1,"alpha":{"y":true,"x":false},"mid":[{"b":1,"a":2},{"b":3,"a":4}]}"#
        #expect(try luaString(lua, "return json.encode(json.decode[[\(text)]])") == text)
    }

    @Test func objectsOfOneShapeShareTheirMetatable() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local list = json.decode('[{"id":1,"s":"a"},{"id":2,"s":"b"},{"s":"c","id":3}]')
            local m1, m2, m3 = getmetatable(list[1]), getmetatable(list[2]), getmetatable(list[3])
            return m1 == m2, m1 ~= m3, table.concat(m1.__jsonkeys, ","), table.concat(m3.__jsonkeys, ","), m1.__name
        """#)
        #expect(results == [true, true, "id,s", "s,id", "json.object"])
    }

    @Test func emptyArrayAndEmptyObjectRoundTrip() throws {
        let lua = try luaWithJSON()
        #expect(try luaString(lua, #"return json.encode(json.decode('{"a":[],"b":{},"c":[[]]}'))"#) == #"{"a":[],"b":{},"c":[[]]}"#)
        #expect(try luaString(lua, "return json.encode(json.decode('[]'))") == "[]")
        #expect(try luaString(lua, "return json.encode(json.decode('{}'))") == "{}")
        #expect(try lua.run("return getmetatable(json.decode('[]')).__name")[0] == "json.array")
    }

    @Test func bigNumbersAreBoxedAndReEncodedVerbatim() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local v = json.decode('[18446744073709551616, 9223372036854775807, 9007199254740993, 1e400, 0.1000000000000000000001]')
            return tostring(v[1]), math.type(v[2]), v[2] == math.maxinteger, v[3], tostring(v[4]),
                   getmetatable(v[1]).__name, json.encode(v)
        """#)
        #expect(results == ["18446744073709551616", "integer", true, 9_007_199_254_740_993, "1e400", "json.number",
                            "[18446744073709551616,9223372036854775807,9007199254740993,1e400,0.1000000000000000000001]"])
    }

    @Test func numberBoxesCompareByText() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local a = json.decode('[18446744073709551616, 18446744073709551616, 18446744073709551617]')
            return a[1] == a[2], a[1] == a[3], "total: " .. a[1], json.number("12.30") == json.number("12.30")
        """#)
        #expect(results == [true, false, "total: 18446744073709551616", true])
    }

    @Test func nulBytesInsideStringsRoundTrip() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local s = json.decode('"a\\u0000b"')
            return #s, s == "a\0b", json.encode(s), json.encode(json.decode(json.encode("x\0y")))
        """#)
        #expect(results == [3, true, #""a\u0000b""#, #""x\u0000y""#])
    }

    @Test func decodeErrorsNameLineColumnAndByte() throws {
        let lua = try luaWithJSON()
        let message = luaError(lua, "return json.decode('{\\n  \"a\": 1,\\n  \"b\": 2 \"c\"\\n}')")
        #expect(message == "json.decode: expected ',' or '}' after an object member, found '\"' at line 3, column 10 (byte 21)")
    }

    @Test func decodeRejectsDuplicateKeysNamingTheKey() throws {
        let lua = try luaWithJSON()
        let message = luaError(lua, #"return json.decode('[{"id":1,"amount":2},{"id":1,"amount":2,"id":3}]')"#)
        #expect(message.contains("duplicate key \"id\""))
    }

    @Test func decodeHonoursMaxDepth() throws {
        let lua = try luaWithJSON()
        #expect(try lua.run("return #json.decode(string.rep('[', 1000) .. string.rep(']', 1000))") == [1])
        #expect(luaError(lua, "return json.decode(string.rep('[', 1001) .. string.rep(']', 1001))").contains("nested more than 1000"))
        #expect(luaError(lua, "return json.decode('[[[1]]]', {max_depth = 2})").contains("nested more than 2"))
        #expect(try lua.run("return json.decode('[[[1]]]', {max_depth = 3})[1][1][1]") == [1])
    }

    @Test func decodeRejectsBadArguments() throws {
        let lua = try luaWithJSON()
        #expect(luaError(lua, "return json.decode(42)") == "bad argument #1 to 'decode' (string expected, got number)")
        #expect(luaError(lua, "return json.decode('1', {maxdepth = 2})") == "json.decode: unknown option 'maxdepth'")
    }

    @Test func largeArraysAndObjectsAreMovedInBatches() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local parts = {}
            for i = 1, 5000 do parts[i] = tostring(i) end
            local a = json.decode('[' .. table.concat(parts, ',') .. ']')
            local members = {}
            for i = 1, 3000 do members[i] = string.format('"k%d":%d', i, i) end
            local o = json.decode('{' .. table.concat(members, ',') .. '}')
            local keys = getmetatable(o).__jsonkeys
            local n = 0
            for _ in pairs(o) do n = n + 1 end
            return #a, a[1], a[5000], n, o.k1, o.k3000, #keys, keys[1], keys[3000], json.encode(json.decode(json.encode(o))) == json.encode(o)
        """#)
        #expect(results == [5000, 1, 5000, 3000, 1, 3000, 3000, "k1", "k3000", true])
    }

    @Test func objectsWithVeryManyKeysGetPrivateKeyOrder() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local members = {}
            for i = 200, 1, -1 do members[#members + 1] = string.format('"k%03d":%d', i, i) end
            local text = '[{' .. table.concat(members, ',') .. '},{' .. table.concat(members, ',') .. '}]'
            local list = json.decode(text)
            local m1, m2 = getmetatable(list[1]), getmetatable(list[2])
            return json.encode(list) == text, m1 ~= m2, #m1.__jsonkeys, m1.__jsonkeys[1], m1.__name
        """#)
        #expect(results == [true, true, 200, "k200", "json.object"])
    }

    @Test func manyKeysStillCatchDuplicates() throws {
        let lua = try luaWithJSON()
        let message = luaError(lua, #"""
            local members = {}
            for i = 1, 300 do members[i] = string.format('"k%d":%d', i, i) end
            members[301] = '"k7":0'
            return json.decode('{' .. table.concat(members, ',') .. '}')
        """#)
        #expect(message.contains("duplicate key \"k7\""))
    }
}

@Suite struct LuaEncoding {
    @Test func plainTablesFollowTheirKeys() throws {
        let lua = try luaWithJSON()
        #expect(try luaString(lua, "return json.encode({1, 2, 'x'})") == #"[1,2,"x"]"#)
        #expect(try luaString(lua, "return json.encode({b = 1, a = 2, c = {}})") == #"{"a":2,"b":1,"c":{}}"#)
        #expect(try luaString(lua, "return json.encode({})") == "{}")
        #expect(try luaString(lua, "return json.encode(json.array{})") == "[]")
        #expect(try luaString(lua, "return json.encode(json.array())") == "[]")
        #expect(try luaString(lua, "return json.encode(json.object{})") == "{}")
    }

    @Test func numbersKeepTheirKind() throws {
        let lua = try luaWithJSON()
        #expect(try luaString(lua, "return json.encode({1, 1.0, -0.5, 0.1, 1e300, 2^53, math.mininteger})")
                == "[1,1.0,-0.5,0.1,1e300,9007199254740992.0,-9223372036854775808]")
        #expect(try luaString(lua, "return json.encode(1/3)") == "0.3333333333333333")
        #expect(try luaString(lua, "return json.encode(1e-7)") == "1e-7")
    }

    @Test func nanAndInfinityAreErrors() throws {
        let lua = try luaWithJSON()
        #expect(luaError(lua, "return json.encode({x = 0/0})").hasPrefix("json.encode: value at $.x: "))
        #expect(luaError(lua, "return json.encode(math.huge)").contains("cannot be encoded"))
    }

    @Test func stringsAreEscapedMinimally() throws {
        let lua = try luaWithJSON()
        #expect(try luaString(lua, #"return json.encode("a\"b\\c/d\n\t\1é<>")"#) == #""a\"b\\c/d\n\t\u0001é<>""#)
    }

    @Test func invalidUTF8IsAnError() throws {
        let lua = try luaWithJSON()
        #expect(luaError(lua, #"return json.encode({name = "\xff"})"#) == "json.encode: value at $.name: string is not valid UTF-8 (byte 0 of 1)")
        #expect(luaError(lua, #"return json.encode({["\xc0\x80"] = 1})"#).contains("not valid UTF-8"))
    }

    @Test func badTablesAreErrorsNamingThePath() throws {
        let lua = try luaWithJSON()
        #expect(luaError(lua, "return json.encode({items = {1, 2, {x = {1, nil, 3}}}})")
                == "json.encode: value at $.items[3].x: table is not a sequence: 2 integer keys but the largest is 3 (holes cannot be encoded)")
        #expect(luaError(lua, "return json.encode({1, 2, a = 3})").contains("mixes 2 integer keys and 1 string keys"))
        #expect(luaError(lua, "return json.encode({[true] = 1})").contains("neither a string nor a positive integer"))
        #expect(luaError(lua, "return json.encode({f = print})") == "json.encode: value at $.f: cannot encode a function")
        #expect(luaError(lua, #"return json.encode({["odd key"] = {coroutine.create(print)}})"#)
                == #"json.encode: value at $["odd key"][1]: cannot encode a thread"#)
    }

    @Test func cyclesAreErrors() throws {
        let lua = try luaWithJSON()
        #expect(luaError(lua, "local t = {}; t.self = t; return json.encode(t)") == "json.encode: value at $.self: table contains itself (a cycle)")
    }

    @Test func sharedSubtablesAreNotCycles() throws {
        let lua = try luaWithJSON()
        #expect(try luaString(lua, "local s = {1}; return json.encode({s, s})") == "[[1],[1]]")
    }

    @Test func encodeHonoursMaxDepth() throws {
        let lua = try luaWithJSON()
        #expect(luaError(lua, "return json.encode({{{1}}}, {max_depth = 2})").contains("nested more than 2 deep"))
        #expect(try luaString(lua, "return json.encode({{{1}}}, {max_depth = 3})") == "[[[1]]]")
        #expect(luaError(lua, "local t = {}; for i = 1, 1001 do t = {t} end; return json.encode(t)").contains("nested more than 1000 deep"))
    }

    @Test func prettyOutputIndentsTwoSpaces() throws {
        let lua = try luaWithJSON()
        let text = try luaString(lua, #"return json.encode(json.decode('{"b":[1,{"c":null}],"a":{},"d":[]}'), {pretty = true})"#)
        #expect(text == """
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
    }

    @Test func sortKeysOverridesRecordedOrder() throws {
        let lua = try luaWithJSON()
        #expect(try luaString(lua, #"return json.encode(json.decode('{"b":1,"a":{"z":1,"y":2}}'), {sort_keys = true})"#)
                == #"{"a":{"y":2,"z":1},"b":1}"#)
    }

    @Test func keysAddedAfterDecodeFollowTheRecordedOnesSorted() throws {
        let lua = try luaWithJSON()
        let text = try luaString(lua, #"""
            local v = json.decode('{"status":"open","id":7,"note":"x"}')
            v.note = nil
            v.zz = 1
            v.aa = 2
            return json.encode(v)
        """#)
        #expect(text == #"{"status":"open","id":7,"aa":2,"zz":1}"#)
    }

    @Test func markersOnUserTables() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local t = {}
            local same = json.array(t) == t
            local o = json.object({z = 1, a = 2})
            return same, json.encode(t), json.encode(o), json.encode(json.array({1, 2}))
        """#)
        #expect(results == [true, "[]", #"{"a":2,"z":1}"#, "[1,2]"])
        #expect(luaError(lua, "return json.encode(json.array({a = 1}))").contains("not a positive integer"))
        #expect(luaError(lua, "return json.array(setmetatable({}, {}))").contains("already has a metatable"))
    }

    @Test func numberBoxesEncodeVerbatimAndValidate() throws {
        let lua = try luaWithJSON()
        #expect(try luaString(lua, #"return json.encode({amount = json.number("12.30")})"#) == #"{"amount":12.30}"#)
        #expect(luaError(lua, #"return json.number("12,30")"#) == #"json.number: "12,30" is not a JSON number"#)
    }

    @Test func encodeNeedsAValueButNilIsNull() throws {
        let lua = try luaWithJSON()
        #expect(luaError(lua, "return json.encode()") == "bad argument #1 to 'encode' (value expected)")
        #expect(try luaString(lua, "return json.encode(nil)") == "null")
        #expect(try luaString(lua, "return json.encode(json.null)") == "null")
    }

    @Test func encodeRejectsUnknownOptions() throws {
        let lua = try luaWithJSON()
        #expect(luaError(lua, "return json.encode({}, {indent = 2})") == "json.encode: unknown option 'indent'")
        #expect(luaError(lua, "return json.encode({}, {pretty = 1})").contains("must be a boolean"))
    }
}

/// `__tojson`: how a table that stands for a scalar (a money amount) is written.
@Suite struct ToJSONMetamethodTests {
    func encode(_ chunk: String) throws -> String {
        let lua = try LuaState()
        LuaJSON.pushModule(on: lua.stack)
        try lua.stack.setGlobal("json")
        let values = try lua.run(chunk)
        guard case .string(let text)? = values.first else { return "" }
        return String(decoding: text, as: UTF8.self)
    }

    @Test func aTableWithToJSONIsWrittenAsWhatItReturns() throws {
        let text = try encode(#"local amount = setmetatable({}, {__tojson = function(t) return "12.50" end}); return json.encode({a = amount, b = {amount}})"#)
        #expect(text == #"{"a":"12.50","b":["12.50"]}"#)
    }

    @Test func aToJSONThatFailsOrReturnsATableIsAnError() throws {
        let failing = try encode(#"local ok, e = pcall(json.encode, setmetatable({}, {__tojson = function() error("nope") end})); return e"#)
        #expect(failing.contains("__tojson failed") && failing.contains("nope"))
        let table = try encode(#"local ok, e = pcall(json.encode, {x = setmetatable({}, {__tojson = function() return {} end})}); return e"#)
        #expect(table.contains("value at $.x: __tojson returned a table"))
    }
}
