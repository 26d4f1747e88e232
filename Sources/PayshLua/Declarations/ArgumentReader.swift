import JSON
import LuaJSON
import LuaKit
import PaymentsCore

/// Reads a call's arguments from the Lua stack by its form's declaration,
/// before anything is sent: every type, every required field, and no
/// unknown field (unless the table says `strict = false`). Each failure is a
/// validation error naming the function, the argument (and field), what was
/// expected and what came.
struct ArgumentReader {
    let stack: LuaStack
    /// `lumyri.pay_invoice`: the name errors start with.
    let function: String
    let service: String

    /// The checked arguments of `form`, by parameter name (absent optionals are missing).
    func read(_ form: LuaForm) throws(PaymentsError) -> [String: JSONValue] {
        let given = stack.top
        if form.variadic, let last = form.parameters.last, given > Int32(form.parameters.count) {
            for index in (Int32(form.parameters.count) + 1) ... given {
                _ = try value(at: index, as: last.type, place: "argument #\(index) (\(last.name))")
            }
        } else if given > Int32(form.parameters.count) {
            let extra = stack.type(at: Int32(form.parameters.count) + 1)
            if extra != .nil {
                throw failure("argument #\(form.parameters.count + 1)",
                              "at most \(form.parameters.count) argument\(form.parameters.count == 1 ? "" : "s") \(form.signature)",
                              got: describe(at: Int32(form.parameters.count) + 1))
            }
        }
        var values: [String: JSONValue] = [:]
        for (offset, parameter) in form.parameters.enumerated() {
            let index = Int32(offset + 1)
            let place = "argument #\(index) (\(parameter.name))"
            if stack.type(at: index) == .nil || stack.type(at: index) == .none {
                if parameter.optional { continue }
                throw failure(place, parameter.type.expected, got: "nil")
            }
            let checked = try value(at: index, as: parameter.type, place: place)
            values[parameter.name] = checked
            if case .record(let fields) = parameter.type, case .object(let object) = checked {
                let known = Set(fields.map(\.name))
                var extra = JSONObject()
                for member in object where !known.contains(member.key) { extra[member.key] = member.value }
                if !extra.isEmpty { values[BindingCall.extraKey] = .object(extra) }
            }
        }
        return values
    }

    /// The value at `idx` checked against `type`; `place` names it in errors.
    func value(at idx: Int32, as type: ArgumentType, place: String) throws(PaymentsError) -> JSONValue {
        let idx = stack.absolute(idx)
        switch type {
        case .id, .text, .date, .dateOrTime, .path:
            guard stack.type(at: idx) == .string, let text = stack.toString(at: idx) else {
                throw failure(place, type.expected, got: describe(at: idx))
            }
            if case .id = type, text.trimmingCharacters(in: .whitespaces).isEmpty {
                throw failure(place, type.expected, got: text.isEmpty ? "an empty string" : "only spaces")
            }
            if case .path = type, !text.hasPrefix("/") { throw failure(place, type.expected, got: quoted(text)) }
            // Ids and paths go into the request's URL: a megabyte there is refused by
            // the server before the request is sent, which upsets the HTTP client.
            if let limit = Self.urlLimit(type), text.utf8.count > limit {
                throw failure(place, type.expected + " of at most \(limit) bytes", got: "\(text.utf8.count) bytes")
            }
            return .string(text)
        case .oneOf(let allowed, let ignoringCase):
            guard stack.type(at: idx) == .string, let text = stack.toString(at: idx) else {
                throw failure(place, type.expected, got: describe(at: idx))
            }
            let match = allowed.first { ignoringCase ? $0.lowercased() == text.lowercased() : $0 == text }
            guard let match else { throw failure(place, type.expected, got: quoted(text)) }
            return .string(ignoringCase ? match : text)
        case .integer(_, let minimum):
            guard stack.type(at: idx) == .number, stack.isInteger(at: idx), let n = stack.toInteger(at: idx) else {
                throw failure(place, type.expected, got: describe(at: idx))
            }
            if let minimum, n < minimum { throw failure(place, type.expected + " of at least \(minimum)", got: "\(n)") }
            return .integer(n)
        case .decimal:
            return .string(try decimal(at: idx, place: place))
        case .boolean:
            guard stack.type(at: idx) == .boolean else { throw failure(place, type.expected, got: describe(at: idx)) }
            return .bool(stack.toBoolean(at: idx))
        case .record(let fields):
            return try record(at: idx, fields: fields, place: place)
        case .list(let element):
            guard stack.type(at: idx) == .table else { throw failure(place, type.expected, got: describe(at: idx)) }
            let count = stack.rawLength(at: idx)
            var items: [JSONValue] = []
            for i in 1 ... max(count, 1) where count > 0 {
                stack.rawGet(at: idx, index: i)
                defer { stack.pop() }
                items.append(try value(at: -1, as: element, place: "\(place)[\(i)]"))
            }
            return .array(items)
        case .query:
            guard stack.type(at: idx) == .table else { throw failure(place, type.expected, got: describe(at: idx)) }
            let query = try json(at: idx, place: place)
            let size = query.objectValue?.reduce(0) { $0 + $1.key.utf8.count + ($1.value.stringValue?.utf8.count ?? 0) } ?? 0
            guard size <= Self.queryLimit else {
                throw failure(place, type.expected + " of at most \(Self.queryLimit) bytes", got: "\(size) bytes")
            }
            return query
        case .json:
            return try json(at: idx, place: place)
        case .function:
            guard stack.type(at: idx) == .function else { throw failure(place, type.expected, got: describe(at: idx)) }
            return .null
        case .items:
            guard stack.type(at: idx) == .table else { throw failure(place, type.expected, got: describe(at: idx)) }
            return .null
        case .task:
            guard stack.toObject(at: idx, as: LuaFiber.self) != nil else { throw failure(place, type.expected, got: describe(at: idx)) }
            return .null
        }
    }

    /// The longest id and path, and the most bytes of query names and values, a URL may carry.
    static let idLimit = 1_000
    static let pathLimit = 8_000
    static let queryLimit = 8_000

    static func urlLimit(_ type: ArgumentType) -> Int? {
        switch type {
        case .id: return idLimit
        case .path: return pathLimit
        default: return nil
        }
    }

    /// A table of named fields: required ones present, none unknown unless `strict = false`.
    private func record(at idx: Int32, fields: [LuaField], place: String) throws(PaymentsError) -> JSONValue {
        guard stack.type(at: idx) == .table else {
            throw failure(place, "a table { " + fields.map(\.name).joined(separator: ", ") + " }", got: describe(at: idx))
        }
        var strict = true
        if stack.rawGet(at: idx, "strict") != .nil {
            guard stack.type(at: -1) == .boolean else {
                stack.pop()
                throw failure(place + ": field \"strict\"", "true or false", got: describe(at: -1))
            }
            strict = stack.toBoolean(at: -1)
        }
        stack.pop()
        let known = Set(fields.map(\.name))
        var unknown: [String] = []
        var extras: [String] = []
        var badKey: String?
        stack.forEachRaw(in: idx) {
            guard stack.type(at: -2) == .string, let key = stack.toString(at: -2) else {
                badKey = badKey ?? describe(at: -2)
                return
            }
            if key != "strict", !known.contains(key) {
                if strict { unknown.append(key) } else { extras.append(key) }
            }
        }
        if let badKey { throw failure(place, "a table with named fields only", got: "a key \(badKey)") }
        if let name = unknown.sorted().first {
            var message = "unknown field \(quoted(name))"
            if let near = Self.nearest(name, in: fields.map(\.name)) { message += " (did you mean \"\(near)\"?)" }
            message += "; the fields are " + fields.map(\.name).joined(separator: ", ")
                + ". A field paysh does not know yet can be sent with strict = false in the table"
            throw PaymentsError(kind: .validation, service: service, operation: function, message: "\(place): \(message)")
        }
        var object = JSONObject()
        for field in fields {
            let fieldPlace = place + ": field \"\(field.name)\""
            stack.rawGet(at: idx, field.name)
            defer { stack.pop() }
            if stack.type(at: -1) == .nil {
                if field.required { throw failure(fieldPlace, field.type.expected, got: "nil") }
                continue
            }
            object[field.name] = try value(at: -1, as: field.type, place: fieldPlace)
        }
        for name in extras.sorted() {
            stack.rawGet(at: idx, name)
            defer { stack.pop() }
            object[name] = try json(at: -1, place: place + ": field \"\(name)\"")
        }
        return .object(object)
    }

    /// An amount as decimal text: a decimal string, an integer, a float by its
    /// shortest text, or a `money` value (by its decimal part).
    private func decimal(at idx: Int32, place: String) throws(PaymentsError) -> String {
        switch stack.type(at: idx) {
        case .number:
            if let n = stack.toInteger(at: idx), stack.isInteger(at: idx) { return String(n) }
            let shown = String(stack.toNumber(at: idx) ?? .nan)
            guard Self.isDecimal(shown) else { throw failure(place, ArgumentType.decimal.expected, got: shown) }
            return shown
        case .string:
            let text = stack.toString(at: idx) ?? ""
            guard Self.isDecimal(text) else { throw failure(place, ArgumentType.decimal.expected, got: quoted(text)) }
            return text
        case .table:
            if stack.getMetatable(at: idx) {
                let named = stack.rawGet(at: -1, "__name") == .string ? stack.toString(at: -1) : nil
                stack.pop(2)
                if named == "money", let text = try? stack.tostring(at: idx),
                   let amount = String(decoding: text, as: UTF8.self).split(separator: " ").first {
                    return String(amount)
                }
            }
            throw failure(place, ArgumentType.decimal.expected, got: describe(at: idx))
        default:
            throw failure(place, ArgumentType.decimal.expected, got: describe(at: idx))
        }
    }

    /// `-12`, `99.50`: digits with at most one point, an optional leading minus.
    static func isDecimal(_ text: String) -> Bool {
        var body = Substring(text)
        if body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1 ... 2).contains(parts.count), !parts[0].isEmpty else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// The value at `idx` in its JSON form (the rules of `json.encode`).
    private func json(at idx: Int32, place: String) throws(PaymentsError) -> JSONValue {
        do {
            return try stack.jsonValue(at: idx)
        } catch {
            throw failure(place, ArgumentType.json.expected, got: error.message)
        }
    }

    // MARK: Messages

    func failure(_ place: String, _ expected: String, got: String) -> PaymentsError {
        PaymentsError(kind: .validation, service: service, operation: function, message: "\(place): expected \(expected), got \(got)")
    }

    /// What a value is, for a message: `nil`, `a table`, `42`, `"text"` (cut short, card numbers masked).
    func describe(at idx: Int32) -> String {
        switch stack.type(at: idx) {
        case .none, .nil: return "nil"
        case .boolean: return stack.toBoolean(at: idx) ? "true" : "false"
        case .number:
            if stack.isInteger(at: idx), let n = stack.toInteger(at: idx) { return "\(n)" }
            return "\(stack.toNumber(at: idx) ?? .nan) (a float)"
        case .string: return quoted(stack.toString(at: idx) ?? "")
        default: return "a " + stack.typeName(at: idx)
        }
    }

    func quoted(_ text: String) -> String { ArgumentCheck.quoted(text) }

    /// The declared name closest to a misspelt one, when it is close enough to suggest.
    static func nearest(_ name: String, in names: [String]) -> String? {
        // Nothing declared is this long, and the distance costs its length times each name's.
        guard name.count <= 64 else { return nil }
        let scored = names.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, name.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0 ... b.count)
        for i in 1 ... max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1 ... max(b.count, 1) where !b.isEmpty {
                let saved = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = saved
            }
        }
        return row[b.count]
    }
}
