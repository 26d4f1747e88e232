/// Which failures the sandbox injects, and where.
///
/// The text form is a comma-separated list of rules, each
/// `KIND[=ARG][:RATE][@ROUTE]`:
///
/// | kind | what happens | ARG |
/// | --- | --- | --- |
/// | `latency` | the answer waits | `MS` or `MS~JITTER` (milliseconds) |
/// | `ratelimit` | 429 with `Retry-After` once a credential exceeds its budget | `N/s` or `N/m` |
/// | `503` | 503 with `Retry-After`, before anything is done | |
/// | `500-after` | the change is committed, then 500 | |
/// | `drop-before` | the connection closes before anything is done | |
/// | `drop-after` | the change is committed, then the connection closes unanswered | |
///
/// `RATE` is the probability per request (default 1). `ROUTE` is
/// `[METHOD ]PATH` where `*` matches within one path segment and `**`
/// across segments; without it a rule applies to every service route
/// (never to `/_sandbox/`). Decisions come from the sandbox's seed, so a
/// run is repeatable.
///
/// Example: `latency=80~40,503:0.1@POST /lumyri/payments/orders/*/pay,drop-after:0.05@/lumanu/**`
public struct FaultPlan: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case latency, ratelimit
        case unavailable = "503"
        case failAfter = "500-after"
        case dropBefore = "drop-before"
        case dropAfter = "drop-after"
    }

    public struct Rule: Sendable, Equatable {
        public var kind: Kind
        public var rate = 1.0
        public var route: RoutePattern?
        public var latencyMilliseconds = 0
        public var jitterMilliseconds = 0
        /// Requests allowed per `limitWindow` seconds and credential.
        public var limit = 0
        public var limitWindow = 1.0
    }

    public var rules: [Rule] = []

    public static let none = FaultPlan()

    public init(rules: [Rule] = []) { self.rules = rules }

    /// Read the text form; the error says which rule is wrong and what was expected.
    public init(parsing spec: String) throws {
        for text in spec.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !text.isEmpty {
            rules.append(try Self.rule(text))
        }
    }

    public var description: String { rules.map(Self.text).joined(separator: ",") }

    static func rule(_ text: String) throws -> Rule {
        var body = Substring(text)
        var route: RoutePattern?
        if let at = body.firstIndex(of: "@") {
            route = try RoutePattern(String(body[body.index(after: at)...]))
            body = body[..<at]
        }
        var rate = 1.0
        if let colon = body.lastIndex(of: ":") {
            guard let value = Double(body[body.index(after: colon)...]), (0 ... 1).contains(value) else {
                throw FaultSpecError("in '\(text)': the rate after ':' must be a number from 0 to 1")
            }
            rate = value
            body = body[..<colon]
        }
        let parts = body.split(separator: "=", maxSplits: 1)
        guard let name = parts.first, let kind = Kind(rawValue: String(name)) else {
            throw FaultSpecError("in '\(text)': unknown fault kind; expected one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var rule = Rule(kind: kind, rate: rate, route: route)
        let argument = parts.count > 1 ? String(parts[1]) : nil
        switch kind {
        case .latency:
            let numbers = (argument ?? "").split(separator: "~").map { Int($0) }
            guard let first = numbers.first, let ms = first, ms >= 0, numbers.count <= 2, numbers.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw FaultSpecError("in '\(text)': latency needs milliseconds, as latency=120 or latency=120~40")
            }
            rule.latencyMilliseconds = ms
            rule.jitterMilliseconds = numbers.count == 2 ? numbers[1]! : 0
        case .ratelimit:
            let pieces = (argument ?? "").split(separator: "/")
            guard pieces.count == 2, let n = Int(pieces[0]), n > 0, let window = ["s": 1.0, "m": 60.0][String(pieces[1])] else {
                throw FaultSpecError("in '\(text)': ratelimit needs a budget, as ratelimit=10/s or ratelimit=100/m")
            }
            rule.limit = n
            rule.limitWindow = window
        default:
            guard argument == nil else { throw FaultSpecError("in '\(text)': \(kind.rawValue) takes no '=' value") }
        }
        return rule
    }

    static func text(_ rule: Rule) -> String {
        var text = rule.kind.rawValue
        switch rule.kind {
        case .latency: text += "=\(rule.latencyMilliseconds)" + (rule.jitterMilliseconds > 0 ? "~\(rule.jitterMilliseconds)" : "")
        case .ratelimit: text += "=\(rule.limit)/\(rule.limitWindow == 60 ? "m" : "s")"
        default: break
        }
        if rule.rate != 1 { text += ":\(rule.rate)" }
        if let route = rule.route { text += "@\(route)" }
        return text
    }
}

public struct FaultSpecError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = "fault spec: " + description }
}

/// `[METHOD ]PATH` with `*` (within a segment) and `**` (across segments).
public struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    public let method: String?
    public let path: String

    public init(_ text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
        if parts.count == 2 {
            method = parts[0].uppercased()
            path = String(parts[1])
        } else {
            method = nil
            path = parts.first.map(String.init) ?? ""
        }
        guard path.hasPrefix("/") else { throw FaultSpecError("route '\(text)' must be a path starting with '/', optionally after a method") }
    }

    public var description: String { (method.map { $0 + " " } ?? "") + path }

    public func matches(method: String, path: String) -> Bool {
        if let wanted = self.method, wanted != method.uppercased() { return false }
        return Self.glob(Array(self.path.utf8)[...], Array(path.utf8)[...])
    }

    static func glob(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == UInt8(ascii: "*") {
            let across = pattern.dropFirst().first == UInt8(ascii: "*")
            let rest = pattern.dropFirst(across ? 2 : 1)
            var candidate = text
            while true {
                if glob(rest, candidate) { return true }
                guard let c = candidate.first, across || c != UInt8(ascii: "/") else { return false }
                candidate = candidate.dropFirst()
            }
        }
        guard text.first == first else { return false }
        return glob(pattern.dropFirst(), text.dropFirst())
    }
}

import Foundation
