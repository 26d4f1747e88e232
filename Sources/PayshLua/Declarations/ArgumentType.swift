/// The type of an argument or field, as the checks, `help` and the docs see it.
public indirect enum ArgumentType: Sendable {
    /// A non-empty string naming something: `.id("an invoice id")`.
    case id(String)
    /// Any string; the text says what it is.
    case text(String)
    /// One of a few strings.
    case oneOf([String], ignoringCase: Bool)
    /// A Lua integer (no float, however whole); `minimum` is the smallest allowed.
    case integer(String, minimum: Int64?)
    /// An amount as a decimal: `"99.50"`, `100`, `99.5` (by its shortest text) or a `money` value.
    case decimal
    case boolean
    /// `YYYY-MM-DD`.
    case date
    /// An ISO 8601 date or date-time.
    case dateOrTime
    /// A table with named fields; unknown names are an error unless the table has `strict = false`.
    case record([LuaField])
    /// A sequence of values of one type.
    case list(ArgumentType)
    /// An API path: a string starting with `/`.
    case path
    /// A table of query parameters: string keys, scalar values.
    case query
    /// Anything with a JSON form (a raw request body).
    case json
    /// A Lua function.
    case function
    /// A Lua array of anything (its values are the function's business).
    case items(String)
    /// A task from `paysh.spawn`.
    case task

    /// How a message or the docs name the type: `an invoice id (string)`.
    public var expected: String {
        switch self {
        case .id(let what): return "\(what) (string)"
        case .text(let what): return "\(what) (string)"
        case .oneOf(let values, _): return "one of " + values.map { "\"\($0)\"" }.joined(separator: ", ")
        case .integer(let what, _): return "\(what) (integer)"
        case .decimal: return "an amount (\"99.50\", 100 or a money value)"
        case .boolean: return "true or false"
        case .date: return "a date (\"YYYY-MM-DD\")"
        case .dateOrTime: return "an ISO 8601 date or time (\"2024-01-31\" or \"2024-01-31T12:00:00Z\")"
        case .record: return "a table of fields"
        case .list(let element): return "a list of \(element.expected)"
        case .path: return "an API path (string starting with \"/\")"
        case .query: return "a table of query parameters"
        case .json: return "a value with a JSON form (table, string, number, boolean)"
        case .function: return "a function"
        case .items(let what): return "\(what) (a table)"
        case .task: return "a task (from paysh.spawn)"
        }
    }

    /// Short type name for signatures and completion: `string`, `integer`, `table`.
    public var shortName: String {
        switch self {
        case .id, .text, .oneOf, .date, .dateOrTime, .path: return "string"
        case .integer: return "integer"
        case .decimal: return "amount"
        case .boolean: return "boolean"
        case .record, .query: return "table"
        case .list: return "list"
        case .json: return "any"
        case .function: return "function"
        case .items: return "table"
        case .task: return "task"
        }
    }

    /// For an id, the kind of object it names, as the runtime remembers seen
    /// ids (``PayshRuntime/seenIDs``): `.id("an invoice id")` → `invoice`,
    /// `.id("a payment method id")` → `payment_method`. Nil for other types.
    public var idKind: String? {
        guard case .id(let what) = self, what.hasSuffix(" id") else { return nil }
        var words = what.dropLast(3).split(separator: " ")
        if let article = words.first, article == "a" || article == "an" { words.removeFirst() }
        return words.isEmpty ? nil : words.joined(separator: "_")
    }

    /// The fields of a record type (empty for others).
    public var fields: [LuaField] {
        if case .record(let fields) = self { return fields }
        return []
    }

    /// `{ payee_email, amount, description, ... }` for a record.
    var fieldSummary: String {
        let names = fields.map { $0.required ? $0.name : "[\($0.name)]" }
        return "{ " + names.joined(separator: ", ") + " }"
    }
}
