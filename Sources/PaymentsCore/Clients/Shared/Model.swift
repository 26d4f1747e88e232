import JSON

/// An object of an API answer: the server's JSON kept whole, with typed
/// accessors for the members paysh knows.
///
/// `json` is the answer's object as it came: every member, unknown ones
/// included, in the server's order, so that printing it or handing it to Lua
/// shows exactly what the API said. The typed accessors are checked when the
/// model is built: a required member that is missing or of the wrong type is
/// an `invalidResponse` error naming it (`payout.amount`).
public protocol APIObject: Sendable, Hashable {
    /// The object as the server answered it.
    var json: JSONObject { get }
}

extension APIObject {
    /// True for the made-up answer of a `--dry-run` mutation (it carries `"dry_run": true`).
    public var isDryRun: Bool { json["dry_run"]?.boolValue == true }
}

/// How a model is read from an answer (the models' own initializers).
protocol ReadableObject: APIObject {
    init(_ reader: ModelReader) throws(PaymentsError)
}

/// One page of a list answer: its items and how many there are in all.
public protocol ListPage: APIObject {
    associatedtype Item: APIObject
    /// The items of this page, in the server's order.
    var items: [Item] { get }
    /// How many items match the query across every page.
    var total: Int { get }
}

/// Reads the members of one object of an answer, naming a missing or
/// mistyped member by its path (`invoice.details[3].amount`) in the error.
struct ModelReader {
    let object: JSONObject
    /// Where `object` is in the answer: `payout`, `card.info`.
    let path: String
    let service: Service
    let operation: String

    init(_ object: JSONObject, path: String, service: Service, operation: String) {
        self.object = object
        self.path = path
        self.service = service
        self.operation = operation
    }

    /// `value` must be an object; `path` names it in the error.
    init(value: JSONValue, path: String, service: Service, operation: String) throws(PaymentsError) {
        guard case .object(let object) = value else {
            throw Self.error(service: service, operation: operation, "\(path): expected an object, got \(Self.shown(value))")
        }
        self.init(object, path: path, service: service, operation: operation)
    }

    static func error(service: Service, operation: String, _ message: String) -> PaymentsError {
        PaymentsError(kind: .invalidResponse, service: service.rawValue, operation: operation,
                      message: "the answer does not have the expected shape: " + message)
    }

    /// A short, redacted rendering of a value that did not fit.
    static func shown(_ value: JSONValue?) -> String {
        guard let value else { return "nothing (the member is missing)" }
        let text = Redactor.standard.text(value.description)
        return text.count > 60 ? String(text.prefix(60)) + "…" : text
    }

    func fail(_ key: String, expected: String) -> PaymentsError {
        Self.error(service: service, operation: operation, "\(path).\(key): expected \(expected), got \(Self.shown(object[key]))")
    }

    /// The member `key` when present and not `null`.
    func present(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws(PaymentsError) -> String {
        guard let text = object[key]?.stringValue else { throw fail(key, expected: "a string") }
        return text
    }

    /// A string, or nil when the member is missing or `null`.
    func optionalString(_ key: String) throws(PaymentsError) -> String? {
        guard let value = present(key) else { return nil }
        guard let text = value.stringValue else { throw fail(key, expected: "a string or null") }
        return text
    }

    func integer(_ key: String) throws(PaymentsError) -> Int64 {
        guard let number = object[key]?.int64Value else { throw fail(key, expected: "an integer") }
        return number
    }

    func bool(_ key: String) throws(PaymentsError) -> Bool {
        guard let flag = object[key]?.boolValue else { throw fail(key, expected: "true or false") }
        return flag
    }

    /// A JSON number's exact text (`174.08`, `0`): never through `Double` arithmetic.
    func numberText(_ key: String) throws(PaymentsError) -> String {
        guard let text = object[key]?.numberText else { throw fail(key, expected: "a number") }
        return text
    }

    /// A string, or a number's exact text: for members the documents show
    /// both ways (`totalRequest`, `postalCode`, `subTotal`).
    func text(_ key: String) throws(PaymentsError) -> String {
        guard let text = object[key]?.stringValue ?? object[key]?.numberText else { throw fail(key, expected: "a string or a number") }
        return text
    }

    /// `text`, or nil when the member is missing or `null`.
    func optionalText(_ key: String) throws(PaymentsError) -> String? {
        guard present(key) != nil else { return nil }
        return try text(key)
    }

    /// An object member, or nil when it is missing or `null`.
    func optionalObject(_ key: String) throws(PaymentsError) -> JSONObject? {
        guard let value = present(key) else { return nil }
        guard let object = value.objectValue else { throw fail(key, expected: "an object or null") }
        return object
    }

    /// A nested model, read with its own path.
    func model<T: ReadableObject>(_ key: String, as type: T.Type) throws(PaymentsError) -> T {
        guard let value = object[key] else { throw fail(key, expected: "an object") }
        return try T(ModelReader(value: value, path: "\(path).\(key)", service: service, operation: operation))
    }

    /// A nested model, or nil when the member is missing or `null`.
    func optionalModel<T: ReadableObject>(_ key: String, as type: T.Type) throws(PaymentsError) -> T? {
        guard present(key) != nil else { return nil }
        return try model(key, as: type)
    }

    /// An array of models, each read with its index in the path.
    func models<T: ReadableObject>(_ key: String, as type: T.Type) throws(PaymentsError) -> [T] {
        guard let items = object[key]?.arrayValue else { throw fail(key, expected: "an array") }
        var models: [T] = []
        for (index, item) in items.enumerated() {
            models.append(try T(ModelReader(value: item, path: "\(path).\(key)[\(index)]", service: service, operation: operation)))
        }
        return models
    }
}
