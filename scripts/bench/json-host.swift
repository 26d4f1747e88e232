// A minimal Lua host for the JSON benchmark, used while the paysh binary does
// not yet expose `json`: a LuaState with the standard libraries, `json` as a
// global and as `require "json"`, then `dofile(SCRIPT)` with `arg` set as
// lua5.4 sets it. Built by scripts/bench/json against the release objects.
import LuaJSON
import LuaKit
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: json-host SCRIPT [ARGS...]")
    exit(2)
}
do {
    let lua = try LuaState()
    let stack = lua.stack
    LuaJSON.pushModule(on: stack)
    stack.pushValue(at: -1)
    try stack.setGlobal("json")
    try lua.run("package.preload.json = function() return json end")
    stack.pop()
    stack.newTable()
    for (i, argument) in arguments.dropFirst().enumerated() {
        stack.push(argument)
        stack.rawSet(at: -2, index: Int64(i))
    }
    try stack.setGlobal("arg")
    try lua.run("dofile(arg[0])")
} catch {
    print("json-host: \(error)")
    exit(1)
}
