/// A card number as the sandbox sees it: checked, masked, and mapped to the
/// outcome its charges will have. The full number never leaves this type's
/// initializer; only `masked` and `outcome` are kept.
struct CardNumber: Sendable {
    /// `4242********4242`: the first four digits, eight stars, the last four.
    let masked: String
    let outcome: ChargeOutcome

    enum Problem: Error {
        case notDigits, badLength, failsLuhn
    }

    init(_ digits: String) throws(Problem) {
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { throw .notDigits }
        guard (12 ... 19).contains(digits.count) else { throw .badLength }
        guard Self.passesLuhn(digits) else { throw .failsLuhn }
        masked = String(digits.prefix(4)) + String(repeating: "*", count: 8) + String(digits.suffix(4))
        outcome = Self.testCards[digits] ?? .succeeded
    }

    /// The Luhn (mod 10) check of a string of ASCII digits.
    static func passesLuhn(_ digits: String) -> Bool {
        var sum = 0
        for (position, character) in digits.reversed().enumerated() {
            guard let digit = character.wholeNumberValue else { return false }
            if position % 2 == 1 {
                sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// The test numbers of api-notes.md; every other valid number succeeds.
    static let testCards: [String: ChargeOutcome] = [
        "4242424242424242": .succeeded,
        "5555555555554444": .succeeded,
        "4000000000000002": .declined("card_declined"),
        "4000000000009995": .declined("insufficient_funds"),
        "4000000000000069": .declined("expired_card"),
        "4000000000000119": .transient("processing_error"),
    ]
}

/// What charging a card does, as stored with the card (`"succeeded"`,
/// `"declined:card_declined"`, `"transient:processing_error"`).
enum ChargeOutcome: Sendable, Equatable {
    case succeeded
    /// Every charge fails with this decline code.
    case declined(String)
    /// Charges alternate: the first fails with this code, the next succeeds, and so on.
    case transient(String)

    init(stored: String) {
        if stored.hasPrefix("declined:") {
            self = .declined(String(stored.dropFirst("declined:".count)))
        } else if stored.hasPrefix("transient:") {
            self = .transient(String(stored.dropFirst("transient:".count)))
        } else {
            self = .succeeded
        }
    }

    var stored: String {
        switch self {
        case .succeeded: return "succeeded"
        case .declined(let code): return "declined:" + code
        case .transient(let code): return "transient:" + code
        }
    }

    /// The decline code of the card's `attempt`-th charge (1-based), or nil when it succeeds.
    func declineCode(attempt: Int64) -> String? {
        switch self {
        case .succeeded: return nil
        case .declined(let code): return code
        case .transient(let code): return attempt % 2 == 1 ? code : nil
        }
    }
}
