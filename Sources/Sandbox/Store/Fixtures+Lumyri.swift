import Foundation
import GRDB
import JSON

extension Fixtures {
    /// Lumyri's fixtures: the document's objects as they stand after all of
    /// its examples (see docs/sandbox-lumyri.md), plus generated invoices for
    /// both companies: 64 weekly ones for the example company, 14 monthly
    /// ones for the other.
    static func loadLumyri(into db: Database, random: inout SeededGenerator) throws {
        let company = LumyriCompany.example
        try lumyriAddress(db, company, id: "b5374005-650d-4e9f-b1bb-3ad1d4caee3a", at: "2023-01-04T10:02:39.000Z",
                          ["Clayton", "Bailey", "CA 94566", "CA 94566 North Depot Street", "Indiana", "Canada", "123987"])
        try lumyriAddress(db, company, id: "75d49d15-e755-4f6b-871b-ec00efac21c8", at: "2023-04-17T04:43:15.784Z",
                          ["Clayton", "Bailey", "1000", "new york city", "", "USA", ""])
        try lumyriCard(db, company, id: "02953731-1769-414f-a231-03541c3387ae", addressID: "b5374005-650d-4e9f-b1bb-3ad1d4caee3a",
                       times: ("2023-01-04T10:02:39.000Z", "2023-02-14T07:44:21.000Z"), isDefault: true,
                       info: ("Clayton Bailey", "4263********9299", 12, 2027, "EUR"), metadata: [:])
        try lumyriCard(db, company, id: "1244ff21-7bfb-4a56-b4bb-44f11934d78d", addressID: "75d49d15-e755-4f6b-871b-ec00efac21c8",
                       times: ("2023-02-16T03:14:54.000Z", "2023-02-16T03:14:54.000Z"), isDefault: false,
                       info: ("Clayton Bailey", "4242********4242", 1, 2025, "USA"), metadata: .null)
        try lumyriCard(db, company, id: "dcc81a1c-a89c-4cb8-abee-208eb479921a", addressID: "b5374005-650d-4e9f-b1bb-3ad1d4caee3a",
                       times: ("2023-01-16T07:46:01.000Z", "2023-02-14T08:25:26.000Z"), isDefault: false,
                       info: ("Tobey Maguire", "4000********1976", 12, 2023, "USA"), metadata: .null)
        try db.save(.lumyri, "billing", id: company.billingID, owner: company.id, body: lumyriBilling(
            company, lastName: "Bailey", phone: "(714) 555-8431", created: "2023-01-04T10:02:39.000Z", updated: "2023-01-04T10:02:39.000Z"))
        try db.save(.lumyri, "invoice", id: "4e872310-58fb-40bf-9494-68731fb3d6b4", owner: company.id, body: lumyriInvoice(
            id: "4e872310-58fb-40bf-9494-68731fb3d6b4", company, period: ("2023-02-01T00:00:00.000Z", "2023-02-28T00:00:00.000Z"),
            requests: [0, 0, 0, 2176, 0], taxed: false, status: "Processing", method: "Card",
            created: "2023-02-01T06:16:41.000Z", updated: "2023-02-01T06:16:41.000Z", paymentID: nil, card: nil))

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let firstWeek = calendar.date(from: DateComponents(year: 2021, month: 11, day: 1))!
        for week in 0 ..< 64 {
            let start = calendar.date(byAdding: .day, value: 7 * week, to: firstWeek)!
            try lumyriGeneratedInvoice(db, company, random: &random, start: start, end: calendar.date(byAdding: .day, value: 6, to: start)!,
                                       card: ("02953731-1769-414f-a231-03541c3387ae", "4263********9299"))
        }

        let other = LumyriCompany.other
        let otherAddress = lumyriUUID(&random), otherCard = lumyriUUID(&random)
        try lumyriAddress(db, other, id: otherAddress, at: "2023-01-10T09:00:00.000Z",
                          ["Clayton", "Bailey", "", "95 Beach St", "Quebec", "Canada", "49503"])
        try lumyriCard(db, other, id: otherCard, addressID: otherAddress,
                       times: ("2023-01-10T09:00:00.000Z", "2023-01-10T09:00:00.000Z"), isDefault: true,
                       info: ("Clayton Bailey", "5555********4444", 10, 2030, "Canada"), metadata: .null)
        var otherBilling = lumyriBilling(other, lastName: "Bailey", phone: "(714) 555-8431",
                                         created: "2023-01-10T09:00:00.000Z", updated: "2023-01-10T09:00:00.000Z")
        otherBilling["id"] = .string(other.billingID)
        try db.save(.lumyri, "billing", id: other.billingID, owner: other.id, body: otherBilling)
        for month in 0 ..< 14 {
            let start = calendar.date(byAdding: .month, value: month, to: calendar.date(from: DateComponents(year: 2022, month: 1, day: 1))!)!
            let end = calendar.date(byAdding: .day, value: -1, to: calendar.date(byAdding: .month, value: 1, to: start)!)!
            try lumyriGeneratedInvoice(db, other, random: &random, start: start, end: end, card: (otherCard, "5555********4444"))
        }
    }

    // MARK: Lumyri objects

    static func lumyriAddress(_ db: Database, _ company: LumyriCompany, id: String, at time: String, _ values: [String]) throws {
        var body: JSONObject = ["id": .string(id), "companyId": .string(company.id), "createdAt": .string(time), "updatedAt": .string(time)]
        for (name, value) in zip(NewCard.addressFields, values) { body[name] = .string(value) }
        try db.save(.lumyri, "address", id: id, owner: company.id, body: body)
    }

    static func lumyriCard(_ db: Database, _ company: LumyriCompany, id: String, addressID: String, times: (String, String),
                           isDefault: Bool, info: (String, String, Int64, Int64, String), metadata: JSONValue) throws {
        try db.save(.lumyri, "card", id: id, owner: company.id, body: [
            "id": .string(id), "companyId": .string(company.id), "addressId": .string(addressID),
            "createdAt": .string(times.0), "updatedAt": .string(times.1), "method": "Card", "isDefault": .bool(isDefault),
            "info": ["cardName": .string(info.0), "cardNumber": .string(info.1), "expMonth": .integer(info.2),
                     "expYear": .integer(info.3), "country": .string(info.4)],
            "metadata": metadata, "outcome": "succeeded", "chargeAttempts": 0,
        ])
    }

    /// The billing-information example's values (a superset of both answers' keys).
    static func lumyriBilling(_ company: LumyriCompany, lastName: String, phone: String, created: String, updated: String) -> JSONObject {
        [
            "id": .string(company.billingID), "companyId": .string(company.id), "paymentMethod": "card", "inStoreCredit": 100,
            "firstName": "Clayton", "lastName": .string(lastName), "phoneNumber": .string(phone), "country": "Canada",
            "address": "95 Beach St Biller, MA 01824", "postalCode": 49503, "province": "Quebec", "city": "Stain",
            "organization": "Lumyri", "taxId": "EIN: 12-3456789", "createdAt": .string(created), "updatedAt": .string(updated),
        ]
    }

    /// The five metered products of an invoice, and their price per request in cents.
    static let lumyriProducts: [(path: String, title: String, cents: Int64)] = [
        ("route", "Direction API", 5), ("search", "Address Autofill", 3), ("reverse", "Permanent Geocoding", 2),
        ("tile", "Tilesets", 8), ("trip", "Direction API", 4),
    ]

    /// An invoice from the number of requests of each product; a taxed one adds 8 % (cents rounded half up).
    static func lumyriInvoice(id: String, _ company: LumyriCompany, period: (String, String), requests: [Int64], taxed: Bool,
                              status: String, method: String, created: String, updated: String,
                              paymentID: String?, card: (String, String)?) -> JSONObject {
        var subTotal = Cents(0)
        var details: [JSONValue] = []
        for (product, count) in zip(lumyriProducts, requests) {
            let amount = Cents(product.cents * count)
            subTotal = subTotal + amount
            details.append(["path": .string(product.path), "title": .string(product.title), "amount": amount.jsonNumber,
                            "currency": "USD", "totalRequest": .string(String(count))])
        }
        let tax = Cents(taxed ? (subTotal.value * 8 + 50) / 100 : 0)
        let total = subTotal + tax
        var payment: JSONValue = .null
        if let paymentID, let card {
            payment = ["id": .string(paymentID), "method": .string(method), "cardId": .string(card.0),
                       "cardNumber": .string(card.1), "amount": .string(total.decimalString), "currency": "USD",
                       "createdAt": .string(updated)]
        }
        return [
            "id": .string(id), "companyId": .string(company.id), "billToId": .string(company.billingID),
            "paymentId": paymentID.map(JSONValue.string) ?? .null, "startAt": .string(period.0), "endAt": .string(period.1),
            "status": .string(status), "method": .string(method), "details": .array(details),
            "subTotal": .string(subTotal.decimalString), "tax": .string(tax.decimalString), "total": .string(total.decimalString),
            "metadata": status == "Succeeded" ? [:] : .null, "createdAt": .string(created), "updatedAt": .string(updated),
            "payment": payment,
        ]
    }

    static let lumyriStatuses = ["Succeeded", "Succeeded", "Succeeded", "Succeeded", "Succeeded", "Failed", "Processing"]
    static let lumyriDeclines = ["card_declined", "insufficient_funds", "processing_error"]

    static func lumyriGeneratedInvoice(_ db: Database, _ company: LumyriCompany, random: inout SeededGenerator,
                                       start: Date, end: Date, card: (String, String)) throws {
        let id = lumyriUUID(&random)
        let requests = lumyriProducts.map { _ in Bool.random(using: &random) ? Int64.random(in: 1 ... 4000, using: &random) : 0 }
        let status = lumyriStatuses.randomElement(using: &random)!
        let method = Int.random(in: 0 ..< 5, using: &random) == 0 ? "paypal" : "Card"
        let created = end.addingTimeInterval(86_400 + Double(Int.random(in: 0 ..< 36_000, using: &random)))
        let updated = status == "Processing" ? created : created.addingTimeInterval(Double(Int.random(in: 60 ..< 200_000, using: &random)))
        var body = lumyriInvoice(id: id, company, period: (SandboxClock.timestamp(start), SandboxClock.timestamp(end)),
                                 requests: requests, taxed: Int.random(in: 0 ..< 3, using: &random) == 0, status: status, method: method,
                                 created: SandboxClock.timestamp(created), updated: SandboxClock.timestamp(updated),
                                 paymentID: status == "Succeeded" ? lumyriUUID(&random) : nil, card: card)
        if status == "Failed" { body["metadata"] = ["declineCode": .string(lumyriDeclines.randomElement(using: &random)!)] }
        try db.save(.lumyri, "invoice", id: id, owner: company.id, body: body)
    }

    /// A version-4 UUID from the seeded generator.
    static func lumyriUUID(_ random: inout SeededGenerator) -> String {
        var bytes = (0 ..< 16).map { _ in UInt8.random(in: 0 ... 255, using: &random) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map(format2).joined()
        let cuts = [0, 8, 12, 16, 20, 32].map { hex.index(hex.startIndex, offsetBy: $0) }
        return (0 ..< 5).map { String(hex[cuts[$0] ..< cuts[$0 + 1]]) }.joined(separator: "-")
    }
}
