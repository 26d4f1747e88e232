extension Redactor {
    /// A URL with its credentials and card numbers hidden.
    ///
    /// Query (and fragment) parameters follow the field-name rules
    /// (`?access_token=[redacted]`, `?card_number=424242******4242`); every
    /// other parameter, path segment and the host go through `text(_:)` after
    /// percent-decoding, so `/cards/4242424242424242` becomes
    /// `/cards/424242******4242`. A password in the authority
    /// (`user:pass@host`) becomes `[redacted]`. What is not changed keeps its
    /// exact spelling.
    public func url(_ url: String) -> String {
        var rest = Substring(url)
        var fragment: Substring?
        var query: Substring?
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[rest.index(after: hash)...]
            rest = rest[..<hash]
        }
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var out = ""
        if let scheme = rest.firstRange(of: "://") {
            let authorityEnd = rest[scheme.upperBound...].firstIndex(of: "/") ?? rest.endIndex
            out += rest[..<scheme.upperBound]
            out += authority(rest[scheme.upperBound ..< authorityEnd])
            rest = rest[authorityEnd...]
        }
        out += rest.split(separator: "/", omittingEmptySubsequences: false).map(urlComponent).joined(separator: "/")
        if let query { out += "?" + parameters(query) }
        if let fragment { out += "#" + (fragment.contains("=") ? parameters(fragment) : urlComponent(fragment)) }
        return out
    }

    /// `user:password@host:port` → `user:[redacted]@host:port`; a user alone (often a token) → `[redacted]@host`.
    func authority(_ authority: Substring) -> String {
        guard let at = authority.lastIndex(of: "@") else { return urlComponent(authority) }
        let userInfo = authority[..<at]
        let host = urlComponent(authority[authority.index(after: at)...])
        if let colon = userInfo.firstIndex(of: ":") { return urlComponent(userInfo[..<colon]) + ":[redacted]@" + host }
        return "[redacted]@" + host
    }

    /// One path segment (or host, or bare query part): decoded, `text(_:)`, encoded again only if that changed it.
    func urlComponent(_ raw: Substring) -> String {
        let decoded = PercentCoding.decoded(raw, plusIsSpace: false)
        let redacted = text(decoded)
        return redacted == decoded ? String(raw) : String(decoding: PercentCoding.encoded(redacted, spaceAsPlus: false), as: UTF8.self)
    }
}
