// swift-tools-version:6.0
import PackageDescription

// paysh: a scriptable shell for payment APIs, embedding the system's Lua 5.4.
// Each target is one idea; see docs/architecture.md for the map.
let package = Package(
    name: "paysh",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "paysh", targets: ["paysh"]),
        .library(name: "LuaKit", targets: ["LuaKit"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "Sandbox", targets: ["Sandbox"]),
        .library(name: "PaymentsCore", targets: ["PaymentsCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3" ..< "5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Lua 5.4 from the system, found with `pkg-config lua5.4`, linked as a shared library.
        .systemLibrary(
            name: "CLua",
            path: "Sources/CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // The few things that must happen in C: raising errors, protected calls, the trampoline.
        .target(name: "CLuaShim", dependencies: ["CLua"], path: "Sources/CLuaShim"),
        // GNU readline from the system.
        .systemLibrary(
            name: "CReadline",
            path: "Sources/CReadline",
            providers: [.apt(["libreadline-dev"])]
        ),
        // The REPL's use of readline that must be C: its callback interface, Ctrl-C at the prompt, completion.
        .target(name: "CLineEditor", dependencies: ["CReadline"], path: "Sources/CLineEditor"),
        // The Swift embedding of Lua. Knows nothing about payments.
        .target(name: "LuaKit", dependencies: ["CLuaShim"]),
        // JSON on UTF-8 bytes: scanner, ordered value tree, encoder. Knows nothing about Lua.
        .target(name: "JSON"),
        // JSON straight into Lua tables and back, and the Lua `json` module.
        .target(name: "LuaJSON", dependencies: ["JSON", "LuaKit"]),
        // The client core: errors, retries, redaction, transport, auth, profiles, the journal, typed clients.
        .target(name: "PaymentsCore", dependencies: [
            "JSON",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // The local simulator of Lumanu, Lumen, Lumyri and their token endpoint (docs/sandbox.md).
        .target(name: "Sandbox", dependencies: [
            "JSON",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The config file (`~/.config/paysh/config.lua`): read with Lua, resolved into profiles.
        .target(name: "PayshConfig", dependencies: ["LuaKit", "PaymentsCore"]),
        // The Lua files of stdlib/, embedded in the binary with C23 #embed.
        .target(name: "CStdlib", path: "Sources/CStdlib", cSettings: [.unsafeFlags(["-std=c23"])]),
        // The Lua modules over the client core (lumanu, lumen, lumyri, paysh, sandbox, help), the stdlib, cursors and errors.
        .target(name: "PayshLua", dependencies: ["LuaKit", "LuaJSON", "JSON", "CStdlib", "PaymentsCore", "PayshConfig", "Sandbox"]),
        // The interactive shell's parts: line editing, history, completion, kept locals, the prompt.
        .target(name: "REPL", dependencies: ["CLineEditor", "CReadline", "LuaKit", "PaymentsCore", "PayshLua"]),
        // The lua.c-compatible command line and interactive loop, as a library so tests can drive it.
        .target(name: "PayshCLI", dependencies: [
            "LuaKit", "LuaJSON", "REPL", "Sandbox", "PaymentsCore", "PayshConfig", "PayshLua",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "paysh", dependencies: ["PayshCLI"]),
        // scripts/bench/calls: the cost of calling a Swift function from Lua, against a C one.
        .executableTarget(name: "luakit-bench", dependencies: ["LuaKit"]),

        .testTarget(name: "LuaKitTests", dependencies: ["LuaKit"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON", "LuaJSON", "LuaKit"]),
        .testTarget(name: "PayshCLITests", dependencies: ["PayshCLI", "PayshLua", "Sandbox"]),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "PayshLua", "LuaKit", "PaymentsCore"]),
        .testTarget(name: "PayshLuaTests", dependencies: ["PayshLua", "LuaKit", "CStdlib"]),
        .testTarget(name: "PayshConfigTests", dependencies: ["PayshConfig", "PaymentsCore", "LuaKit"]),
        .testTarget(name: "PaymentsCoreTests", dependencies: ["PaymentsCore", "JSON", "Sandbox"]),
        .testTarget(name: "SandboxTests", dependencies: [
            "Sandbox", "JSON",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)
