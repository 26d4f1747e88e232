import Crypto
import Foundation
import JSON

/// Where a payee stands in Lumanu's onboarding, as `vendor_status` says it.
enum VendorState: String, CaseIterable, Sendable {
    case awaitingSignup = "Awaiting signup"
    case onboarding = "Onboarding"
    case verified = "Verified"
}

/// A payee (creator), known by e-mail across every workspace: the first
/// payout to an unknown address makes one that is awaiting sign-up.
///
/// Stored as `lumanu/vendor/<lower-cased e-mail>`. Times are microseconds
/// (``LumanuTime``). A vendor that signed up through the control API is
/// `scheduled`: the sandbox clock verifies it ``LumanuLifecycle/verificationDelay``
/// later. Fixture vendors are not: only a control call moves them.
struct LumanuVendor: Sendable, Equatable {
    var email: String
    var state: VendorState
    var displayName: String?
    var signedUpAt: Int64?
    var verifiedAt: Int64?
    var scheduled = false

    static let kind = "vendor"
    static let owner = "lumanu"

    init(email: String, state: VendorState = .awaitingSignup, displayName: String? = nil,
         signedUpAt: Int64? = nil, verifiedAt: Int64? = nil, scheduled: Bool = false) {
        self.email = email
        self.state = state
        self.displayName = displayName
        self.signedUpAt = signedUpAt
        self.verifiedAt = verifiedAt
        self.scheduled = scheduled
    }

    /// The key of a vendor: its e-mail, trimmed and lower-cased.
    static func key(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The vendor's Lumanu ID: 10 upper-case alphanumerics, the same for an
    /// e-mail in every sandbox (derived from it, so never re-drawn).
    var lumanuID: String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let digest = Array(SHA256.hash(data: Data(("lumanu-vendor:" + email).utf8)))
        return String(digest.prefix(10).map { alphabet[Int($0) % alphabet.count] })
    }

    /// The vendor as the sandbox clock has it at `now`: a scheduled
    /// onboarding vendor is verified once its delay has passed.
    func settled(at now: Int64) -> LumanuVendor {
        guard scheduled, state == .onboarding, let signedUpAt,
              signedUpAt + LumanuLifecycle.verificationDelay <= now else { return self }
        var vendor = self
        vendor.state = .verified
        vendor.verifiedAt = signedUpAt + LumanuLifecycle.verificationDelay
        return vendor
    }

    /// A display name from the e-mail's local part: `jane.doe+x@…` → `Jane Doe`.
    static func displayName(from email: String) -> String {
        let local = email.split(separator: "@").first.map(String.init) ?? email
        let words = local.split(separator: "+").first.map(String.init)?
            .split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" }) ?? []
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        return name.isEmpty ? email : name
    }

    // MARK: Storage

    var stored: JSONObject {
        var body = JSONObject()
        body["email"] = .string(email)
        body["state"] = .string(state.rawValue)
        body["display_name"] = displayName.map(JSONValue.string) ?? .null
        body["signed_up_us"] = signedUpAt.map(JSONValue.integer) ?? .null
        body["verified_us"] = verifiedAt.map(JSONValue.integer) ?? .null
        body["scheduled"] = .bool(scheduled)
        return body
    }

    init?(stored body: JSONObject) {
        guard let email = body["email"]?.stringValue,
              let state = body["state"]?.stringValue.flatMap(VendorState.init(rawValue:)) else { return nil }
        self.init(email: email, state: state, displayName: body["display_name"]?.stringValue,
                  signedUpAt: body["signed_up_us"]?.int64Value, verifiedAt: body["verified_us"]?.int64Value,
                  scheduled: body["scheduled"]?.boolValue ?? false)
    }

    /// The control API's view of a vendor.
    var controlView: JSONObject {
        [
            "email": .string(email), "vendor_status": .string(state.rawValue),
            "vendor_display_name": state == .awaitingSignup ? .null : displayName.map(JSONValue.string) ?? .null,
            "payee_lumanu_id": state == .verified ? .string(lumanuID) : .null,
            "signed_up_at": signedUpAt.map { .string(LumanuTime.timestamp($0)) } ?? .null,
            "verified_at": verifiedAt.map { .string(LumanuTime.timestamp($0)) } ?? .null,
        ]
    }
}
