import Foundation
import JSON

/// The body of `POST /payments/cards`, validated. The full card number and
/// the CVV are checked here and dropped: neither is kept, logged or echoed
/// (not even in an error message).
struct NewCard {
    static let topFields = ["isDefault", "addressInfo", "info"]
    static let infoFields = ["cardName", "cardNumber", "expMonth", "expYear", "cvv", "country"]
    static let addressFields = ["firstName", "lastName", "aptNumber", "streetAddress", "state", "country", "zipCode"]

    var isDefault: Bool?
    /// Every address field, `""` when not given (as the document's answer shows).
    var address: [(String, String)]
    var cardName: String
    var number: CardNumber
    var expiry: CardExpiry
    var country: String

    init(_ body: JSONValue, now: Date) throws {
        let top = try LumyriFields(body, allowed: Self.topFields)
        isDefault = try top.bool("isDefault")
        let addressInfo = try top.nested("addressInfo", allowed: Self.addressFields, required: true)!
        address = try Self.addressFields.map { ($0, try addressInfo.string($0) ?? "") }
        let info = try top.nested("info", allowed: Self.infoFields, required: true)!
        cardName = try info.string("cardName", required: true, nonEmpty: true)!
        let digits = try info.string("cardNumber", required: true)!
        do {
            number = try CardNumber(digits)
        } catch .notDigits {
            throw LumyriAPI.badRequest("info.cardNumber must contain digits only")
        } catch .badLength {
            throw LumyriAPI.badRequest("info.cardNumber must have 12 to 19 digits")
        } catch .failsLuhn {
            throw LumyriAPI.badRequest("info.cardNumber is not a valid card number (it fails the Luhn check)")
        }
        expiry = try CardExpiry(info, now: now)
        let cvv = try info.string("cvv", required: true)!
        guard (3 ... 4).contains(cvv.count), cvv.allSatisfy(\.isASCIIDigit) else {
            throw LumyriAPI.badRequest("info.cvv must be a string of 3 or 4 digits")
        }
        country = try info.string("country", required: true, nonEmpty: true)!
    }
}

/// The body of `PUT /payments/cards/{id}`: a new expiry, and maybe `isDefault`.
struct CardUpdate {
    var isDefault: Bool?
    var expiry: CardExpiry

    init(_ body: JSONValue, now: Date) throws {
        let top = try LumyriFields(body, allowed: ["isDefault", "info"])
        isDefault = try top.bool("isDefault")
        let info = try top.nested("info", allowed: ["expMonth", "expYear"], required: true)!
        expiry = try CardExpiry(info, now: now)
    }
}

/// A card's `expMonth`/`expYear`: a card is good through the last day of
/// its expiry month (UTC, on the sandbox clock).
struct CardExpiry {
    var month: Int64
    var year: Int64

    init(month: Int64, year: Int64) {
        self.month = month
        self.year = year
    }

    /// Read from `info`; a date already past is a 400.
    init(_ info: LumyriFields, now: Date) throws {
        month = try info.integer("expMonth", required: true, in: 1 ... 12)!
        year = try info.integer("expYear", required: true, in: 1000 ... 9999)!
        if isPast(at: now) {
            throw LumyriAPI.badRequest("the card has expired: info.expMonth/info.expYear \(month)/\(year) is before \(Self.monthText(now)) (the sandbox clock's month)")
        }
    }

    init?(info: JSONObject) {
        guard let month = info["expMonth"]?.int64Value, let year = info["expYear"]?.int64Value else { return nil }
        self.init(month: month, year: year)
    }

    func isPast(at date: Date) -> Bool {
        let (year, month) = Self.yearMonth(date)
        return self.year < year || (self.year == year && self.month < month)
    }

    static func yearMonth(_ date: Date) -> (Int64, Int64) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: date)
        return (Int64(parts.year!), Int64(parts.month!))
    }

    static func monthText(_ date: Date) -> String {
        let (year, month) = yearMonth(date)
        return "\(month)/\(year)"
    }
}
