/// Credentials recognised by their form rather than by a field name:
/// `Bearer <token>`, `Basic <base64 of id:secret>`, JWTs, Lumen-style keys.
extension TextRedaction {
    static let bearer = ASCIIByte.bytes("bearer")
    static let basic = ASCIIByte.bytes("basic")
    static let jwtMarker = ASCIIByte.bytes("[redacted jwt]")
    /// Secret key prefixes; what follows them is the secret. (`pk_…` keys are publishable and stay.)
    static let keyPrefixes = ["sk_live_", "sk_test_", "sk_sandbox_", "rk_live_", "rk_test_", "rk_sandbox_", "whsec_"]
        .map(ASCIIByte.bytes)

    /// `Bearer <token>` (any case) → `Bearer [redacted]`. A "token" followed
    /// by `=`, `:` or more letters is the name of the next field
    /// (`token_type=Bearer expires_in=3600`), and a lower-case word followed
    /// by `="` is a parameter of a challenge (`Bearer error="invalid_token"`).
    mutating func redactBearer() -> Bool {
        guard let (token, tokenEnd) = schemeCredentials(Self.bearer, while: Self.isTokenByte) else { return false }
        let end = skip(from: tokenEnd) { $0 == ASCIIByte.equals }
        if end < b.count {
            if ASCIIByte.isAlphanumeric(b[end]) || b[end] == ASCIIByte.colon { return false }
            let isParameterName = b[token ..< tokenEnd].allSatisfy { $0 == ASCIIByte.underscore || $0 &- 0x61 < 26 }
            if end > tokenEnd && b[end] == ASCIIByte.doubleQuote && isParameterName { return false }
        }
        replace(from: token, to: end, with: Redactor.marker)
        return true
    }

    /// `Basic <credentials>` (any case) → `Basic [redacted]`, when the
    /// credentials are base64 of `id:secret`; so that `Basic information` stays.
    mutating func redactBasic() -> Bool {
        guard let (token, end) = schemeCredentials(Self.basic, while: Self.isBase64Byte),
              end - token >= 8, Base64.decoded(b[token ..< end])?.contains(ASCIIByte.colon) == true
        else { return false }
        replace(from: token, to: end, with: Redactor.marker)
        return true
    }

    /// The credentials after the word `scheme` at `i` and one or more blanks: their start and end, or nil.
    func schemeCredentials(_ scheme: [UInt8], while member: (UInt8) -> Bool) -> (start: Int, end: Int)? {
        guard ASCIIByte.hasPrefix(b, at: i, lowercased: scheme) else { return nil }
        let start = skipBlanks(from: i + scheme.count)
        guard start > i + scheme.count else { return nil }
        let end = skip(from: start, while: member)
        return end > start ? (start, end) : nil
    }

    /// A JWT (`eyJ…` header, `.`, payload, `.`, signature; more parts for a JWE) → `[redacted jwt]`.
    mutating func redactJWT() -> Bool {
        guard i >= jwtCheckedUntil, i + 3 <= b.count,
              b[i] == UInt8(ascii: "e"), b[i + 1] == UInt8(ascii: "y"), b[i + 2] == UInt8(ascii: "J") else { return false }
        let header = skip(from: i, while: ASCIIByte.isBase64URL)
        jwtCheckedUntil = header
        guard header < b.count, b[header] == ASCIIByte.dot else { return false }
        let payload = skip(from: header + 1, while: ASCIIByte.isBase64URL)
        guard payload > header + 1, payload < b.count, b[payload] == ASCIIByte.dot else { return false }
        var end = skip(from: payload + 1, while: ASCIIByte.isBase64URL)
        while end + 1 < b.count && b[end] == ASCIIByte.dot && ASCIIByte.isBase64URL(b[end + 1]) {
            end = skip(from: end + 1, while: ASCIIByte.isBase64URL)
        }
        replace(from: i, to: end, with: Self.jwtMarker)
        return true
    }

    /// `sk_live_…`, `sk_test_…`, `sk_sandbox_…` (and `rk_…`, `whsec_…`) → the prefix and `[redacted]`.
    mutating func redactLumenKey() -> Bool {
        guard "srw".utf8.contains(b[i]) else { return false }
        for prefix in Self.keyPrefixes where ASCIIByte.hasPrefix(b, at: i, lowercased: prefix) {
            let start = i + prefix.count
            let end = skip(from: start) { ASCIIByte.isAlphanumeric($0) || $0 == ASCIIByte.underscore }
            guard end > start else { return false }
            replace(from: start, to: end, with: Redactor.marker)
            return true
        }
        return false
    }

    /// The bytes of an OAuth bearer token (RFC 6750 `b64token`), but its final `=` padding.
    static func isTokenByte(_ c: UInt8) -> Bool {
        ASCIIByte.isAlphanumeric(c) || "-._~+/".utf8.contains(c)
    }

    static func isBase64Byte(_ c: UInt8) -> Bool {
        ASCIIByte.isAlphanumeric(c) || "+/=".utf8.contains(c)
    }
}

/// Just enough base64 to tell whether `Basic` credentials hold `id:secret`.
enum Base64 {
    /// The decoded bytes of standard base64 (padding optional), or nil when it is not base64.
    static func decoded<Text: Collection<UInt8>>(_ text: Text) -> [UInt8]? {
        var out: [UInt8] = []
        var bits: UInt32 = 0
        var count = 0
        var padding = 0
        for c in text {
            if c == ASCIIByte.equals { padding += 1; continue }
            guard padding == 0, let value = sextet(c) else { return nil }
            bits = bits << 6 | UInt32(value)
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8(truncatingIfNeeded: bits >> UInt32(count)))
            }
        }
        return padding <= 2 ? out : nil
    }

    static func sextet(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A") ... UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
        case UInt8(ascii: "a") ... UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
