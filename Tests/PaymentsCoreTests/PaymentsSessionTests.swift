import Foundation
import JSON
import PaymentsCore
import Sandbox
import Testing

/// A session built from a resolved profile: the clients of all three
/// services over one transport, with the journal and the token cache.
@Suite struct PaymentsSessionTests {
    /// The built-in sandbox profile, pointed at `sandbox` through the variables `paysh sandbox` prints.
    static func profile(_ sandbox: RunningSandbox, environment extra: [String: String] = [:]) throws -> ResolvedProfile {
        var environment = Dictionary(uniqueKeysWithValues: sandbox.endpoints.environment)
        environment.merge(extra) { $1 }
        return try ProfileResolver.resolve(environment: environment, document: nil)
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-session-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func options(directory: String) -> SessionOptions {
        var options = SessionOptions()
        options.journal = Journal(path: directory + "/journal.sqlite")
        options.tokenCache = TokenCache(directory: directory + "/tokens")
        return options
    }

    @Test func theSandboxProfileReachesAllThreeServicesAndJournalsMutations() async throws {
        try await TransportTests.withSandbox { sandbox in
            let directory = try Self.temporaryDirectory()
            let session = PaymentsSession(profile: try Self.profile(sandbox), options: Self.options(directory: directory))
            let payout = try await session.lumanu().createPayout(
                NewPayout(payeeEmail: "maya.lin@example.com", amount: 12_500, description: "November videos"))
            #expect(payout.amount == 12_500 && payout.payshRef != nil)
            #expect(try await session.lumen().payment(id: "pay_123").json["id"] == "pay_123")
            let invoice = try await session.lumyri().payInvoice(id: ServiceConnectionTests.payable)
            #expect(invoice.json["status"] == "Succeeded")
            await session.shutdown()

            let rows = try Journal(path: directory + "/journal.sqlite").entries(JournalQuery())
            #expect(rows.map(\.operation).sorted() == ["lumanu.create_payout", "lumyri.pay_invoice"])
            #expect(rows.allSatisfy { $0.state == .succeeded && $0.intent.profile == "sandbox" })
            #expect(rows.first { $0.operation == "lumanu.create_payout" }?.remoteID == payout.id)
            #expect(rows.first { $0.operation == "lumanu.create_payout" }?.reference == payout.payshRef)
            let tokens = try FileManager.default.contentsOfDirectory(atPath: directory + "/tokens")
            #expect(tokens.count == 1, "the Lumanu token is cached on disk for the next process")
        }
    }

    @Test func aServiceTheProfileLacksSaysWhatIsMissing() async throws {
        let profile = try ProfileResolver.resolve(environment: ["PAYSH_PROFILE": "sandbox"], document: nil)
        var partial = profile
        partial.lumen.apiKey = nil
        partial.lumanu.clientID = nil
        let session = PaymentsSession(profile: partial)
        #expect(throws: PaymentsError.self) { try session.lumen() }
        do {
            _ = try session.lumanu()
            Issue.record("lumanu has no client id")
        } catch {
            #expect(error.kind == .validation)
            #expect(error.message.contains("lumanu.client_id (LUMANU_CLIENT_ID)") && error.message.contains("\"sandbox\""), "\(error.message)")
        }
        _ = try session.lumyri()
        await session.shutdown()
    }

    @Test func debugTracesToStandardErrorWhenAskedByFlagOrEnvironment() throws {
        #expect(try SessionOptions.commandLine(environment: [:], debug: true, dryRun: false).trace != nil)
        #expect(try SessionOptions.commandLine(environment: ["PAYSH_DEBUG": "1"], debug: false, dryRun: false).trace != nil)
        #expect(try SessionOptions.commandLine(environment: ["PAYSH_DEBUG": "0"], debug: false, dryRun: false).trace == nil)
        let options = try SessionOptions.commandLine(environment: ["PAYSH_JOURNAL": "/nonexistent/j.sqlite", "XDG_CACHE_HOME": "/c"],
                                                 debug: false, dryRun: true)
        #expect(options.dryRun != nil)
        #expect((options.journal as? Journal)?.path == "/nonexistent/j.sqlite")
        #expect(options.tokenCache?.directory == "/c/paysh/tokens")
    }

    @Test func paysTimeoutSetsTheWholeExchangesTimeAndFitsTheOthersInside() throws {
        let defaults = try SessionOptions.commandLine(environment: [:], debug: false, dryRun: false).transport
        #expect(defaults.totalTimeout == .seconds(60) && defaults.readTimeout == .seconds(30) && defaults.connectTimeout == .seconds(5))
        let short = try SessionOptions.commandLine(environment: ["PAYSH_TIMEOUT": "2.5"], debug: false, dryRun: false).transport
        #expect(short.totalTimeout == .milliseconds(2500) && short.readTimeout == .milliseconds(2500) && short.connectTimeout == .milliseconds(2500))
        let long = try SessionOptions.commandLine(environment: ["PAYSH_TIMEOUT": " 600 "], debug: false, dryRun: false).transport
        #expect(long.totalTimeout == .seconds(600) && long.readTimeout == .seconds(30) && long.connectTimeout == .seconds(5))
        for bad in ["abc", "0", "0.05", "-1", "1e3", "3601", "inf", "nan", "1,5", "2\n\"x"] {
            #expect {
                _ = try SessionOptions.commandLine(environment: ["PAYSH_TIMEOUT": bad], debug: false, dryRun: false)
            } throws: { error in
                guard let error = error as? PaymentsError else { return false }
                return error.service == "config" && error.operation == "PAYSH_TIMEOUT" && !error.message.contains("\n")
                    && error.message.hasSuffix("is not a timeout: expected seconds from 0.1 to 3600 for one whole HTTP exchange (30, 2.5)")
            }
        }
    }

    @Test func aSecretFromACommandIsRevealedOnlyWhenItsServiceIsUsed() async throws {
        try await TransportTests.withSandbox { sandbox in
            let directory = try Self.temporaryDirectory()
            let marker = directory + "/ran"
            var profile = try Self.profile(sandbox)
            profile.lumen.apiKey = Secret(.command("touch '\(marker)'; echo \(SandboxCredentials.lumenAPIKey)"))
            let session = PaymentsSession(profile: profile)
            _ = try await session.lumyri().invoice(id: ServiceConnectionTests.payable)
            #expect(!FileManager.default.fileExists(atPath: marker), "Lumyri's call did not run Lumen's command")
            _ = try await session.lumen().payment(id: "pay_123")
            #expect(FileManager.default.fileExists(atPath: marker))
            await session.shutdown()
        }
    }
}
