import Crypto
import Foundation
import JSON

/// JWT access tokens (HS256) as the sandbox's token endpoint issues them and
/// as its Lumanu API checks them: signature, audience and `exp`.
public struct AccessTokens: Sendable {
    let key: SymmetricKey

    public init(secret: [UInt8]) { key = SymmetricKey(data: secret) }

    /// Why a token was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case malformed, badSignature, expired, wrongAudience

        public var description: String {
            switch self {
            case .malformed: return "JWSInvalid: the token is not a signed JWT"
            case .badSignature: return "JWSError JWSInvalidSignature"
            case .expired: return "JWTExpired"
            case .wrongAudience: return "JWTNotInAudience"
            }
        }
    }

    /// A signed token for `clientID`, valid `ttl` seconds from `now`.
    public func issue(clientID: String, audience: String, issuer: String, now: Date, ttl: Int) -> String {
        let issued = Int64(now.timeIntervalSince1970)
        let header: JSONValue = ["alg": "HS256", "typ": "JWT"]
        let claims: JSONValue = [
            "iss": .string(issuer), "sub": .string(clientID + "@clients"), "aud": .string(audience),
            "iat": .integer(issued), "exp": .integer(issued + Int64(ttl)), "gty": "client-credentials",
            "jti": .string(UUID().uuidString.lowercased()),
        ]
        let signingInput = Self.base64URL(Data((try? header.encoded()) ?? [])) + "."
            + Self.base64URL(Data((try? claims.encoded()) ?? []))
        return signingInput + "." + Self.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)))
    }

    /// The claims of a valid token for `audience` at `now`.
    public func verify(_ token: String, audience: String, now: Date) throws(Problem) -> JSONObject {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let signature = Self.data(base64URL: parts[2]),
              let payload = Self.data(base64URL: parts[1]) else { throw .malformed }
        let signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        // base64url's last character carries unused bits that a decoder
        // ignores, so a signature is accepted only in the one spelling that
        // encodes it: an altered token is never taken for the one issued.
        guard Self.base64URL(signature) == parts[2],
              HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: key) else {
            throw .badSignature
        }
        guard case .object(let claims)? = try? payload.withUnsafeBytes({ raw throws(JSONError) in try JSONValue(parsing: raw) }) else {
            throw .malformed
        }
        return try Self.check(claims, audience: audience, now: now)
    }

    /// The claims, if they are for `audience` and not expired at `now`.
    static func check(_ claims: JSONObject, audience: String, now: Date) throws(Problem) -> JSONObject {
        guard let exp = claims["exp"]?.int64Value else { throw .malformed }
        guard Int64(now.timeIntervalSince1970) < exp else { throw .expired }
        guard claims["aud"]?.stringValue == audience else { throw .wrongAudience }
        return claims
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
