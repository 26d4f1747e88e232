import Foundation
import JSON

/// An OAuth access token and the times that decide when to fetch the next one.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible {
    /// The bearer token itself. Never printed: `description` masks it.
    public let value: String
    /// When paysh obtained it (its lifetime is counted from here).
    public let obtainedAt: Date
    /// When the server stops accepting it.
    public let expiresAt: Date

    public init(value: String, obtainedAt: Date, expiresAt: Date) {
        self.value = value
        self.obtainedAt = obtainedAt
        self.expiresAt = expiresAt
    }

    /// How long it is valid in all.
    public var lifetime: TimeInterval { expiresAt.timeIntervalSince(obtainedAt) }

    /// The header value that carries it.
    public var authorization: String { "Bearer " + value }

    /// Whether it should be replaced at `now`: within `margin` of its expiry,
    /// the margin being at most half its lifetime (a token that lives two
    /// minutes is not refreshed on every call because the margin is one).
    public func needsRefresh(at now: Date, margin: TimeInterval) -> Bool {
        let effective = min(max(margin, 0), max(lifetime, 0) / 2)
        return now >= expiresAt.addingTimeInterval(-effective)
    }

    public var description: String {
        "access token \(Secret.mask(value)), expires \(expiresAt.formatted(.iso8601))"
    }
}

extension AccessToken {
    /// Lifetime assumed when the answer says nothing about it (the Lumanu
    /// document: "valid for a limited time (e.g., 1 hour)").
    public static let assumedLifetime: TimeInterval = 3600

    /// The token of a token endpoint's successful answer, obtained at `now`.
    ///
    /// The expiry is `expires_in` when present, else the JWT's `exp` claim (the
    /// payload is decoded, the signature is not checked: only the server can),
    /// else one hour. An answer without `access_token` is an `invalidResponse`.
    public static func parse(answer body: [UInt8], obtainedAt now: Date,
                             operation: String = "lumanu.token") throws(PaymentsError) -> AccessToken {
        func invalid(_ why: String) -> PaymentsError {
            PaymentsError(kind: .invalidResponse, service: "auth", operation: operation,
                          message: "the token endpoint's answer \(why); expected a JSON object with \"access_token\"")
        }
        guard let parsed = try? body.withUnsafeBytes({ raw throws(JSONError) in try JSONValue(parsing: raw) }),
              case .object(let object) = parsed else { throw invalid("is not a JSON object") }
        guard let value = object["access_token"]?.stringValue, !value.isEmpty else { throw invalid("has no \"access_token\"") }
        let expiresAt: Date
        if let seconds = lifetime(object["expires_in"]) {
            expiresAt = now.addingTimeInterval(seconds)
        } else if let seconds = jwtLifetime(value, now: now) {
            expiresAt = now.addingTimeInterval(seconds)
        } else {
            expiresAt = now.addingTimeInterval(assumedLifetime)
        }
        return AccessToken(value: value, obtainedAt: now, expiresAt: expiresAt)
    }

    /// `expires_in` as a positive number of seconds (a number, or a string of digits as some servers send).
    static func lifetime(_ value: JSONValue?) -> TimeInterval? {
        let seconds: Double?
        switch value {
        case .string(let text)?: seconds = Double(text)
        case let number?: seconds = number.doubleValue
        case nil: seconds = nil
        }
        guard let seconds, seconds.isFinite, seconds > 0 else { return nil }
        return seconds
    }

    /// How long a JWT (`header.payload.signature`, base64url) is valid from
    /// `now`, by its `exp` claim: `exp − iat` when it has an `iat` (so that a
    /// clock that differs from the server's does not matter), else `exp − now`.
    /// Nil when the token is not a JWT or has no usable `exp`.
    public static func jwtLifetime(_ token: String, now: Date) -> TimeInterval? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = base64URLDecoded(parts[1]),
              let claims = try? payload.withUnsafeBytes({ raw throws(JSONError) in try JSONValue(parsing: raw) }),
              let exp = claims["exp"]?.doubleValue, exp.isFinite else { return nil }
        let seconds = claims["iat"]?.doubleValue.map { exp - $0 } ?? exp - now.timeIntervalSince1970
        return seconds.isFinite && seconds > 0 ? seconds : nil
    }

    static func base64URLDecoded(_ text: Substring) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { Array($0) }
    }
}
