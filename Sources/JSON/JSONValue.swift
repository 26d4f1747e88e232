/// A JSON value as a Swift tree, for the client core.
///
/// Numbers keep their kind: `.integer` for integers that fit `Int64`,
/// `.double` for floats whose text survives a round trip through `Double`,
/// and `.number` with the exact decimal text for anything else (integers
/// beyond `Int64`, floats with more digits than a `Double` holds, values that
/// overflow). `.number` is written back verbatim, so nothing is lost.
///
/// ```swift
/// let invoice = try JSONValue(parsing: #"{"id": "inv_1", "total": "174.08", "lines": []}"#)
/// invoice["id"]?.stringValue        // "inv_1"
/// try invoice.encodedString()       // {"id":"inv_1","total":"174.08","lines":[]}
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    /// A number kept as its exact decimal text (valid JSON number syntax).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON object: members in their order, keys unique.
///
/// Equality compares members in order, so `{"a":1,"b":2}` and
/// `{"b":2,"a":1}` differ (they also print differently).
public struct JSONObject: Sendable, Hashable, RandomAccessCollection {
    /// One member: a key and its value.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The members, in order.
    public private(set) var members: [Member]

    /// An empty object.
    public init() { members = [] }

    /// An object from members in order; a repeated key keeps its first place and its last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        members = []
        for (key, value) in pairs { self[key] = value }
    }

    /// Members known to have distinct keys (the parser checks).
    @usableFromInline
    init(uniqueMembers: [Member]) { members = uniqueMembers }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Member { members[position] }

    /// The keys, in order.
    public var keys: [String] { members.map(\.key) }

    /// The value for `key`; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get { members.first(where: { $0.key == key })?.value }
        set {
            if let i = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

extension JSONValue {
    /// The member `key` of an object; nil for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` of an array; nil out of range or for a non-array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var isNull: Bool { self == .null }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var int64Value: Int64? { if case .integer(let i) = self { return i } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }

    /// The number as a Double (integers converted, exact text parsed); nil for non-numbers.
    public var doubleValue: Double? {
        switch self {
        case .double(let d): return d
        case .integer(let i): return Double(i)
        case .number(let text): return Double(text)
        default: return nil
        }
    }

    /// The number's exact decimal text: what `encode` would write for it.
    public var numberText: String? {
        switch self {
        case .integer(let i): return String(i)
        case .double(let d) where d.isFinite: return NumberText.shortest(d)
        case .number(let text): return text
        default: return nil
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON; a value that cannot be encoded (a NaN inside, say) says why instead.
    public var description: String {
        do { return try encodedString() } catch { return "<not encodable as JSON: \(error)>" }
    }
}
