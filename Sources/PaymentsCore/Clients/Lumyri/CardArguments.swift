import Foundation
import JSON

/// What `LumyriClient.createCard` sends (`POST /payments/cards`).
///
/// Holds a full card number and security code: its `description` (and what
/// `print`, `dump` and string interpolation show) masks the number and
/// leaves the code out.
public struct NewCard: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var cardName: String
    /// 13–19 digits passing the Luhn check; spaces and dashes are dropped before sending.
    public var cardNumber: String
    /// 1–12.
    public var expMonth: Int
    /// Four digits; the card must not have expired.
    public var expYear: Int
    /// 3 or 4 digits. Sent once, never kept.
    public var cvv: String
    public var country: String
    /// Make it the card invoices are charged to (the first card always is).
    public var isDefault: Bool?
    /// Where the card was issued; every part optional.
    public var address: CardAddressInfo

    public init(cardName: String, cardNumber: String, expMonth: Int, expYear: Int, cvv: String, country: String,
                isDefault: Bool? = nil, address: CardAddressInfo = CardAddressInfo()) {
        self.cardName = cardName
        self.cardNumber = cardNumber
        self.expMonth = expMonth
        self.expYear = expYear
        self.cvv = cvv
        self.country = country
        self.isDefault = isDefault
        self.address = address
    }

    public var description: String {
        "NewCard(\(Redactor.maskCardNumber(cardNumber)) \(expMonth)/\(expYear), \(cardName), cvv [redacted])"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["card": description]) }

    /// The body in the document's order, checked; answers the digits sent too.
    func body(_ check: ArgumentCheck, now: Date) throws(PaymentsError) -> (body: JSONObject, digits: String) {
        let digits = try check.cardNumber(cardNumber, "info.cardNumber")
        try check.expiry(month: expMonth, year: expYear, now: now, "info")
        var body: JSONObject = [:]
        if let isDefault { body["isDefault"] = .bool(isDefault) }
        body["addressInfo"] = .object(address.json)
        body["info"] = [
            "cardName": .string(try check.nonEmpty(cardName, "info.cardName")),
            "cardNumber": .string(digits),
            "expMonth": .integer(Int64(expMonth)),
            "expYear": .integer(Int64(expYear)),
            "cvv": .string(try check.cvv(cvv, "info.cvv")),
            "country": .string(try check.nonEmpty(country, "info.country")),
        ]
        return (body, digits)
    }
}

/// A new card's `addressInfo`: every member optional, sent only when set.
public struct CardAddressInfo: Sendable, Hashable {
    public var firstName: String?
    public var lastName: String?
    public var streetAddress: String?
    public var aptNumber: String?
    public var state: String?
    public var country: String?
    public var zipCode: String?

    public init(firstName: String? = nil, lastName: String? = nil, streetAddress: String? = nil, aptNumber: String? = nil,
                state: String? = nil, country: String? = nil, zipCode: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.streetAddress = streetAddress
        self.aptNumber = aptNumber
        self.state = state
        self.country = country
        self.zipCode = zipCode
    }

    var json: JSONObject {
        Caller.strings([("firstName", firstName), ("lastName", lastName), ("streetAddress", streetAddress), ("aptNumber", aptNumber),
                        ("state", state), ("country", country), ("zipCode", zipCode)])
    }
}

/// What `LumyriClient.updateCard` sends (`PUT /payments/cards/{id}`): a new
/// expiry and, if set, whether the card becomes the default.
public struct CardUpdate: Sendable, Hashable {
    public var expMonth: Int
    public var expYear: Int
    /// `true` makes it the default card; `false` on the default card is refused by the server.
    public var isDefault: Bool?

    public init(expMonth: Int, expYear: Int, isDefault: Bool? = nil) {
        self.expMonth = expMonth
        self.expYear = expYear
        self.isDefault = isDefault
    }

    func body(_ check: ArgumentCheck, now: Date) throws(PaymentsError) -> JSONObject {
        try check.expiry(month: expMonth, year: expYear, now: now, "info")
        var body: JSONObject = [:]
        if let isDefault { body["isDefault"] = .bool(isDefault) }
        body["info"] = ["expMonth": .integer(Int64(expMonth)), "expYear": .integer(Int64(expYear))]
        return body
    }
}
