import Foundation
import GRDB
import Hummingbird
import JSON

/// Invoices ("orders"): list with filters and paging, get one, pay.
///
/// Paying charges the company's default card; the card's test number
/// decides the outcome (see `CardNumber.testCards`). A success sets
/// `Succeeded`, a new `paymentId` and `updatedAt`; a decline is a 402 with
/// its code, leaves the invoice `Failed` (its code in `metadata.declineCode`)
/// and payable again. An invoice already `Succeeded` is a 409 and nothing
/// is charged; a company without a card gets a 402.
extension LumyriAPI {
    func listInvoices(_ request: Request) throws -> Response {
        let company = try company(of: request)
        let query = try InvoiceQuery(request.uri.queryParameters)
        let matching = try sandbox.store.read { db in try Self.invoices(db, company) }.filter { query.matches($0.body) }
        let page = matching.dropFirst((query.page - 1) * query.perPage).prefix(query.perPage)
        let answer: JSONObject = [
            "total": .integer(Int64(matching.count)), "page": .integer(Int64(query.page)),
            "perPage": .integer(Int64(query.perPage)),
            "data": .array(page.map { JSONValue.object(LumyriViews.listedInvoice($0.body)) }),
        ]
        return JSONResponse.make(.object(answer))
    }

    func invoice(_ request: Request, id: String) throws -> Response {
        let company = try company(of: request)
        let invoice = try sandbox.store.read { db in try db.object(.lumyri, "invoice", id: id) }
        guard let invoice, invoice.owner == company.id else { throw Self.notFound("invoice", id) }
        return JSONResponse.make(.object(LumyriViews.invoice(invoice.body)))
    }

    func pay(_ request: Request, id: String) throws -> Response {
        let company = try company(of: request)
        let now = self.now
        let clock = sandbox.clock.now
        let result: Result<JSONObject, ServiceError> = try sandbox.store.write { db in
            guard let invoice = try db.object(.lumyri, "invoice", id: id), invoice.owner == company.id else {
                return .failure(Self.notFound("invoice", id))
            }
            if invoice.body["status"]?.stringValue == "Succeeded" {
                let payment = invoice.body["paymentId"]?.stringValue ?? "unknown"
                return .failure(ServiceError(.lumyri, .conflict, code: "already_paid",
                                             "invoice \(id) is already paid (payment \(payment)); nothing was charged"))
            }
            guard var card = try Self.defaultCard(db, company) else {
                return .failure(ServiceError(.lumyri, Self.paymentRequired, code: "no_card",
                                             "no card on file: add a card (POST /payments/cards) before paying invoice \(id)"))
            }
            let attempt = (card.body["chargeAttempts"]?.int64Value ?? 0) + 1
            card.body["chargeAttempts"] = .integer(attempt)
            try db.save(.lumyri, "card", id: card.id, owner: company.id, body: card.body)
            var body = invoice.body
            body["status"] = "Processing"
            body["updatedAt"] = .string(now)
            if let decline = Self.declineCode(card.body, attempt: attempt, at: clock) {
                body["status"] = "Failed"
                body["metadata"] = ["declineCode": .string(decline)]
                try db.save(.lumyri, "invoice", id: id, owner: company.id, body: body)
                let masked = card.body["info"]?["cardNumber"]?.stringValue ?? ""
                return .failure(ServiceError(.lumyri, Self.paymentRequired, code: decline,
                                             "payment of invoice \(id) failed: \(decline) (card \(masked)); the invoice can be paid again"))
            }
            let paymentID = Self.uuid()
            body["status"] = "Succeeded"
            body["paymentId"] = .string(paymentID)
            body["metadata"] = [:]
            body["payment"] = Self.payment(id: paymentID, card: card, amount: body["total"] ?? "0.00", at: now)
            try db.save(.lumyri, "invoice", id: id, owner: company.id, body: body)
            return .success(body)
        }
        let paid = try result.get()
        sandbox.statistics.count("charges_made")
        return JSONResponse.make(.object(LumyriViews.paidInvoice(paid)))
    }

    /// Why charging `card` fails this time, or nil when it succeeds. A card
    /// expired on the sandbox clock is declined as `expired_card`.
    static func declineCode(_ card: JSONObject, attempt: Int64, at date: Date) -> String? {
        if let expiry = CardExpiry(info: card["info"]?.objectValue ?? [:]), expiry.isPast(at: date) { return "expired_card" }
        return ChargeOutcome(stored: card["outcome"]?.stringValue ?? "").declineCode(attempt: attempt)
    }

    /// The `payment` of a paid invoice in the list (a shape the document leaves open).
    static func payment(id: String, card: StoredObject, amount: JSONValue, at time: String) -> JSONValue {
        [
            "id": .string(id), "method": "Card", "cardId": .string(card.id),
            "cardNumber": card.body["info"]?["cardNumber"] ?? .null, "amount": amount, "currency": "USD",
            "createdAt": .string(time),
        ]
    }

    /// The company's invoices, newest period first (then newest created).
    static func invoices(_ db: Database, _ company: LumyriCompany) throws -> [StoredObject] {
        try db.objects(.lumyri, "invoice", owner: company.id).sorted { a, b in
            for key in ["startAt", "createdAt"] {
                let (x, y) = (a.body[key]?.stringValue ?? "", b.body[key]?.stringValue ?? "")
                if x != y { return x > y }
            }
            return a.sequence > b.sequence
        }
    }
}
