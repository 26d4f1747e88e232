import JSON

/// The answers of the Lumyri document, key for key and in its order. The
/// stored objects hold a superset (and a few sandbox-only members such as a
/// card's charge outcome); only these keys ever reach the wire.
enum LumyriViews {
    /// `keys` of `stored`, in that order, `null` for a missing one.
    static func pick(_ stored: JSONObject, _ keys: [String]) -> JSONObject {
        JSONObject(keys.map { ($0, stored[$0] ?? .null) })
    }

    // MARK: Cards

    /// `POST /payments/cards`.
    static func createdCard(_ card: JSONObject, address: JSONObject?) -> JSONObject {
        var view = pick(card, ["id", "companyId", "addressId", "address", "createdAt", "updatedAt", "method", "isDefault", "info"])
        view["address"] = address.map { .object(pick($0, ["id", "createdAt", "updatedAt", "firstName", "lastName", "streetAddress",
                                                          "aptNumber", "state", "country", "zipCode", "companyId"])) } ?? .null
        view["info"] = .object(pick(card["info"]?.objectValue ?? [:], ["cardName", "cardNumber", "expMonth", "expYear", "country"]))
        return view
    }

    /// An item of `GET /payments/cards` (the order of the document's first item).
    static func listedCard(_ card: JSONObject, address: JSONObject?) -> JSONObject {
        var view = pick(card, ["id", "companyId", "createdAt", "updatedAt", "method", "isDefault", "info", "addressId", "address"])
        view["info"] = .object(pick(card["info"]?.objectValue ?? [:], ["country", "expYear", "cardName", "expMonth", "cardNumber"]))
        view["address"] = address.map { .object(pick($0, ["id", "companyId", "firstName", "lastName", "streetAddress", "aptNumber",
                                                          "state", "country", "zipCode", "createdAt", "updatedAt"])) } ?? .null
        return view
    }

    /// `PUT /payments/cards/{id}`.
    static func updatedCard(_ card: JSONObject) -> JSONObject {
        var view = pick(card, ["id", "companyId", "method", "isDefault", "info", "metadata", "createdAt", "updatedAt"])
        view["info"] = .object(pick(card["info"]?.objectValue ?? [:], ["country", "cardNumber", "expYear", "expMonth", "cardName"]))
        return view
    }

    // MARK: Billing information

    /// `GET /payments/billing-information`; `paymentId` is the company's default card.
    static func billingInformation(_ billing: JSONObject, defaultCard: String?) -> JSONObject {
        var view = pick(billing, ["id", "companyId", "paymentId", "paymentMethod", "inStoreCredit", "firstName", "lastName",
                                  "phoneNumber", "country", "address", "postalCode", "province", "city", "organization", "taxId"])
        view["paymentId"] = defaultCard.map(JSONValue.string) ?? .null
        return view
    }

    /// `PUT /payments/billing-information`.
    static func updatedBillingInformation(_ billing: JSONObject) -> JSONObject {
        pick(billing, ["id", "companyId", "firstName", "lastName", "phoneNumber", "country", "address", "postalCode",
                       "province", "city", "organization", "taxId", "createdAt", "updatedAt"])
    }

    // MARK: Invoices

    static let detailKeys = ["path", "title", "amount", "currency", "totalRequest"]

    /// `GET /payments/orders/{id}`: the document's invoice object.
    static func invoice(_ invoice: JSONObject) -> JSONObject {
        withDetails(pick(invoice, ["id", "companyId", "billToId", "paymentId", "startAt", "endAt", "status", "method", "details",
                                   "subTotal", "tax", "total", "metadata", "createdAt", "updatedAt"]))
    }

    /// `PUT /payments/orders/{id}/pay`.
    static func paidInvoice(_ invoice: JSONObject) -> JSONObject {
        withDetails(pick(invoice, ["id", "createdAt", "updatedAt", "companyId", "startAt", "endAt", "status", "method", "details",
                                   "subTotal", "tax", "total", "metadata", "billToId", "paymentId"]))
    }

    /// An item of `GET /payments/orders`: the pay answer's keys plus `payment`.
    static func listedInvoice(_ invoice: JSONObject) -> JSONObject {
        var view = paidInvoice(invoice)
        view["payment"] = invoice["payment"] ?? .null
        return view
    }

    static func withDetails(_ view: JSONObject) -> JSONObject {
        var view = view
        let lines = view["details"]?.arrayValue ?? []
        view["details"] = .array(lines.map { .object(pick($0.objectValue ?? [:], detailKeys)) })
        return view
    }
}
