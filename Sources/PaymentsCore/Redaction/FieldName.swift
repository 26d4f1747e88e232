/// What a field's name says about its value, whatever the name's case or
/// separators: `client_secret`, `clientSecret` and `Client-Secret` are one
/// name (`clientsecret`). Used for JSON keys, form and query parameters, and
/// `key=value` / `"key": "value"` pairs in free text.
enum FieldName {
    enum Kind: Equatable {
        /// A credential: its value becomes `[redacted]`.
        case secret
        /// A card security code (CVV, CVC): its value becomes `[redacted]`, whatever its type.
        case securityCode
        /// A card number: its digits are masked even when they fail the Luhn check.
        case cardNumber
        case other
    }

    /// What the field `name` holds. For a dotted path (`info.cardNumber`) the last part decides.
    static func kind(of name: ArraySlice<UInt8>) -> Kind {
        // Most names end in a byte no rule ends with: decide those without normalising.
        guard let last = name.last(where: ASCIIByte.isAlphanumeric), finalBytes.contains(lowercased(last)) else { return .other }
        let lastPart = name.lastIndex(of: ASCIIByte.dot).map { name[($0 + 1)...] } ?? name
        return kind(normalized: normalized(lastPart))
    }

    static func kind(of name: String) -> Kind { kind(of: Array(name.utf8)[...]) }

    static func kind(normalized name: String) -> Kind {
        if securityCodes.contains(name) || securityCodeEndings.contains(where: name.hasSuffix) { return .securityCode }
        if cardNumbers.contains(name) || name.hasSuffix("cardnumber") { return .cardNumber }
        if secrets.contains(name) || secretEndings.contains(where: name.hasSuffix) { return .secret }
        return .other
    }

    /// `Client-Secret` → `clientsecret`: ASCII letters in lower case and digits, nothing else.
    static func normalized(_ name: ArraySlice<UInt8>) -> String {
        String(decoding: name.compactMap { ASCIIByte.isAlphanumeric($0) ? lowercased($0) : nil }, as: UTF8.self)
    }

    static func normalized(_ name: String) -> String { normalized(Array(name.utf8)[...]) }

    static func lowercased(_ c: UInt8) -> UInt8 { ASCIIByte.isLetter(c) ? c | 0x20 : c }

    /// `Authorization`, `Proxy-Authorization`: values whose scheme is kept (`Bearer [redacted]`).
    static func isAuthorization(normalized name: String) -> Bool {
        name == "authorization" || name == "proxyauthorization"
    }

    /// An object under this name holds card details, so its `number` is a card number (`card`, `cards`, `creditCard`).
    static func holdsCards(_ name: String) -> Bool { normalized(name).contains("card") }

    /// A member with this name shows that its object is a card (an expiry or a security code beside the number).
    static func marksCard(_ name: String) -> Bool {
        let name = normalized(name)
        return cardDetails.contains(name) || kind(normalized: name) == .securityCode
    }

    static let secrets: Set<String> = [
        "secret", "password", "passwd", "pwd", "passphrase", "token", "apikey", "auth", "authorization",
        "proxyauthorization", "credential", "credentials", "cookie", "setcookie", "privatekey", "pin", "otp", "sessionid",
    ]
    /// `clientsecret`, `accesstoken`, `refreshtoken`, `idtoken`, `xapikey`, `userpassword`, …
    static let secretEndings = ["secret", "password", "passwd", "passphrase", "token", "apikey", "privatekey",
                                "secretkey", "accesskey", "signingkey", "credentials"]
    static let securityCodes: Set<String> = ["cvn", "csc", "cardverificationvalue", "cardverificationcode"]
    /// `cvv`, `cvv2`, `cardcvc`, `securitycode`, `cardsecuritycode`, …
    static let securityCodeEndings = ["cvv", "cvc", "cvv2", "cvc2", "securitycode"]
    /// And every name ending in `cardnumber` (`creditCardNumber`, `info.cardNumber`).
    static let cardNumbers: Set<String> = ["cardno", "cardnum", "pan", "primaryaccountnumber", "ccnumber", "ccnum"]
    static let cardDetails: Set<String> = ["expmonth", "expyear", "expirymonth", "expiryyear", "expirationmonth",
                                           "expirationyear", "expiry", "expiration", "expirationdate", "expdate"]

    /// The last bytes of every name above: a name ending otherwise is `.other`.
    static let finalBytes: Set<UInt8> = Set(
        (Array(secrets) + secretEndings + Array(securityCodes) + securityCodeEndings + Array(cardNumbers) + ["cardnumber"])
            .compactMap(\.utf8.last))
}
