@testable import REPL
import Testing

/// The rewriting of top-level `local` declarations into assignments.
@Suite struct LocalDeclarationsTests {
    static func rewrite(_ code: String, limit: Int = 180) -> (String, [String]) {
        let result = LocalDeclarations(rewriting: Array(code.utf8), limit: limit)
        return (String(decoding: result.code, as: UTF8.self), result.names)
    }

    @Test(arguments: [
        ("local x = 1", "      x = 1", ["x"]),
        ("local x, y", "      x, y = nil", ["x", "y"]),
        ("local function f() end", "      function f() end", ["f"]),
        ("local a = 1 local b = a", "      a = 1       b = a", ["a", "b"]),
        ("local x = function() local y = 2 end", "      x = function() local y = 2 end", ["x"]),
        ("do local x = 1 end", "do local x = 1 end", [String]()),
        ("while true do local x = 1 end", "while true do local x = 1 end", [String]()),
        ("if a then local x = 1 elseif b then local y = 2 else local z = 3 end local w = 4",
         "if a then local x = 1 elseif b then local y = 2 else local z = 3 end       w = 4", ["w"]),
        ("repeat local x = 1 until x local y", "repeat local x = 1 until x       y = nil", ["y"]),
        ("local x <const> = 1", "local x <const> = 1", [String]()),
        ("local f <close> = nil", "local f <close> = nil", [String]()),
        ("local s = 'end' local t = [[ do ]] -- local u\nlocal v", "      s = 'end'       t = [[ do ]] -- local u\n      v = nil", ["s", "t", "v"]),
        ("local x = 1 --[[ end\nend ]] local y = 2", "      x = 1 --[[ end\nend ]]       y = 2", ["x", "y"]),
        ("local x = a == b", "      x = a == b", ["x"]),
        ("local _ENV = {}", "local _ENV = {}", [String]()),
    ] as [(String, String, [String])])
    func topLevelDeclarationsBecomeAssignments(code: String, expected: String, names: [String]) {
        let (rewritten, found) = Self.rewrite(code)
        #expect(rewritten == expected)
        #expect(found == names)
    }

    @Test func declarationsBeyondTheLimitStayLocal() {
        let (rewritten, names) = Self.rewrite("local a = 1 local b, c = 2, 3", limit: 2)
        #expect(rewritten == "      a = 1 local b, c = 2, 3")
        #expect(names == ["a"])
    }
}
