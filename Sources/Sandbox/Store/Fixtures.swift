import GRDB
import JSON

/// The state of a fresh sandbox: every example object of the documents under
/// its documented id (so the examples work verbatim), plus deterministic
/// generated data sized to exercise paging and isolation.
enum Fixtures {
    static func load(into db: Database, seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        try db.setSetting("fixtures.seed", String(seed))
        try db.setSetting("auth.signing_key", (0 ..< 32).map { _ in format2(UInt8.random(in: 0 ... 255, using: &random)) }.joined())
        try loadLumen(into: db, random: &random)
        try loadLumanu(into: db, random: &random)
        try loadLumyri(into: db, random: &random)
    }

    static func format2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    // MARK: Lumen

    static let lumenFirstNames = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Frances", "Niklaus"]
    static let lumenLastNames = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Allen", "Wirth"]
    static let lumenPlans = ["Starter Plan", "Pro Plan", "Team Plan", "Enterprise Plan"]
    static let lumenPlanPrices: [String: Int64] = ["Starter Plan": 1500, "Pro Plan": 5000, "Team Plan": 12000, "Enterprise Plan": 49900]
    static let lumenStatuses = ["succeeded", "succeeded", "succeeded", "succeeded", "failed", "pending", "refunded"]

    static func loadLumen(into db: Database, random: inout SeededGenerator) throws {
        let acme = "merchant_acme", globex = "merchant_globex"
        // The documents' own objects.
        try customer(db, acme, "cust_123", "Jane Roe")
        try customer(db, acme, "cust_456", "John Doe")
        try db.save(.lumen, "payment_method", id: "pm_123", owner: acme, body: [
            "id": "pm_123", "customerId": "cust_123", "provider": "stripe", "paymentType": "card",
            "externalPaymentMethodId": "pm_ext_fixture_123", "status": "active", "cardBrand": "visa", "cardLastFour": "4242",
        ])
        try payment(db, acme, id: "pay_123", cents: 5000, status: "succeeded", customer: ("cust_456", "John Doe"),
                    invoice: ("inv_789", "INV-0001"), plan: "Pro Plan")
        // Generated: more customers and payments for both merchants.
        var invoiceNumber = 2
        for (merchant, prefix, count) in [(acme, "", 8), (globex, "g", 4)] {
            for c in 1 ... count {
                let name = lumenFirstNames.randomElement(using: &random)! + " " + lumenLastNames.randomElement(using: &random)!
                let customerID = "cust_\(prefix)\(1000 + c)"
                try customer(db, merchant, customerID, name)
                for _ in 0 ..< Int.random(in: 2 ... 5, using: &random) {
                    let plan = lumenPlans.randomElement(using: &random)!
                    let number = invoiceNumber
                    invoiceNumber += 1
                    try payment(db, merchant, id: "pay_\(prefix)\(10_000 + number)", cents: lumenPlanPrices[plan]!,
                                status: lumenStatuses.randomElement(using: &random)!, customer: (customerID, name),
                                invoice: ("inv_\(prefix)\(20_000 + number)", "INV-\(String(repeating: "0", count: max(0, 4 - String(number).count)))\(number)"),
                                plan: plan)
                }
            }
        }
    }

    static func customer(_ db: Database, _ merchant: String, _ id: String, _ name: String) throws {
        try db.save(.lumen, "customer", id: id, owner: merchant, body: ["id": .string(id), "name": .string(name)])
    }

    static func payment(_ db: Database, _ merchant: String, id: String, cents: Int64, status: String,
                        customer: (String, String), invoice: (String, String), plan: String) throws {
        try db.save(.lumen, "payment", id: id, owner: merchant, body: [
            "id": .string(id), "amountCents": .integer(cents), "currency": "usd", "status": .string(status),
            "customer": ["id": .string(customer.0), "name": .string(customer.1)],
            "invoice": ["id": .string(invoice.0), "customerInvoiceNumber": .string(invoice.1)],
            "planName": .string(plan),
        ])
    }
}
