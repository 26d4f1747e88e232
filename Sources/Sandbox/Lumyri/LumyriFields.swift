import Foundation
import JSON

/// The members of one JSON object in a request body, read with the checks
/// of a NestJS validation pipe: unknown members, missing members and wrong
/// types are a 400 naming the member by its path (`info.expMonth`).
struct LumyriFields {
    let object: JSONObject
    /// `info.` for a nested object, empty at the top.
    let prefix: String

    /// `value` must be an object whose keys are all in `allowed`.
    init(_ value: JSONValue, at path: String = "", allowed: [String]) throws {
        guard case .object(let object) = value else {
            throw LumyriAPI.badRequest(path.isEmpty ? "the body must be a JSON object" : "\(path) must be an object")
        }
        let prefix = path.isEmpty ? "" : path + "."
        self.prefix = prefix
        let unknown = object.keys.filter { !allowed.contains($0) }
        if !unknown.isEmpty {
            let names = unknown.map { prefix + $0 }.joined(separator: ", ")
            throw LumyriAPI.badRequest("unknown field\(unknown.count == 1 ? "" : "s") \(names); allowed: \(allowed.map { prefix + $0 }.joined(separator: ", "))")
        }
        self.object = object
    }

    func has(_ name: String) -> Bool { object[name] != nil }

    /// A nested object, nil when absent (or a 400 when `required`).
    func nested(_ name: String, allowed: [String], required: Bool) throws -> LumyriFields? {
        guard let value = object[name] else {
            if required { throw LumyriAPI.badRequest("\(prefix + name) is required") }
            return nil
        }
        return try LumyriFields(value, at: prefix + name, allowed: allowed)
    }

    func string(_ name: String, required: Bool = false, nonEmpty: Bool = false) throws -> String? {
        guard let value = object[name] else {
            if required { throw LumyriAPI.badRequest("\(prefix + name) is required") }
            return nil
        }
        guard let text = value.stringValue else { throw LumyriAPI.badRequest("\(prefix + name) must be a string") }
        if nonEmpty && text.trimmingCharacters(in: .whitespaces).isEmpty {
            throw LumyriAPI.badRequest("\(prefix + name) must not be empty")
        }
        return text
    }

    func integer(_ name: String, required: Bool = false, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let value = object[name] else {
            if required { throw LumyriAPI.badRequest("\(prefix + name) is required") }
            return nil
        }
        guard let number = value.int64Value else { throw LumyriAPI.badRequest("\(prefix + name) must be an integer") }
        guard range.contains(number) else {
            throw LumyriAPI.badRequest("\(prefix + name) must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    func bool(_ name: String) throws -> Bool? {
        guard let value = object[name] else { return nil }
        guard let flag = value.boolValue else { throw LumyriAPI.badRequest("\(prefix + name) must be a boolean") }
        return flag
    }
}
