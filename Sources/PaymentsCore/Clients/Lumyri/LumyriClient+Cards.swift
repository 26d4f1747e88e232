import Foundation
import JSON

/// Cards: list, create, update expiry and default, delete.
extension LumyriClient {
    /// `GET /payments/cards`: the company's cards, newest first, each with its address.
    public func cards() async throws(PaymentsError) -> [Card] {
        let request = APIRequest(operation: "lumyri.cards", method: "GET", path: "/payments/cards")
        return try await caller.list(request, of: Card.self, path: "cards")
    }

    /// `POST /payments/cards`. The number (spaces and dashes dropped), expiry
    /// and security code are checked first; none of them is ever shown whole.
    ///
    /// Lumyri has no idempotency keys and cards no reference of ours, so the
    /// client lists the cards before sending; after an unknown outcome, a card
    /// not in that list with the same visible digits, expiry and name is the
    /// one this call made.
    public func createCard(_ card: NewCard) async throws(PaymentsError) -> Card {
        let operation = "lumyri.create_card"
        let (body, digits) = try card.body(caller.check(operation), now: now())
        let request = APIRequest(operation: operation, method: "POST", path: "/payments/cards", body: .object(body), movesMoney: true,
                                 reference: "\(Redactor.maskCardNumber(digits)) \(card.expMonth)/\(card.expYear)")
        let before = isDryRun ? [] : Set(try await cards().map(\.id))
        return try await caller.object(request, as: Card.self, path: "card", reconcile: { () async throws(PaymentsError) in
            let made = try await self.cards().first { listed in
                !before.contains(listed.id) && listed.info.shows(digits: digits) && listed.info.expMonth == card.expMonth
                    && listed.info.expYear == card.expYear && listed.info.cardName == card.cardName
            }
            guard let made else { return .notApplied }
            return .applied(try self.caller.answer(made, operation: operation))
        }, dryRunAnswer: { _ in Self.dryRunCard(card, digits: digits) })
    }

    /// The create answer's shape, from what was sent (the number masked).
    static func dryRunCard(_ card: NewCard, digits: String) -> JSONValue {
        let now = Date().formatted(.iso8601)
        var address = card.address.json
        address["id"] = .string(dryRunID())
        return Caller.dryRun([
            "id": .string(dryRunID()), "companyId": "unknown (dry run)", "addressId": address["id"]!, "address": .object(address),
            "createdAt": .string(now), "updatedAt": .string(now), "method": "Card", "isDefault": .bool(card.isDefault ?? false),
            "info": ["cardName": .string(card.cardName), "cardNumber": .string(Redactor.maskCardNumber(digits)),
                     "expMonth": .integer(Int64(card.expMonth)), "expYear": .integer(Int64(card.expYear)), "country": .string(card.country)],
        ])
    }

    /// `PUT /payments/cards/{id}`: a new expiry (not in the past), and maybe make it the default card.
    public func updateCard(id: String, _ update: CardUpdate) async throws(PaymentsError) -> Card {
        let operation = "lumyri.update_card"
        let check = caller.check(operation)
        let id = try check.id(id, "id")
        let body = try update.body(check, now: now())
        let request = APIRequest(operation: operation, method: "PUT", path: Self.path("/payments/cards", id), body: .object(body))
        let current = isDryRun ? try await card(id, operation: operation) : nil
        return try await caller.object(request, as: Card.self, path: "card", dryRunAnswer: { _ in
            var made = current?.json ?? ["id": .string(id)]
            var info = current?.info.json ?? [:]
            info["expMonth"] = .integer(Int64(update.expMonth))
            info["expYear"] = .integer(Int64(update.expYear))
            made["info"] = .object(info)
            if let isDefault = update.isDefault { made["isDefault"] = .bool(isDefault) }
            return Caller.dryRun(made)
        })
    }

    /// `DELETE /payments/cards/{id}` (answered 204). Deleting the default card makes the newest remaining card the default.
    public func deleteCard(id: String) async throws(PaymentsError) {
        let operation = "lumyri.delete_card"
        let id = try caller.check(operation).id(id, "id")
        _ = try await connection.perform(APIRequest(operation: operation, method: "DELETE", path: Self.path("/payments/cards", id)))
    }

    /// The card `id` from the list (there is no `GET` of one card); a 404 in Lumyri's words when it is not there.
    func card(_ id: String, operation: String) async throws(PaymentsError) -> Card {
        guard let card = try await cards().first(where: { $0.id == id }) else {
            throw PaymentsError(kind: .clientError, service: "lumyri", operation: operation, status: 404, code: "Not Found",
                                message: "card \(id) not found (looked up in the card list for the dry run)")
        }
        return card
    }
}
