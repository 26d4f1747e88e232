import Foundation
import JSON

/// The body of `POST /api/rest/payables`, checked field by field. Every
/// refusal is a 400 whose message starts with the field's name.
struct LumanuPayoutRequest: Sendable {
    var workspaceID: String
    var payeeEmail: String
    var amount: Int64
    var description: String
    var dueDate: String?
    var customFields: [JSONValue]

    static let fields = ["workspace_id", "payee_email", "amount", "description", "due_date", "custom_fields"]
    /// $10,000,000.00: a sandbox bound that catches a dollars-for-cents slip by far.
    static let maxAmount: Int64 = 1_000_000_000
    static let maxDescription = 500
    static let maxCustomFields = 20
    static let maxCustomFieldText = 255
    /// The quickstart's own payee: the published page hides its address
    /// behind this text. Accepted verbatim so the document's request works.
    static let documentedPayee = "[email protected]"

    init(_ body: JSONValue) throws(ServiceError) {
        guard case .object(let object) = body else { throw Self.invalid("$", "the body must be a JSON object") }
        let unknown = object.keys.filter { !Self.fields.contains($0) }
        if !unknown.isEmpty {
            throw Self.invalid(unknown.joined(separator: ", "),
                               "unexpected field\(unknown.count > 1 ? "s" : ""); expected \(Self.fields.joined(separator: ", "))")
        }
        workspaceID = try Self.uuid(object["workspace_id"], "workspace_id")
        payeeEmail = try Self.email(object["payee_email"])
        amount = try Self.amount(object["amount"])
        description = try Self.description(object["description"])
        dueDate = try Self.dueDate(object["due_date"])
        customFields = try Self.customFields(object["custom_fields"])
    }

    static func invalid(_ field: String, _ message: String) -> ServiceError {
        ServiceError(.lumanu, .badRequest, code: "validation-failed", "\(field): \(message)")
    }

    /// A UUID, answered in lower case.
    static func uuid(_ value: JSONValue?, _ field: String) throws(ServiceError) -> String {
        guard let value, value != .null else { throw invalid(field, "is required") }
        guard let text = value.stringValue else { throw invalid(field, "must be a string (a UUID)") }
        guard isUUID(text) else { throw invalid(field, "'\(text)' is not a UUID") }
        return text.lowercased()
    }

    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (i, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (byte >= 48 && byte <= 57) || (byte | 0x20 >= 97 && byte | 0x20 <= 102) else { return false }
            }
        }
        return true
    }

    static func email(_ value: JSONValue?) throws(ServiceError) -> String {
        guard let value, value != .null else { throw invalid("payee_email", "is required") }
        guard let text = value.stringValue else { throw invalid("payee_email", "must be a string") }
        let email = LumanuVendor.key(text)
        guard email == documentedPayee || isEmail(email) else {
            throw invalid("payee_email", "'\(text)' is not an e-mail address")
        }
        return email
    }

    /// `local@domain.tld`: a plain local part, DNS labels, a letters-only top-level label.
    static let localSpecials = Set("!#$%&'*+/=?^_`{|}~-.")

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, (1 ... 64).contains(parts[0].utf8.count) else { return false }
        let local = parts[0], labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || Self.localSpecials.contains($0)) }),
              local.first != ".", local.last != ".", !local.contains("..") else { return false }
        guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return labels.allSatisfy { label in
            (1 ... 63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// An integer count of US cents, above zero: never a float, a string or a fraction.
    static func amount(_ value: JSONValue?) throws(ServiceError) -> Int64 {
        guard let value, value != .null else { throw invalid("amount", "is required") }
        guard case .integer(let cents) = value else {
            throw invalid("amount", "must be an integer number of us_cents (got \(value))")
        }
        guard cents > 0 else { throw invalid("amount", "must be greater than 0 (got \(cents))") }
        guard cents <= maxAmount else { throw invalid("amount", "must be at most \(maxAmount) us_cents (got \(cents))") }
        return cents
    }

    static func description(_ value: JSONValue?) throws(ServiceError) -> String {
        guard let value, value != .null else { throw invalid("description", "is required") }
        guard let text = value.stringValue else { throw invalid("description", "must be a string") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw invalid("description", "must not be empty") }
        guard text.count <= maxDescription else {
            throw invalid("description", "must be at most \(maxDescription) characters (got \(text.count))")
        }
        return text
    }

    /// Optional; `YYYY-MM-DD` naming a real day.
    static func dueDate(_ value: JSONValue?) throws(ServiceError) -> String? {
        guard let value, value != .null else { return nil }
        guard let text = value.stringValue else { throw invalid("due_date", "must be a string YYYY-MM-DD") }
        guard LumanuTime.date(text) != nil else { throw invalid("due_date", "'\(text)' is not a date YYYY-MM-DD") }
        return text
    }

    /// Optional; an array of `{"name": string, "value": string}`, names unique.
    static func customFields(_ value: JSONValue?) throws(ServiceError) -> [JSONValue] {
        guard let value, value != .null else { return [] }
        guard let items = value.arrayValue else { throw invalid("custom_fields", "must be an array of {name, value}") }
        guard items.count <= maxCustomFields else { throw invalid("custom_fields", "at most \(maxCustomFields) entries") }
        var names: Set<String> = []
        var fields: [JSONValue] = []
        for (index, item) in items.enumerated() {
            let at = "custom_fields[\(index)]"
            guard let entry = item.objectValue, entry.keys.sorted() == ["name", "value"] else {
                throw invalid(at, "must be an object with exactly the keys name and value")
            }
            guard let name = entry["name"]?.stringValue, !name.isEmpty, name.count <= maxCustomFieldText else {
                throw invalid(at + ".name", "must be a non-empty string of at most \(maxCustomFieldText) characters")
            }
            guard let text = entry["value"]?.stringValue, text.count <= maxCustomFieldText else {
                throw invalid(at + ".value", "must be a string of at most \(maxCustomFieldText) characters")
            }
            guard names.insert(name).inserted else { throw invalid(at + ".name", "'\(name)' appears twice") }
            fields.append(["name": .string(name), "value": .string(text)])
        }
        return fields
    }
}
