import Foundation
import JSON
import PaymentsCore
import Sandbox
import Testing

/// The shell lines `--dry-run` prints for Lumanu's auth, run by a real
/// `/bin/sh` with `curl` against the sandbox.
@Suite struct AuthShellTests {
    typealias Support = AuthTestSupport

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// `script` run by `/bin/sh -c` with `environment` (and this process's PATH), waited for without blocking a thread.
    static func shell(_ script: String, environment: [String: String]) async throws -> Run {
        try await Support.withDirectory { directory in
            #expect(mkdir(directory, 0o700) == 0)
            let (out, err) = (directory + "/out", directory + "/err")
            for path in [out, err] { #expect(FileManager.default.createFile(atPath: path, contents: nil)) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { a, _ in a }
            process.standardOutput = FileHandle(forWritingAtPath: out)
            process.standardError = FileHandle(forWritingAtPath: err)
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                process.terminationHandler = { _ in done.resume() }
                do { try process.run() } catch { done.resume(throwing: error) }
            }
            return Run(status: process.terminationStatus, output: try String(contentsOfFile: out, encoding: .utf8),
                       errors: try String(contentsOfFile: err, encoding: .utf8))
        }
    }

    static func environment(_ sandbox: RunningSandbox) -> [String: String] {
        Dictionary(sandbox.endpoints.environment, uniquingKeysWith: { _, last in last })
    }

    static let listPayouts = #"curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: $HEADER" "#
        + #""$LUMANU_BASE_URL/api/rest/payouts?workspace_id=$LUMANU_WORKSPACE_ID""#

    static func script(_ auth: ShellAuthorization) -> String {
        (auth.prelude + [listPayouts.replacingOccurrences(of: "$HEADER", with: auth.headerValue)]).joined(separator: "\n")
    }

    @Test func thePreludeFetchesATokenTheAPIAccepts() async throws {
        try await Support.withSandbox { sandbox, transport in
            let auth = Support.oauth(sandbox, transport).shellAuthorization
            let run = try await Self.shell(Self.script(auth), environment: Self.environment(sandbox))
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output == "200")
            #expect(Support.tokensIssued(sandbox) == 1)
        }
    }

    @Test func withARefusedSecretThePreludeStopsWithAClearMessage() async throws {
        try await Support.withSandbox { sandbox, transport in
            let secret = "refused-secret-5e02b7"
            var environment = Self.environment(sandbox)
            environment["LUMANU_CLIENT_SECRET"] = secret
            let run = try await Self.shell(Self.script(Support.oauth(sandbox, transport).shellAuthorization), environment: environment)
            #expect(run.status != 0)
            #expect(run.output.isEmpty, "the API call after the prelude did not run")
            #expect(run.errors.contains("no access_token came back from \(sandbox.endpoints.lumanuTokenURL); "
                + "check LUMANU_CLIENT_ID, LUMANU_CLIENT_SECRET and LUMANU_AUDIENCE"), "\(run.errors)")
            #expect(!run.errors.contains(secret))
            #expect(Support.requests(sandbox, "POST /auth/oauth/token", status: 401) == 1)
            #expect(Support.requests(sandbox, "GET /lumanu/") == 0)
        }
    }

    @Test func theDryRunNamesVariablesNeverValues() async throws {
        try await Support.withSandbox { sandbox, transport in
            let secret = "value-of-the-secret-61a0"
            let auth = Support.oauth(sandbox, transport, secret: secret).shellAuthorization
            let text = auth.prelude.joined(separator: "\n") + auth.headerValue
            for value in [secret, SandboxCredentials.lumanuClientID, sandbox.endpoints.lumanuTokenURL, SandboxCredentials.lumanuAudience] {
                #expect(!text.contains(value))
            }
            for name in ["$LUMANU_TOKEN_URL", "$LUMANU_CLIENT_ID", "$LUMANU_CLIENT_SECRET", "$LUMANU_AUDIENCE"] {
                #expect(text.contains(name))
            }
            #expect(auth.headerValue == "Bearer $LUMANU_ACCESS_TOKEN")
            #expect(!auth.headerValue.contains { "\"\\`".contains($0) }, "the header goes inside a double-quoted word")
            #expect(Support.tokensIssued(sandbox) == 0, "printing the prelude fetches nothing")
        }
    }

    @Test func aDryRunPayoutPrintsACommandThatWorks() async throws {
        try await Support.withSandbox { sandbox, transport in
            let printed = TransportTests.Lines()
            let (connection, _) = Support.payouts(sandbox, transport, Support.oauth(sandbox, transport), dryRun: { printed.add($0) })
            let body: JSONValue = ["workspace_id": .string(SandboxCredentials.lumanuWorkspaceID), "payee_email": "dry-run@example.com",
                                   "amount": 100, "description": "paysh dry run"]
            let answer = try await connection.perform(APIRequest(operation: "lumanu.create_payout", method: "POST",
                                                                 path: "/api/rest/payables", body: body, movesMoney: true))
            #expect(answer.isDryRun)
            #expect(Support.tokensIssued(sandbox) == 0 && Support.requests(sandbox, "POST /lumanu/") == 0, "nothing was sent")
            let command = try #require(printed.all.first)
            let run = try await Self.shell(command, environment: Self.environment(sandbox))
            #expect(run.status == 0, "\(run.errors)")
            let created = try JSONValue(parsing: run.output)
            #expect(created["amount"]?.int64Value == 100 && created["workspace_id"]?.stringValue == SandboxCredentials.lumanuWorkspaceID,
                    "\(run.output)")
            #expect(Support.tokensIssued(sandbox) == 1)
            #expect(Support.requests(sandbox, "POST /lumanu/api/rest/payables") == 1)
        }
    }
}
