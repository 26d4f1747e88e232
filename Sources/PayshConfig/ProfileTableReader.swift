import LuaKit
import PaymentsCore

/// Reads the table a config file returned, with raw access only (no
/// metamethods run), in key order so that the first error is always the same.
/// Every error names the file and the place: `path: profile "staging": lumen: …`.
struct ProfileTableReader {
    let stack: LuaStack
    let path: String

    static let profileKeys = ["production", "default"] + Service.allCases.map(\.rawValue)

    func profiles(at table: Int32) throws(PaymentsError) -> [ProfileDocument] {
        guard stack.type(at: table) == .table else {
            throw failure("\(path): expected the file to return a table of profiles, as in return { staging = { ... } }, got \(describe(table))")
        }
        var profiles: [ProfileDocument] = []
        for key in keys(of: table) {
            guard case .name(let name) = key else {
                throw failure("\(path): profiles are named, as in staging = { ... }; found the key \(key)")
            }
            try withField(name, of: table) { (value) throws(PaymentsError) in
                profiles.append(try profile(name, at: value))
            }
        }
        return profiles
    }

    private func profile(_ name: String, at table: Int32) throws(PaymentsError) -> ProfileDocument {
        let place = "\(path): profile \"\(name)\""
        if let problem = ProfileDocument.problem(withName: name) { throw failure("\(place): \(problem)") }
        guard stack.type(at: table) == .table else { throw failure("\(place): expected a table of settings, got \(describe(table))") }
        var profile = ProfileDocument(name: name)
        for key in try names(of: table, expected: Self.profileKeys, place: place) {
            try withField(key, of: table) { (value) throws(PaymentsError) in
                switch key {
                case "production": profile.production = try boolean(at: value, place: "\(place): production")
                case "default": profile.isDefault = try boolean(at: value, place: "\(place): default")
                default: try settings(of: Service(rawValue: key)!, at: value, place: "\(place): \(key)", into: &profile.settings)
                }
            }
        }
        return profile
    }

    private func settings(of service: Service, at table: Int32, place: String,
                          into settings: inout [SettingKey: SettingValue]) throws(PaymentsError) {
        guard stack.type(at: table) == .table else { throw failure("\(place): expected a table of settings, got \(describe(table))") }
        let known = SettingKey.settings(of: service)
        for name in try names(of: table, expected: known.map(\.name), place: place) {
            let key = SettingKey(service: service, name: name)!
            try withField(name, of: table) { (value) throws(PaymentsError) in
                settings[key] = try setting(key, at: value, place: "\(place): \(name)")
            }
        }
    }

    private func setting(_ key: SettingKey, at idx: Int32, place: String) throws(PaymentsError) -> SettingValue {
        let marker = stack.toObject(at: idx, as: SecretMarker.self)
        if key.isSecret {
            if let marker { return .secret(Secret(marker.origin, setting: key.rawValue)) }
            if let text = try text(at: idx, place: place) { return key.value(text) }
            throw failure("\(place): expected a string, env \"NAME\" or command \"...\", got \(describe(idx))")
        }
        if let marker {
            throw failure("\(place): expected a string, got \(marker.written) "
                + "(env and command are for client_secret, api_key and access_token; os.getenv reads a variable for other settings)")
        }
        if let text = try text(at: idx, place: place) { return .text(text) }
        throw failure("\(place): expected a string, got \(describe(idx))")
    }

    private func boolean(at idx: Int32, place: String) throws(PaymentsError) -> Bool {
        guard stack.type(at: idx) == .boolean else { throw failure("\(place): expected true or false, got \(describe(idx))") }
        return stack.toBoolean(at: idx)
    }

    /// The string at `idx` as text; nil when it is not a string.
    private func text(at idx: Int32, place: String) throws(PaymentsError) -> String? {
        guard stack.type(at: idx) == .string else { return nil }
        guard let text = stack.toString(at: idx) else { throw failure("\(place): the string is not valid UTF-8") }
        return text
    }

    // MARK: Keys

    /// A key of a table as the reader sees it.
    enum Key: Comparable, CustomStringConvertible {
        case name(String)
        /// Any other key, as Lua would print it (`1`, `true`, `table`).
        case other(String)

        var description: String {
            switch self {
            case .name(let name): return "\"\(name)\""
            case .other(let text): return text
            }
        }
    }

    /// The keys of the table at `idx`, names first, each group in order.
    func keys(of table: Int32) -> [Key] {
        var keys: [Key] = []
        stack.forEachRaw(in: table) {
            if stack.type(at: -2) == .string, let name = stack.toString(at: -2) {
                keys.append(.name(name))
            } else if stack.type(at: -2) == .number {
                keys.append(.other(stack.toInteger(at: -2).map(String.init) ?? "a number"))
            } else if stack.type(at: -2) == .boolean {
                keys.append(.other(stack.toBoolean(at: -2) ? "true" : "false"))
            } else {
                keys.append(.other("a \(stack.type(at: -2))"))
            }
        }
        return keys.sorted()
    }

    /// The names of the table at `idx`, refusing any key outside `expected`.
    private func names(of table: Int32, expected: [String], place: String) throws(PaymentsError) -> [String] {
        var names: [String] = []
        for key in keys(of: table) {
            guard case .name(let name) = key, expected.contains(name) else {
                throw failure("\(place): unknown setting \(key) (expected \(expected.joined(separator: ", ")))")
            }
            names.append(name)
        }
        return names
    }

    /// Run `body` with the raw value of `table[name]` on top of the stack.
    private func withField(_ name: String, of table: Int32, _ body: (Int32) throws(PaymentsError) -> Void) throws(PaymentsError) {
        stack.ensure(2)
        stack.rawGet(at: table, name)
        defer { stack.pop() }
        try body(stack.top)
    }

    /// What the value at `idx` is, for "got ..." (never the value itself).
    private func describe(_ idx: Int32) -> String {
        if let marker = stack.toObject(at: idx, as: SecretMarker.self) { return marker.written }
        return stack.type(at: idx) == .none ? "nothing" : stack.typeName(at: idx)
    }

    private func failure(_ message: String) -> PaymentsError { ConfigDocument.error(message) }
}
