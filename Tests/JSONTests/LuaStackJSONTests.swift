import CLuaShim
import JSON
import LuaJSON
import LuaKit
import Testing

/// The Swift entry points other code uses: decode onto a stack, push a tree, read a value.
@Suite struct LuaStackJSON {
    @Test func pushJSONDecodesBytesStraightOntoTheStack() throws {
        let lua = try luaWithJSON()
        let stack = lua.stack
        let before = stack.top
        let body = Array(#"{"id":"inv_1","total":"174.08","lines":[]}"#.utf8)
        try body.withUnsafeBytes { try stack.pushJSON(decoding: $0) }
        #expect(stack.top == before + 1)
        try stack.setGlobal("invoice")
        #expect(try lua.run("return invoice.id, invoice.total, json.encode(invoice)")
                == ["inv_1", "174.08", #"{"id":"inv_1","total":"174.08","lines":[]}"#])
    }

    @Test func pushJSONLeavesTheStackAloneOnError() throws {
        let lua = try luaWithJSON()
        let stack = lua.stack
        let before = stack.top
        let body = Array(#"{"a":[1,2,{"b":"#.utf8)
        #expect(throws: JSONError.self) { try body.withUnsafeBytes { try stack.pushJSON(decoding: $0) } }
        #expect(stack.top == before)
    }

    @Test func pushedTreesLookDecoded() throws {
        let lua = try luaWithJSON()
        let value: JSONValue = ["z": 1, "a": [], "m": [:], "n": nil, "big": .number("18446744073709551616"), "x": 1.0]
        try lua.stack.push(json: value)
        try lua.stack.setGlobal("v")
        #expect(try lua.run("return json.encode(v), v.n == json.null, tostring(v.big), math.type(v.x)")
                == [#"{"z":1,"a":[],"m":{},"n":null,"big":18446744073709551616,"x":1.0}"#, true, "18446744073709551616", "float"])
    }

    @Test func luaValuesReadAsTreesByTheEncodeRules() throws {
        let lua = try luaWithJSON()
        let stack = lua.stack
        try stack.load(#"return {items = {1, 2.5, "x", json.null, true}, meta = {}, amount = json.number("12.30")}"#, name: "=t")
        try stack.call(nargs: 0, nresults: 1)
        let value = try stack.jsonValue(at: -1)
        #expect(value == ["amount": .number("12.30"), "items": [1, 2.5, "x", nil, true], "meta": [:]])
        #expect(String(decoding: try stack.encodeJSON(at: -1), as: UTF8.self)
                == #"{"amount":12.30,"items":[1,2.5,"x",null,true],"meta":{}}"#)
        stack.pop()
    }

    @Test func decodedOrderIsReadBackInOrder() throws {
        let lua = try luaWithJSON()
        let stack = lua.stack
        try stack.load(#"return json.decode('{"b":1,"a":{"y":1,"x":2}}')"#, name: "=t")
        try stack.call(nargs: 0, nresults: 1)
        #expect(try stack.jsonValue(at: -1).encodedString() == #"{"b":1,"a":{"y":1,"x":2}}"#)
        stack.pop()
    }

    @Test func readErrorsNameThePathWithLuaIndices() throws {
        let lua = try luaWithJSON()
        let stack = lua.stack
        try stack.load("return {items = {1, {x = print}}}", name: "=t")
        try stack.call(nargs: 0, nresults: 1)
        #expect(throws: JSONEncodingError(path: "$.items[2].x", message: "cannot encode a function")) {
            try stack.jsonValue(at: -1)
        }
        stack.pop()
    }

    @Test func deepTablesEncodeWithoutNativeRecursion() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local t = {}
            for i = 1, 50000 do t = {t} end
            local text = json.encode(t, {max_depth = 100000})
            local back = json.decode(text, {max_depth = 100000})
            local loop = {}
            local node = loop
            for i = 1, 40 do node.next = {}; node = node.next end
            node.next = loop
            assert(not pcall(json.encode, loop), "a deep cycle is caught")
            return #text, json.encode(back, {max_depth = 100000}) == text
        """#)
        #expect(results == [100_002, true]) // 50,000 brackets each side and the innermost {}
    }

    @Test func decodeMatchesLuaCjsonOnInvoices() throws {
        let lua = try luaWithJSON()
        let results = try lua.run(#"""
            local ok, cjson = pcall(require, "cjson")
            if not ok then return "no cjson" end
            local parts = {}
            for i = 1, 200 do
              parts[i] = string.format('{"id":"inv_%d","amount":%d.%02d,"paid":%s,"meta":%s,"lines":[{"q":%d,"t":"a\\u00e9\\n"}]}',
                i, i * 7, i % 100, i % 2 == 0 and "true" or "false", i % 3 == 0 and "null" or '{"r":"x"}', i)
            end
            local text = "[" .. table.concat(parts, ",") .. "]"
            local a, b = json.decode(text), cjson.decode(text)
            local function same(x, y)
              if type(x) == "table" and type(y) == "table" then
                for k, v in pairs(x) do if not same(v, y[k]) then return false end end
                for k in pairs(y) do if x[k] == nil then return false end end
                return true
              end
              if x == json.null then return y == cjson.null end
              return x == y
            end
            return same(a, b)
        """#)
        #expect(results == [true] || results == ["no cjson"])
    }
}
