import Testing

/// A Swift function called a million times from Lua leaves the process's
/// memory flat. Measured in a paysh process of its own, where nothing else
/// allocates: reading an undefined global calls paysh's Swift `__index` on
/// the global table through the LuaKit trampoline each time.
@Suite struct SwiftCallMemoryTests {
    @Test func millionSwiftCallsDoNotGrowTheProcess() throws {
        let script = #"""
            local function rss()
              for line in io.lines("/proc/self/status") do
                local kb = line:match("^VmRSS:%s+(%d+)")
                if kb then return tonumber(kb) end
              end
            end
            local function calls(n) local seen for i = 1, n do seen = not_a_global end return seen end
            calls(100000)
            collectgarbage() collectgarbage()
            local before, lua_before = rss(), collectgarbage("count")
            assert(calls(1000000) == nil)
            collectgarbage() collectgarbage()
            print(rss() - before, collectgarbage("count") - lua_before)
            """#
        let dir = try fixtureDirectory("swiftcalls", files: ["calls.lua": script])
        let outcome = try runShell(#""$BIN" calls.lua"#, binary: payshBinary, directory: dir, timeout: 120)
        #expect(outcome.status == 0, "\(outcome)")
        let figures = outcome.stdout.split(whereSeparator: { $0 == "\t" || $0 == "\n" }).compactMap { Double($0) }
        #expect(figures.count == 2, "\(outcome)")
        guard figures.count == 2 else { return }
        // A leak of 16 bytes a call would add about 16,000 kB.
        #expect(figures[0] < 2048, "resident size grew by \(figures[0]) kB")
        #expect(figures[1] < 64, "Lua's heap grew by \(figures[1]) kB")
    }
}
