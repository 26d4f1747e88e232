import LuaKit
import PaymentsCore
import PayshConfig
import Testing

/// Every mistake a config file can hold, and the exact message it gets:
/// the file, the place, what was wrong and what was expected.
@Suite struct ConfigFileErrorTests {
    @Test(arguments: [
        // Lua's own errors, with the file and line.
        ("return {", "config.lua:1: unexpected symbol near <eof>"),
        ("local x = nil\nreturn x.y", "config.lua:2: attempt to index a nil value (local 'x')"),
        ("\n\nerror('no profiles today')", "config.lua:3: no profiles today"),
        ("error('without a place', 0)", "config.lua: without a place"),
        ("error(setmetatable({}, { __tostring = function() return 'an error object' end }))", "config.lua: an error object"),
        // What the chunk returns.
        ("return 42", "config.lua: expected the file to return a table of profiles, as in return { staging = { ... } }, got number"),
        ("", "config.lua: expected the file to return a table of profiles, as in return { staging = { ... } }, got nil"),
        (#"return { { lumen = {} } }"#, "config.lua: profiles are named, as in staging = { ... }; found the key 1"),
        (#"return { s = "lumen" }"#, #"config.lua: profile "s": expected a table of settings, got string"#),
        // Unknown keys at each level.
        (#"return { staging = { lumen = { api_kye = "x" } } }"#,
         #"config.lua: profile "staging": lumen: unknown setting "api_kye" (expected base_url, api_key)"#),
        (#"return { staging = { lumanu = { secret = "x" } } }"#,
         #"config.lua: profile "staging": lumanu: unknown setting "secret" (expected base_url, token_url, audience, client_id, client_secret, workspace_id)"#),
        (#"return { staging = { lumyri = { token = "x" } } }"#,
         #"config.lua: profile "staging": lumyri: unknown setting "token" (expected base_url, access_token)"#),
        (#"return { staging = { lumenn = {} } }"#,
         #"config.lua: profile "staging": unknown setting "lumenn" (expected production, default, lumanu, lumen, lumyri)"#),
        (#"return { staging = { "lumen" } }"#,
         #"config.lua: profile "staging": unknown setting 1 (expected production, default, lumanu, lumen, lumyri)"#),
        (#"return { staging = { lumen = { [true] = "x" } } }"#,
         #"config.lua: profile "staging": lumen: unknown setting true (expected base_url, api_key)"#),
        // Wrong types.
        (#"return { s = { production = "yes" } }"#, #"config.lua: profile "s": production: expected true or false, got string"#),
        (#"return { s = { default = 1 } }"#, #"config.lua: profile "s": default: expected true or false, got number"#),
        (#"return { s = { lumen = "sk_live" } }"#, #"config.lua: profile "s": lumen: expected a table of settings, got string"#),
        (#"return { s = { lumen = { base_url = 42 } } }"#, #"config.lua: profile "s": lumen: base_url: expected a string, got number"#),
        (#"return { s = { lumanu = { workspace_id = {} } } }"#,
         #"config.lua: profile "s": lumanu: workspace_id: expected a string, got table"#),
        (#"return { s = { lumen = { api_key = true } } }"#,
         #"config.lua: profile "s": lumen: api_key: expected a string, env "NAME" or command "...", got boolean"#),
        (#"return { s = { lumyri = { access_token = print } } }"#,
         #"config.lua: profile "s": lumyri: access_token: expected a string, env "NAME" or command "...", got function"#),
        (#"return { s = { lumanu = { client_id = env "CLIENT" } } }"#,
         #"config.lua: profile "s": lumanu: client_id: expected a string, got env "CLIENT" (env and command are for client_secret, api_key and access_token; os.getenv reads a variable for other settings)"#),
        (#"return { s = { lumanu = { client_id = "\xff" } } }"#, #"config.lua: profile "s": lumanu: client_id: the string is not valid UTF-8"#),
        // Values.
        (#"return { s = { lumen = { base_url = "" } } }"#, #"config.lua: profile "s": lumen: base_url: must not be empty"#),
        (#"return { s = { lumen = { api_key = "" } } }"#, #"config.lua: profile "s": lumen: api_key: must not be empty"#),
        (#"return { s = { lumyri = { base_url = "ftp://lumyri.example" } } }"#,
         #"config.lua: profile "s": lumyri: base_url: "ftp://lumyri.example" is not an http or https URL"#),
        (#"return { s = { lumanu = { token_url = "https:///oauth/token" } } }"#,
         #"config.lua: profile "s": lumanu: token_url: "https:///oauth/token" is not an http or https URL"#),
        // The helpers' arguments, reported at the caller's line.
        ("return {\n s = { lumen = { api_key = env(42) } } }",
         #"config.lua:2: env expects the name of an environment variable, as in env "LUMEN_API_KEY""#),
        (#"return { s = { lumen = { api_key = env "" } } }"#,
         #"config.lua:1: env expects the name of an environment variable, as in env "LUMEN_API_KEY""#),
        (#"return { s = { lumen = { api_key = command "" } } }"#,
         #"config.lua:1: command expects a shell command, as in command "pass show lumen/staging""#),
        // Names and defaults.
        (#"return { a = { default = true }, b = { default = true }, c = { default = true } }"#,
         #"config.lua: more than one profile is marked default = true ("a", "b", "c"); mark only one"#),
        (#"return { sandbox = { lumen = {} } }"#,
         #"config.lua: profile "sandbox": the name is reserved for the built-in sandbox profile; choose another name"#),
        (#"return { ["my profile"] = {} }"#, #"config.lua: profile "my profile": the name is not valid (use letters, digits, "_", "-" and ".")"#),
        (#"return { [""] = {} }"#, #"config.lua: profile "": the name is not valid (use letters, digits, "_", "-" and ".")"#),
    ])
    func aMistakeIsNamedWithItsPlace(source: String, message: String) {
        #expect(failure { try parse(source) } == message)
    }

    @Test func aBinaryChunkIsRefused() throws {
        guard case .string(let dumped) = try LuaState().run("return string.dump(function() return {} end)").first else {
            Issue.record("string.dump gave no string"); return
        }
        #expect(failure { try ConfigFile.parse(dumped, path: "config.lua") } == "config.lua: attempt to load a binary chunk (mode is 't')")
    }

    @Test func aLongPathIsNotShortenedInLuasMessages() {
        let path = "/tmp/" + String(repeating: "very-long-directory-name/", count: 6) + "paysh/config.lua"
        #expect(failure { try parse("return {\n  oops oops }", path: path) } == "\(path):2: '}' expected (to close '{' at line 1) near 'oops'")
        #expect(failure { try parse("error('late')", path: path) } == "\(path):1: late")
    }

    @Test func errorsNeverQuoteASecretWrittenInTheWrongPlace() {
        let secret = "sk_live_0123456789abcdefghijklmnop"
        let sources = [
            #"return { s = { lumen = { api_kye = "\#(secret)" } } }"#,
            #"return { s = { lumen = "\#(secret)" } }"#,
            #"return { s = { production = "\#(secret)" } }"#,
            #"return { sandbox = { lumen = { api_key = "\#(secret)" } } }"#,
        ]
        for source in sources {
            let message = failure { try parse(source) }
            #expect(message != nil && !message!.contains(secret), "\(message ?? "no error")")
        }
    }

    @Test func aSwiftBuiltDocumentGetsTheSameChecks() {
        let document = ConfigDocument(path: "built in Swift", profiles: [
            ProfileDocument(name: "p", settings: [.lumenAPIKey: .text("sk_test_0123456789")]),
        ])
        #expect(failure { try document.validate() } == #"built in Swift: profile "p": lumen: api_key: expected a secret, got plain text"#)
        let twice = ConfigDocument(path: "x", profiles: [ProfileDocument(name: "p"), ProfileDocument(name: "p")])
        #expect(failure { try ProfileResolver.resolve(environment: [:], document: twice) } == #"x: profile "p": defined twice"#)
    }
}
