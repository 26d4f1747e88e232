import GRDB
import Hummingbird
import JSON

/// Cards: create, list, update expiry and default, delete.
///
/// A company with cards has exactly one default card: the first card is
/// default whatever it asks, making a card default clears the others, the
/// default card cannot be un-defaulted directly (make another card default
/// instead), and deleting it promotes the newest remaining card.
extension LumyriAPI {
    func createCard(_ request: Request) async throws -> Response {
        let company = try company(of: request)
        let card = try NewCard(try await body(of: request), now: sandbox.clock.now)
        let now = self.now
        let (stored, address) = try sandbox.store.write { db in
            let existing = try Self.cards(db, company)
            var address: JSONObject = ["id": .string(Self.uuid()), "companyId": .string(company.id),
                                       "createdAt": .string(now), "updatedAt": .string(now)]
            for (name, value) in card.address { address[name] = .string(value) }
            let isDefault = card.isDefault == true || existing.isEmpty
            let stored: JSONObject = [
                "id": .string(Self.uuid()), "companyId": .string(company.id), "addressId": address["id"]!,
                "createdAt": .string(now), "updatedAt": .string(now), "method": "Card", "isDefault": .bool(isDefault),
                "info": ["cardName": .string(card.cardName), "cardNumber": .string(card.number.masked),
                         "expMonth": .integer(card.expiry.month), "expYear": .integer(card.expiry.year),
                         "country": .string(card.country)],
                "metadata": .null,
                "outcome": .string(card.number.outcome.stored), "chargeAttempts": 0,
            ]
            if isDefault { try Self.clearDefault(db, company, now: now) }
            try db.save(.lumyri, "address", id: address["id"]!.stringValue!, owner: company.id, body: address)
            try db.save(.lumyri, "card", id: stored["id"]!.stringValue!, owner: company.id, body: stored)
            return (stored, address)
        }
        return JSONResponse.make(.object(LumyriViews.createdCard(stored, address: address)), status: .created)
    }

    func listCards(_ request: Request) throws -> Response {
        let company = try company(of: request)
        let listed: [JSONValue] = try sandbox.store.read { db in
            try Self.cards(db, company).map { card in
                let address = try card.body["addressId"]?.stringValue.flatMap { try db.object(.lumyri, "address", id: $0) }
                return .object(LumyriViews.listedCard(card.body, address: address?.body))
            }
        }
        return JSONResponse.make(.array(listed))
    }

    func updateCard(_ request: Request, id: String) async throws -> Response {
        let company = try company(of: request)
        let update = try CardUpdate(try await body(of: request), now: sandbox.clock.now)
        let now = self.now
        let updated: Result<JSONObject, ServiceError> = try sandbox.store.write { db in
            guard let card = try db.object(.lumyri, "card", id: id), card.owner == company.id else {
                return .failure(Self.notFound("card", id))
            }
            var body = card.body
            let wasDefault = body["isDefault"]?.boolValue == true
            if update.isDefault == false && wasDefault {
                return .failure(Self.badRequest("card \(id) is the default card; make another card default (or delete this one) instead"))
            }
            if update.isDefault == true && !wasDefault { try Self.clearDefault(db, company, now: now) }
            var info = body["info"]?.objectValue ?? [:]
            info["expMonth"] = .integer(update.expiry.month)
            info["expYear"] = .integer(update.expiry.year)
            body["info"] = .object(info)
            if update.isDefault == true { body["isDefault"] = true }
            body["updatedAt"] = .string(now)
            try db.save(.lumyri, "card", id: id, owner: company.id, body: body)
            return .success(body)
        }
        return JSONResponse.make(.object(LumyriViews.updatedCard(try updated.get())))
    }

    func deleteCard(_ request: Request, id: String) throws -> Response {
        let company = try company(of: request)
        let now = self.now
        let deleted: Result<Void, ServiceError> = try sandbox.store.write { db in
            guard let card = try db.object(.lumyri, "card", id: id), card.owner == company.id else {
                return .failure(Self.notFound("card", id))
            }
            try db.deleteObject(.lumyri, "card", id: id)
            if card.body["isDefault"]?.boolValue == true, var successor = try Self.cards(db, company).first {
                successor.body["isDefault"] = true
                successor.body["updatedAt"] = .string(now)
                try db.save(.lumyri, "card", id: successor.id, owner: company.id, body: successor.body)
            }
            return .success(())
        }
        try deleted.get()
        return JSONResponse.noContent
    }

    // MARK: Store

    /// The company's cards, newest first (by `createdAt`, then creation order).
    static func cards(_ db: Database, _ company: LumyriCompany) throws -> [StoredObject] {
        try db.objects(.lumyri, "card", owner: company.id).sorted { a, b in
            let (x, y) = (a.body["createdAt"]?.stringValue ?? "", b.body["createdAt"]?.stringValue ?? "")
            return x != y ? x > y : a.sequence > b.sequence
        }
    }

    static func defaultCard(_ db: Database, _ company: LumyriCompany) throws -> StoredObject? {
        try cards(db, company).first { $0.body["isDefault"]?.boolValue == true }
    }

    /// Clear `isDefault` on every card of the company that has it.
    static func clearDefault(_ db: Database, _ company: LumyriCompany, now: String) throws {
        for var card in try cards(db, company) where card.body["isDefault"]?.boolValue == true {
            card.body["isDefault"] = false
            card.body["updatedAt"] = .string(now)
            try db.save(.lumyri, "card", id: card.id, owner: company.id, body: card.body)
        }
    }
}
