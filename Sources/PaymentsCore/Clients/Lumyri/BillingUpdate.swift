import JSON

/// A partial update of the billing information (`PUT
/// /payments/billing-information`): only the members set are sent, and the
/// server keeps the others.
public struct BillingUpdate: Sendable, Hashable {
    public var firstName: String?
    public var lastName: String?
    public var phoneNumber: String?
    public var country: String?
    public var address: String?
    /// Sent as `zipCode` (the document's parameter); answered as `postalCode`.
    public var zipCode: String?
    public var province: String?
    public var city: String?
    public var organization: String?
    public var taxId: String?

    public init(firstName: String? = nil, lastName: String? = nil, phoneNumber: String? = nil, country: String? = nil,
                address: String? = nil, zipCode: String? = nil, province: String? = nil, city: String? = nil,
                organization: String? = nil, taxId: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.phoneNumber = phoneNumber
        self.country = country
        self.address = address
        self.zipCode = zipCode
        self.province = province
        self.city = city
        self.organization = organization
        self.taxId = taxId
    }

    /// The members set, in the document's order.
    var json: JSONObject {
        Caller.strings([("firstName", firstName), ("lastName", lastName), ("phoneNumber", phoneNumber), ("country", country),
                        ("address", address), ("zipCode", zipCode), ("province", province), ("city", city),
                        ("organization", organization), ("taxId", taxId)])
    }

    func body(_ check: ArgumentCheck) throws(PaymentsError) -> JSONObject {
        let body = json
        guard !body.isEmpty else {
            throw check.failure("update", expected: "at least one member to change (firstName, lastName, phoneNumber, …)", got: "none")
        }
        return body
    }
}
