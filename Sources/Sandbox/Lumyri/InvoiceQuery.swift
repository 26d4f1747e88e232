import Foundation
import Hummingbird
import JSON

/// The query of `GET /payments/orders`, validated: paging (`page` ≥ 1,
/// `perPage` 1…100) and the filters, all combined with AND.
///
/// `receipt` is an invoice id; `min`/`max` bound `total` (inclusive,
/// decimals such as `100` or `99.50`); `status` and `method` match without
/// regard to case; `startAt`/`endAt` (ISO 8601 dates or times) keep the
/// invoices whose period lies inside: `startAt` ≥ the given start and
/// `endAt` ≤ the given end.
struct InvoiceQuery {
    static let statuses = ["Processing", "Succeeded", "Failed"]
    static let methods = ["Card", "paypal"]

    var page = 1
    var perPage = 10
    var receipt: String?
    var min: Cents?
    var max: Cents?
    var status: String?
    var method: String?
    /// Bounds as the API's timestamps, which order as text.
    var startAt: String?
    var endAt: String?

    init(_ parameters: Parameters) throws {
        func value(_ name: String) -> String? { parameters[Substring(name)].map(String.init) }
        if let text = value("page") {
            guard let number = Int(text), number >= 1 else { throw LumyriAPI.badRequest("page must be an integer of 1 or more") }
            page = number
        }
        if let text = value("perPage") {
            guard let number = Int(text), (1 ... 100).contains(number) else {
                throw LumyriAPI.badRequest("perPage must be an integer from 1 to 100")
            }
            perPage = number
        }
        receipt = value("receipt")
        min = try Self.amount(value("min"), "min")
        max = try Self.amount(value("max"), "max")
        if let min, let max, min > max { throw LumyriAPI.badRequest("min must not be greater than max") }
        status = try Self.oneOf(value("status"), Self.statuses, "status")
        method = try Self.oneOf(value("method"), Self.methods, "method")
        startAt = try Self.time(value("startAt"), "startAt")
        endAt = try Self.time(value("endAt"), "endAt")
    }

    func matches(_ invoice: JSONObject) -> Bool {
        if let receipt, invoice["id"]?.stringValue != receipt { return false }
        let total = invoice["total"]?.stringValue.flatMap { Cents(decimal: $0) } ?? Cents(0)
        if let min, total < min { return false }
        if let max, total > max { return false }
        if let status, invoice["status"]?.stringValue != status { return false }
        if let method, invoice["method"]?.stringValue != method { return false }
        if let startAt, (invoice["startAt"]?.stringValue ?? "") < startAt { return false }
        if let endAt, (invoice["endAt"]?.stringValue ?? "") > endAt { return false }
        return true
    }

    static func amount(_ text: String?, _ name: String) throws -> Cents? {
        guard let text else { return nil }
        guard let cents = Cents(decimal: text) else {
            throw LumyriAPI.badRequest("\(name) must be a non-negative amount with at most two decimals, such as 100 or 99.50")
        }
        return cents
    }

    /// The canonical spelling of `text` among `allowed` (case does not matter).
    static func oneOf(_ text: String?, _ allowed: [String], _ name: String) throws -> String? {
        guard let text else { return nil }
        guard let match = allowed.first(where: { $0.lowercased() == text.lowercased() }) else {
            throw LumyriAPI.badRequest("\(name) must be one of \(allowed.joined(separator: ", "))")
        }
        return match
    }

    /// An ISO 8601 date (`2023-02-01`, midnight UTC) or time, as the API's timestamp.
    static func time(_ text: String?, _ name: String) throws -> String? {
        guard let text else { return nil }
        let dateOnly = Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day()
        let date = (text.count == 10 ? try? Date(text, strategy: dateOnly) : nil)
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
        guard let date else {
            throw LumyriAPI.badRequest("\(name) must be an ISO 8601 date or time, such as 2023-02-01 or 2023-02-01T00:00:00.000Z")
        }
        return SandboxClock.timestamp(date)
    }
}
