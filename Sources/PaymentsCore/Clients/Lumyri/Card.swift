import JSON

/// A Lumyri card ("payment method"), as the card answers show it: the
/// create and list answers carry its `address`, the update answer its `metadata`.
public struct Card: APIObject, ReadableObject {
    public let json: JSONObject
    public let id: String
    public let companyId: String
    /// `Card`.
    public let method: String
    /// The card invoices are charged to; exactly one card is default once there is a card.
    public let isDefault: Bool
    public let info: CardInfo
    public let addressId: String?
    public let address: CardAddress?
    public let metadata: JSONObject?
    public let createdAt: String
    public let updatedAt: String

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        companyId = try r.string("companyId")
        method = try r.string("method")
        isDefault = try r.bool("isDefault")
        info = try r.model("info", as: CardInfo.self)
        addressId = try r.optionalString("addressId")
        address = try r.optionalModel("address", as: CardAddress.self)
        metadata = try r.optionalObject("metadata")
        createdAt = try r.string("createdAt")
        updatedAt = try r.string("updatedAt")
    }

    public init(json: JSONObject, operation: String = "lumyri.cards") throws(PaymentsError) {
        try self.init(ModelReader(json, path: "card", service: .lumyri, operation: operation))
    }
}

/// A card's `info`: the number only masked (`4242********4242`), never the security code.
public struct CardInfo: APIObject, ReadableObject {
    public let json: JSONObject
    public let cardName: String
    /// Masked by the server: some leading and trailing digits, stars between.
    public let cardNumber: String
    public let expMonth: Int
    public let expYear: Int
    public let country: String

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        cardName = try r.string("cardName")
        cardNumber = try r.string("cardNumber")
        expMonth = Int(try r.integer("expMonth"))
        expYear = Int(try r.integer("expYear"))
        country = try r.string("country")
    }

    /// Whether the masked `cardNumber` fits `digits`: its visible leading and
    /// trailing digits are the number's own (at least four of them).
    public func shows(digits: String) -> Bool {
        let lead = cardNumber.prefix { $0.isASCII && $0.isNumber }
        let trail = String(cardNumber.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
        guard lead.count < cardNumber.count, lead.count + trail.count >= 4 else { return false }
        return digits.hasPrefix(lead) && digits.hasSuffix(trail)
    }
}

/// The address a card was created with (the document's Address object).
public struct CardAddress: APIObject, ReadableObject {
    public let json: JSONObject
    public let id: String
    public let companyId: String?
    public let firstName: String?
    public let lastName: String?
    public let streetAddress: String?
    public let aptNumber: String?
    public let state: String?
    public let country: String?
    public let zipCode: String?
    public let createdAt: String?
    public let updatedAt: String?

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        companyId = try r.optionalString("companyId")
        firstName = try r.optionalString("firstName")
        lastName = try r.optionalString("lastName")
        streetAddress = try r.optionalString("streetAddress")
        aptNumber = try r.optionalString("aptNumber")
        state = try r.optionalString("state")
        country = try r.optionalString("country")
        zipCode = try r.optionalText("zipCode")
        createdAt = try r.optionalString("createdAt")
        updatedAt = try r.optionalString("updatedAt")
    }
}
