/// How payouts and vendors move along, on the sandbox clock or by a control call.
///
/// On the clock (scheduled objects only, see ``LumanuPayout`` and
/// ``LumanuVendor``), computed from the time of the last change whenever a
/// payout is read or listed, so no timer runs and the result depends only on
/// the sandbox clock:
///
///     null ─15 min→ Approved ─1 h, once the vendor is Verified→ Processing ─24 h→ Paid
///     vendor: Onboarding ─30 min→ Verified   (sign-up itself is a control call)
///
/// `Failed` and `Cancelled` happen only by a control call.
enum LumanuLifecycle {
    static let approvalDelay = 15 * LumanuTime.minute
    static let processingDelay = LumanuTime.hour
    static let paymentDelay = 24 * LumanuTime.hour
    static let verificationDelay = 30 * LumanuTime.minute

    /// The payout as the clock has it at `now`, given its (settled) vendor.
    static func settle(_ payout: LumanuPayout, vendor: LumanuVendor, now: Int64) -> LumanuPayout {
        guard payout.scheduled else { return payout }
        var payout = payout
        while let (next, due) = automaticStep(payout, vendor: vendor), due <= now {
            payout.status = next
            payout.statusAt = due
        }
        return payout
    }

    /// The next change the clock makes, and when; nil when none is coming.
    static func automaticStep(_ payout: LumanuPayout, vendor: LumanuVendor) -> (PayoutStatus, Int64)? {
        switch payout.status {
        case nil:
            return (.approved, payout.statusAt + approvalDelay)
        case .approved?:
            guard vendor.state == .verified, let verifiedAt = vendor.verifiedAt else { return nil }
            return (.processing, max(payout.statusAt + processingDelay, verifiedAt))
        case .processing?:
            return (.paid, payout.statusAt + paymentDelay)
        default:
            return nil
        }
    }

    /// Why a control call may not move a payout from `from` to `to`; nil when it may.
    ///
    /// Forward along `null → Approved → Processing → Paid`, skipping steps if
    /// asked; `Cancelled` before processing starts; `Failed` once approved
    /// and before it is paid; never out of a final status.
    static func refusal(from: PayoutStatus?, to: PayoutStatus) -> String? {
        if let from, from.isFinal { return "the payout is already \(from.rawValue)" }
        let order: [PayoutStatus?] = [nil, .approved, .processing, .paid]
        let position = order.firstIndex(of: from)!
        switch to {
        case .approved, .processing, .paid:
            return order.firstIndex(of: to)! > position ? nil
                : "a payout moves forward only: \(from?.rawValue ?? "null") cannot become \(to.rawValue)"
        case .cancelled:
            return from == nil || from == .approved ? nil : "a payout that is \(from!.rawValue) can no longer be cancelled"
        case .failed:
            return from == .approved || from == .processing ? nil : "only an Approved or Processing payout can fail"
        }
    }

    /// The next status of the happy path, for an advance without a target.
    static func nextStatus(after status: PayoutStatus?) -> PayoutStatus? {
        switch status {
        case nil: return .approved
        case .approved?: return .processing
        case .processing?: return .paid
        default: return nil
        }
    }
}
