import JSON

/// A Lumyri company's billing information. The GET answer carries
/// `paymentId` (the default card), `paymentMethod` and `inStoreCredit`; the
/// PUT answer carries `createdAt`/`updatedAt` instead.
public struct BillingInformation: APIObject, ReadableObject {
    public let json: JSONObject
    public let id: String
    public let companyId: String
    /// The default card's id; nil without a card (and in the update answer).
    public let paymentId: String?
    public let paymentMethod: String?
    /// A number's exact text.
    public let inStoreCredit: String?
    public let firstName: String?
    public let lastName: String?
    public let phoneNumber: String?
    public let country: String?
    public let address: String?
    /// The document shows a number (`49503`); a string is kept as given. Here always text.
    public let postalCode: String?
    public let province: String?
    public let city: String?
    public let organization: String?
    public let taxId: String?
    public let createdAt: String?
    public let updatedAt: String?

    init(_ r: ModelReader) throws(PaymentsError) {
        json = r.object
        id = try r.string("id")
        companyId = try r.string("companyId")
        paymentId = try r.optionalString("paymentId")
        paymentMethod = try r.optionalString("paymentMethod")
        inStoreCredit = try r.present("inStoreCredit") == nil ? nil : r.numberText("inStoreCredit")
        firstName = try r.optionalString("firstName")
        lastName = try r.optionalString("lastName")
        phoneNumber = try r.optionalString("phoneNumber")
        country = try r.optionalString("country")
        address = try r.optionalString("address")
        postalCode = try r.optionalText("postalCode")
        province = try r.optionalString("province")
        city = try r.optionalString("city")
        organization = try r.optionalString("organization")
        taxId = try r.optionalString("taxId")
        createdAt = try r.optionalString("createdAt")
        updatedAt = try r.optionalString("updatedAt")
    }

    public init(json: JSONObject, operation: String = "lumyri.billing") throws(PaymentsError) {
        try self.init(ModelReader(json, path: "billingInformation", service: .lumyri, operation: operation))
    }
}
