import JSON
@testable import Sandbox
import Testing

/// The vendor and payout lifecycles, through the control routes and through the clock.
@Suite struct LumanuLifecycleTests {
    /// Tokens that outlive the clock jumps of these tests (expiry has its own tests).
    static func longTokens(_ configuration: inout SandboxConfiguration) { configuration.tokenTTL = 90 * 86400 }

    @Test func signUpThenVerifyShowsOnEveryPayoutOfThatVendor() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let email = "maya.lin@example.com"
            let first = try await sandbox.createdPayout(token, email: email)
            _ = try await sandbox.createdPayout(token, email: email, workspace: Fixtures.lumanuWorkspaces[2].0)
            #expect(first["vendor_status"] == "Awaiting signup")
            #expect(first["vendor_display_name"] == .null && first["payee_lumanu_id"] == .null)

            let (signedUp, vendor) = try await sandbox.control("vendors/signup", #"{"email": "Maya.Lin@example.com"}"#)
            #expect(signedUp == .ok)
            #expect(vendor?["vendor_status"] == "Onboarding")
            let onboarding = try await sandbox.allPayouts(token, "payee_email=\(email)")
            #expect(onboarding.count == 2)
            #expect(onboarding.allSatisfy { $0["vendor_status"] == "Onboarding" && $0["vendor_display_name"] == "Maya Lin" && $0["payee_lumanu_id"] == .null })

            let (verified, _) = try await sandbox.control("vendors/verify", #"{"email": "maya.lin@example.com"}"#)
            #expect(verified == .ok)
            let done = try await sandbox.allPayouts(token, "payee_email=\(email)")
            let ids = Set(done.compactMap { $0["payee_lumanu_id"]?.stringValue })
            #expect(done.allSatisfy { $0["vendor_status"] == "Verified" && $0["vendor_display_name"] == "Maya Lin" })
            let lumanuID = try #require(ids.first)
            #expect(ids.count == 1)
            #expect(lumanuID.wholeMatch(of: /[A-Z0-9]{10}/) != nil)

            let later = try await sandbox.createdPayout(token, email: email)
            #expect(later["vendor_status"] == "Verified" && later["payee_lumanu_id"] == .string(lumanuID))
            let other = try await sandbox.createdPayout(token, email: "someone.else@example.com")
            #expect(other["vendor_status"] == "Awaiting signup")
            let (_, shown) = try await sandbox.request(.get, "/_sandbox/lumanu/vendors/\(email)")
            #expect(shown?["payee_lumanu_id"] == .string(lumanuID))
        }
    }

    @Test func signUpCanNameTheVendor() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let payout = try await sandbox.createdPayout(token, email: "studio42@example.com")
            try await sandbox.control("vendors/signup", #"{"email": "studio42@example.com", "display_name": "Studio Forty-Two"}"#)
            #expect(try await sandbox.payout(token, payout["id"]!.stringValue!)["vendor_display_name"] == "Studio Forty-Two")
        }
    }

    @Test func vendorControlRefusesStepsOutOfOrder() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            _ = try await sandbox.createdPayout(token, email: "order@example.com")
            let (early, error) = try await sandbox.control("vendors/verify", #"{"email": "order@example.com"}"#)
            #expect(early == .conflict)
            #expect(keys(error) == ["error", "message"])
            #expect(try await sandbox.control("vendors/signup", #"{"email": "order@example.com"}"#).0 == .ok)
            #expect(try await sandbox.control("vendors/signup", #"{"email": "order@example.com"}"#).0 == .conflict)
            #expect(try await sandbox.control("vendors/verify", #"{"email": "order@example.com"}"#).0 == .ok)
            #expect(try await sandbox.control("vendors/verify", #"{"email": "order@example.com"}"#).0 == .conflict)
            #expect(try await sandbox.control("vendors/verify", #"{"email": "never.paid@example.com"}"#).0 == .notFound)
            #expect(try await sandbox.control("vendors/signup", #"{"email": "nope"}"#).0 == .badRequest)
            #expect(try await sandbox.control("vendors/signup", #"{"mail": "a@example.com"}"#).0 == .badRequest)
            #expect(try await sandbox.control("vendors/signup").0 == .badRequest)
            #expect(try await sandbox.request(.get, "/_sandbox/lumanu/vendors/nobody@example.com").0 == .notFound)
        }
    }

    @Test func theClockVerifiesASignedUpVendorAfterThirtyMinutes() async throws {
        try await SandboxHarness.with(Self.longTokens) { sandbox in
            let token = try await sandbox.lumanuToken()
            let payout = try await sandbox.createdPayout(token, email: "clockwork@example.com")
            let id = try #require(payout["id"]?.stringValue)
            try await sandbox.control("vendors/signup", #"{"email": "clockwork@example.com"}"#)
            sandbox.advanceClock(minutes: 29)
            #expect(try await sandbox.payout(token, id)["vendor_status"] == "Onboarding")
            sandbox.advanceClock(minutes: 2)
            let verified = try await sandbox.payout(token, id)
            #expect(verified["vendor_status"] == "Verified")
            #expect(verified["payee_lumanu_id"]?.stringValue?.count == 10)
        }
    }

    @Test func theClockMovesAPayoutFromNullToPaidOnceItsVendorIsVerified() async throws {
        try await SandboxHarness.with(Self.longTokens) { sandbox in
            let token = try await sandbox.lumanuToken()
            let created = try await sandbox.createdPayout(token, email: "timeline@example.com")
            let id = try #require(created["id"]?.stringValue)
            let createdAt = try #require(micros(created["created_at"]))

            sandbox.advanceClock(minutes: 14)
            #expect(try await sandbox.payout(token, id)["status"] == .null)
            sandbox.advanceClock(minutes: 2)
            let approved = try await sandbox.payout(token, id)
            #expect(approved["status"] == "Approved")
            #expect(micros(approved["updated_at"]) == createdAt + LumanuLifecycle.approvalDelay)
            #expect(approved["created_at"] == created["created_at"])

            // An unverified vendor holds the payout at Approved, however long.
            sandbox.advanceClock(minutes: 60 * 48)
            #expect(try await sandbox.payout(token, id)["status"] == "Approved")

            try await sandbox.control("vendors/signup", #"{"email": "timeline@example.com"}"#)
            let (_, vendor) = try await sandbox.control("vendors/verify", #"{"email": "timeline@example.com"}"#)
            let verifiedAt = try #require(micros(vendor?["verified_at"]))
            let processing = try await sandbox.payout(token, id)
            #expect(processing["status"] == "Processing")
            #expect(micros(processing["updated_at"]) == verifiedAt)
            let (listed, _) = try await sandbox.payouts(token, "status=Processing&payee_email=timeline@example.com")
            #expect(listed == [processing])

            sandbox.advanceClock(minutes: 60 * 24 - 1)
            #expect(try await sandbox.payout(token, id)["status"] == "Processing")
            sandbox.advanceClock(minutes: 2)
            let paid = try await sandbox.payout(token, id)
            #expect(paid["status"] == "Paid")
            #expect(micros(paid["updated_at"]) == verifiedAt + LumanuLifecycle.paymentDelay)
        }
    }

    @Test func theClockWaitsAnHourAfterApprovalForAnAlreadyVerifiedVendor() async throws {
        try await SandboxHarness.with(Self.longTokens) { sandbox in
            try await sandbox.control("vendors/signup", #"{"email": "ready@example.com"}"#)
            try await sandbox.control("vendors/verify", #"{"email": "ready@example.com"}"#)
            let token = try await sandbox.lumanuToken()
            let created = try await sandbox.createdPayout(token, email: "ready@example.com")
            let id = try #require(created["id"]?.stringValue)
            let createdAt = try #require(micros(created["created_at"]))
            sandbox.advanceClock(minutes: 15 + 59)
            #expect(try await sandbox.payout(token, id)["status"] == "Approved")
            sandbox.advanceClock(minutes: 2)
            let processing = try await sandbox.payout(token, id)
            #expect(processing["status"] == "Processing")
            #expect(micros(processing["updated_at"]) == createdAt + LumanuLifecycle.approvalDelay + LumanuLifecycle.processingDelay)
        }
    }

    @Test func advanceStepsAlongTheHappyPathThenRefuses() async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let id = try #require(try await sandbox.createdPayout(token)["id"]?.stringValue)
            for expected in ["Approved", "Processing", "Paid"] {
                let (status, payout) = try await sandbox.control("payouts/\(id)/advance")
                #expect(status == .ok)
                #expect(payout?["status"] == .string(expected))
                #expect(keys(payout) == LumanuPayout.viewKeys)
                #expect(try await sandbox.payout(token, id)["status"] == .string(expected))
            }
            let (final, error) = try await sandbox.control("payouts/\(id)/advance")
            #expect(final == .conflict)
            #expect(error?["message"]?.stringValue?.contains("Paid") == true)
        }
    }

    @Test(arguments: [
        ([String](), "Cancelled", true), ([String](), "Failed", false), (["Approved"], "Failed", true),
        (["Approved"], "Cancelled", true), (["Processing"], "Failed", true), (["Processing"], "Cancelled", false),
        (["Processing"], "Approved", false), ([String](), "Paid", true), (["Approved", "Failed"], "Paid", false),
        (["Cancelled"], "Approved", false), (["Paid"], "Failed", false),
    ])
    func advanceToANamedStatusFollowsTheLifecycle(path: [String], target: String, allowed: Bool) async throws {
        try await SandboxHarness.with { sandbox in
            let token = try await sandbox.lumanuToken()
            let id = try #require(try await sandbox.createdPayout(token)["id"]?.stringValue)
            for step in path {
                #expect(try await sandbox.control("payouts/\(id)/advance", #"{"to": "\#(step)"}"#).0 == .ok)
            }
            let before = try await sandbox.payout(token, id)
            let (status, body) = try await sandbox.control("payouts/\(id)/advance", #"{"to": "\#(target)"}"#)
            #expect(status == (allowed ? .ok : .conflict), "\(String(describing: body))")
            let after = try await sandbox.payout(token, id)
            #expect(after["status"] == (allowed ? .string(target) : before["status"]))
        }
    }

    @Test func advanceRejectsUnknownPayoutsAndStatuses() async throws {
        try await SandboxHarness.with { sandbox in
            #expect(try await sandbox.control("payouts/00000000-0000-4000-8000-000000000000/advance").0 == .notFound)
            let (bad, error) = try await sandbox.control("payouts/\(LumanuDocument.exampleID)/advance", #"{"to": "Refunded"}"#)
            #expect(bad == .badRequest)
            #expect(error?["error"] == "invalid_request")
        }
    }

    @Test func fixturesMoveOnlyByControlAndThenFollowTheirVendor() async throws {
        try await SandboxHarness.with(Self.longTokens) { sandbox in
            let token = try await sandbox.lumanuToken()
            let (status, payout) = try await sandbox.control("payouts/\(LumanuDocument.exampleID)/advance")
            #expect(status == .ok)
            #expect(payout?["status"] == "Approved")
            #expect(payout?["created_at"] == LumanuDocument.example["created_at"])
            #expect(micros(payout?["updated_at"]) ?? 0 > micros(payout?["created_at"]) ?? .max)
            sandbox.advanceClock(minutes: 60 * 24 * 7)
            #expect(try await sandbox.payout(token, LumanuDocument.exampleID)["status"] == "Approved")
        }
    }

    @Test func sameEmailGetsTheSameLumanuIDInEverySandbox() async throws {
        func verifiedID(seed: UInt64) async throws -> JSONValue? {
            try await SandboxHarness.with({ $0.seed = seed }) { sandbox in
                try await sandbox.control("vendors/signup", #"{"email": "stable@example.com"}"#)
                return try await sandbox.control("vendors/verify", #"{"email": "stable@example.com"}"#).1?["payee_lumanu_id"]
            }
        }
        let first = try await verifiedID(seed: 1), second = try await verifiedID(seed: 2)
        #expect(first?.stringValue?.count == 10)
        #expect(first == second)
    }
}
