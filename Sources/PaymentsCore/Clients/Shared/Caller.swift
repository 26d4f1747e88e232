import JSON

/// A typed client's way to the wire: perform an ``APIRequest`` on the
/// connection and read the answer as a model, naming the call in every error.
struct Caller: Sendable {
    let connection: ServiceConnection

    var service: Service { connection.service }

    /// The checks of `operation`'s arguments.
    func check(_ operation: String) -> ArgumentCheck { ArgumentCheck(service: service, operation: operation) }

    typealias Reconcile = @Sendable () async throws(PaymentsError) -> ServiceConnection.Reconciled

    /// The answer of `request` as a `T`; `wrapper` names the member the object
    /// sits in (Lumen's `{"paymentMethod": {...}}`), `path` names it in errors.
    func object<T: ReadableObject>(_ request: APIRequest, as type: T.Type, path: String, wrapper: String? = nil,
                                   reconcile: Reconcile? = nil, dryRunAnswer: (@Sendable (APIRequest) -> JSONValue)? = nil)
        async throws(PaymentsError) -> T {
        let answer = try await connection.perform(request, reconcile: reconcile, dryRunAnswer: dryRunAnswer)
        return try model(answer, as: type, operation: request.operation, path: path, wrapper: wrapper)
    }

    /// An answer already received, read as a `T`.
    func model<T: ReadableObject>(_ answer: APIAnswer, as type: T.Type, operation: String, path: String,
                                  wrapper: String? = nil) throws(PaymentsError) -> T {
        try decode(answer, operation: operation, wrapper: wrapper) { value throws(PaymentsError) in
            try T(ModelReader(value: value, path: wrapper ?? path, service: service, operation: operation))
        }
    }

    /// The answer of `request` as an array of `T` (top-level, or in `wrapper`).
    func list<T: ReadableObject>(_ request: APIRequest, of type: T.Type, path: String, wrapper: String? = nil) async throws(PaymentsError) -> [T] {
        let answer = try await connection.perform(request)
        let name = wrapper ?? path
        return try decode(answer, operation: request.operation, wrapper: wrapper) { value throws(PaymentsError) in
            guard case .array(let items) = value else {
                throw ModelReader.error(service: service, operation: request.operation, "\(name): expected an array, got \(ModelReader.shown(value))")
            }
            var models: [T] = []
            for (index, item) in items.enumerated() {
                models.append(try T(ModelReader(value: item, path: "\(name)[\(index)]", service: service, operation: request.operation)))
            }
            return models
        }
    }

    /// The answer's JSON (inside `wrapper`, if any) read by `read`; a failure
    /// carries the answer's status and request id.
    func decode<T>(_ answer: APIAnswer, operation: String, wrapper: String?,
                   _ read: (JSONValue) throws(PaymentsError) -> T) throws(PaymentsError) -> T {
        do throws(PaymentsError) {
            var value = try answer.json(service: service, operation: operation)
            if let wrapper {
                guard let inner = value[wrapper] else {
                    throw ModelReader.error(service: service, operation: operation,
                                            "expected an object with the member \(wrapper), got \(ModelReader.shown(value))")
                }
                value = inner
            }
            return try read(value)
        } catch {
            var error = error
            error.status = error.status ?? answer.status
            error.requestID = error.requestID ?? answer.requestID
            throw error
        }
    }

    /// An object found by reconciliation, as the answer that stands for the call.
    func answer(_ object: some APIObject, operation: String) throws(PaymentsError) -> APIAnswer {
        guard let body = try? JSONValue.object(object.json).encoded() else {
            throw ModelReader.error(service: service, operation: operation, "the object found cannot be written back as JSON")
        }
        return APIAnswer(status: 200, body: body, requestID: nil)
    }

    /// An object of the string members that are set, in the order given (a partial update, an optional address).
    static func strings(_ members: [(String, String?)]) -> JSONObject {
        JSONObject(members.compactMap { name, value in value.map { (name, JSONValue.string($0)) } })
    }

    /// The made-up answer of a dry-run mutation: `object` with `"dry_run": true` added.
    static func dryRun(_ object: JSONObject) -> JSONValue {
        var object = object
        object["dry_run"] = true
        return .object(object)
    }
}
