extension Redactor {
    /// HTTP header fields with their credentials hidden, in their order.
    ///
    /// `Authorization` and `Proxy-Authorization` keep their scheme (`Bearer
    /// [redacted]`, `Basic [redacted]`). `Cookie`, `Set-Cookie` and any field
    /// whose name contains `token`, `secret`, `key` or `auth` (`X-API-Key`,
    /// `Api-Key`, `X-Auth-Token`) become `[redacted]`, except
    /// `Idempotency-Key`, `WWW-Authenticate` and `Proxy-Authenticate`, which
    /// carry no credential. Every other value goes through `text(_:)`, so a
    /// card number or a JWT in any field is still hidden.
    public func headers(_ fields: [(name: String, value: String)]) -> [(name: String, value: String)] {
        fields.map { (name: $0.name, value: headerValue(name: $0.name, value: $0.value)) }
    }

    func headerValue(name: String, value: String) -> String {
        let lower = String(decoding: name.utf8.map { ASCIIByte.isLetter($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        if lower == "authorization" || lower == "proxy-authorization" {
            return value.isEmpty ? value : String(decoding: TextRedaction.authorization(Array(value.utf8)), as: UTF8.self)
        }
        if Self.headersWithoutCredentials.contains(lower) { return text(value) }
        if lower == "cookie" || lower == "set-cookie" || Self.credentialWords.contains(where: lower.contains) {
            return value.isEmpty ? value : "[redacted]"
        }
        return text(value)
    }

    static let credentialWords = ["token", "secret", "key", "auth"]
    /// Names that contain a credential word but hold none: the payment's
    /// idempotency key (needed to match a retry with its original) and the
    /// server's authentication challenge (which says why a token was refused).
    static let headersWithoutCredentials: Set<String> = ["idempotency-key", "www-authenticate", "proxy-authenticate"]
}
