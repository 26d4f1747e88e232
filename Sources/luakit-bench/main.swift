// The call-overhead benchmark (scripts/bench/calls): a Lua loop calling a
// trivial Swift function bound through LuaKit, against the same loop calling
// the standard library's C function `math.abs`, in one Lua state, round
// after round alternately. Prints CPU seconds per loop (best round) and the
// ratio. Not part of paysh; built only for the benchmark.
//
//   luakit-bench [CALLS [ROUNDS]]
import Foundation
import LuaKit

/// The loop: `f` called `n` times; returns the CPU seconds it took.
let loop = """
    local f, n = ...
    local clock, sum = os.clock, 0
    local start = clock()
    for i = 1, n do sum = sum + f(-i) end
    local spent = clock() - start
    assert(sum == n * (n + 1) // 2, "wrong sum")
    return spent
    """

/// CPU seconds for `calls` calls of `function` (pushed by `push`) in the loop.
func measure(_ lua: LuaState, calls: Int, push: (LuaStack) throws -> Void) throws -> Double {
    let stack = lua.stack
    let base = stack.top
    defer { stack.top = base }
    try stack.load(loop, name: "=calls")
    try push(stack)
    stack.push(Int64(calls))
    try stack.call(nargs: 2, nresults: 1)
    return stack.toNumber(at: -1) ?? .nan
}

func main() throws {
    let numbers = CommandLine.arguments.dropFirst().compactMap { Int($0) }
    let calls = numbers.first ?? 10_000_000
    let rounds = numbers.dropFirst().first ?? 5
    let lua = try LuaState()
    // The Swift twin of math.abs on integers: read one argument, push one result.
    try lua.register("swift_abs") { stack in
        let n = stack.toInteger(at: 1) ?? 0
        stack.push(n < 0 ? -n : n)
        return 1
    }
    var best = (swift: Double.infinity, c: Double.infinity)
    for _ in 0 ..< rounds {
        best.c = min(best.c, try measure(lua, calls: calls) { stack in
            try stack.getGlobal("math")
            try stack.getField(at: -1, "abs")
            stack.remove(at: -2)
        })
        best.swift = min(best.swift, try measure(lua, calls: calls) { stack in try stack.getGlobal("swift_abs") })
    }
    print(String(format: "calls: %d calls, best of %d rounds: Swift function %.3f s (%.1f ns a call), math.abs %.3f s (%.1f ns a call), ratio %.2f",
                 calls, rounds, best.swift, best.swift / Double(calls) * 1e9, best.c, best.c / Double(calls) * 1e9, best.swift / best.c))
}

try main()
