import CLuaShim

/// A Lua value copied into Swift.
///
/// Scalars map one to one: integers stay `Int64`, floats stay `Double`,
/// strings are bytes (NUL bytes included). Functions, userdata, threads and
/// tables wanted by reference are held through a ``LuaRef``.
///
/// Tables convert by this policy (``LuaStack/value(at:)``):
/// - keys exactly the integers 1...n → `.array`;
/// - every key a string that is valid UTF-8 → `.dictionary`;
/// - an empty table → `.array([])` (use ``LuaValue/dictionaryValue`` to accept it as an empty dictionary);
/// - anything else — integer and string keys mixed, holes in the sequence,
///   keys of other types — is a ``LuaConversionError``, never a guess;
/// - metatables are ignored (raw access), a table that contains itself is an error,
///   and nesting deeper than ``LuaStack/maximumConversionDepth`` is an error.
public enum LuaValue: Equatable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case array([LuaValue])
    case dictionary([String: LuaValue])
    case lightUserdata(UnsafeMutableRawPointer?)
    /// A function, userdata, thread or table kept by reference.
    case reference(LuaType, LuaRef)

    /// A string value from Swift text.
    public static func string(_ text: String) -> LuaValue { .string(Array(text.utf8)) }

    /// The string as UTF-8 text, when it is a string holding valid UTF-8.
    public var stringValue: String? {
        guard case .string(let bytes) = self else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The dictionary, accepting an empty table (read as `.array([])`) as an empty dictionary.
    public var dictionaryValue: [String: LuaValue]? {
        switch self {
        case .dictionary(let d): return d
        case .array(let a) where a.isEmpty: return [:]
        default: return nil
        }
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(Array(value.utf8)) }
    public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self = .dictionary(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

/// A table that does not fit the conversion policy of ``LuaValue``.
public struct LuaConversionError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension LuaStack {
    /// Tables nested deeper than this are refused by ``value(at:)``.
    public static let maximumConversionDepth = 200

    /// Copy the value at `idx` into Swift by the policy of ``LuaValue``.
    public func value(at idx: Int32) throws -> LuaValue {
        var visiting: Set<UnsafeRawPointer> = []
        return try value(at: absolute(idx), depth: 0, visiting: &visiting)
    }

    private func value(at idx: Int32, depth: Int, visiting: inout Set<UnsafeRawPointer>) throws -> LuaValue {
        switch type(at: idx) {
        case .none, .nil: return .nil
        case .boolean: return .boolean(toBoolean(at: idx))
        case .number:
            if let i = toInteger(at: idx) { return .integer(i) }
            return .number(lua_tonumberx(L, idx, nil))
        case .string: return .string(toBytes(at: idx) ?? [])
        case .lightUserdata: return .lightUserdata(lua_touserdata(L, idx))
        case .table: return try tableValue(at: idx, depth: depth, visiting: &visiting)
        case let kind: return .reference(kind, reference(at: idx))
        }
    }

    private func tableValue(at idx: Int32, depth: Int, visiting: inout Set<UnsafeRawPointer>) throws -> LuaValue {
        guard depth < Self.maximumConversionDepth else {
            throw LuaConversionError("table nested more than \(Self.maximumConversionDepth) levels deep")
        }
        let identity = lua_topointer(L, idx)!
        guard visiting.insert(identity).inserted else { throw LuaConversionError("table contains itself") }
        defer { visiting.remove(identity) }
        guard ensure(4) else { throw LuaConversionError("Lua stack overflow while converting a table") }

        var sequence: [Int64: LuaValue] = [:]
        var dictionary: [String: LuaValue] = [:]
        try forEachRaw(in: idx) {
            let item = try value(at: absolute(-1), depth: depth + 1, visiting: &visiting)
            if let key = toInteger(at: -2) {
                guard dictionary.isEmpty, key >= 1 else { throw mixedTable(keyAt: -2) }
                sequence[key] = item
            } else if type(at: -2) == .string, let key = toString(at: -2) {
                guard sequence.isEmpty else { throw mixedTable(keyAt: -2) }
                dictionary[key] = item
            } else {
                throw mixedTable(keyAt: -2)
            }
        }
        if !sequence.isEmpty {
            let largest = sequence.keys.max()!
            guard largest == Int64(sequence.count) else {
                throw LuaConversionError("table is not a sequence: it has \(sequence.count) integer keys but the largest is \(largest)")
            }
            return .array((1...largest).map { sequence[$0]! })
        }
        return dictionary.isEmpty ? .array([]) : .dictionary(dictionary)
    }

    private func mixedTable(keyAt idx: Int32) -> LuaConversionError {
        let key: String
        switch type(at: idx) {
        case .string: key = toString(at: idx).map { "\"\($0)\"" } ?? "a string that is not UTF-8"
        case .number: key = toInteger(at: idx).map(String.init) ?? "\(lua_tonumberx(L, idx, nil))"
        default: key = "a \(typeName(at: idx))"
        }
        return LuaConversionError("table mixes key kinds (key \(key)): expected only 1...n or only string keys")
    }

    /// A registry reference to the value at `idx`, released when the returned holder dies.
    public func reference(at idx: Int32) -> LuaRef {
        pushValue(at: idx)
        let ref = luaL_ref(L, luaRegistryIndex) // allocation is its only failure, see the shim's allocator rule
        return LuaRef(ref: ref, owner: LuaState.refOwner(of: L))
    }

    /// Push a Swift value by the policy of ``LuaValue``.
    public func push(_ value: LuaValue) {
        ensure(3)
        switch value {
        case .nil: pushNil()
        case .boolean(let b): push(b)
        case .integer(let i): push(i)
        case .number(let d): push(d)
        case .string(let bytes): push(bytes: bytes)
        case .lightUserdata(let p): push(lightUserdata: p)
        case .reference(_, let ref): ref.push(on: self)
        case .array(let items):
            newTable(array: Int32(clamping: items.count))
            for (i, item) in items.enumerated() {
                push(item)
                rawSet(at: -2, index: Int64(i + 1))
            }
        case .dictionary(let fields):
            newTable(hash: Int32(clamping: fields.count))
            for (key, item) in fields {
                push(item)
                rawSet(at: -2, key)
            }
        }
    }
}
