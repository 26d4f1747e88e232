extension Redactor {
    /// `name=value&…` (a form body, a query): each value by its name's rules
    /// (see `FieldName`), every other value and every name through `text(_:)`.
    func parameters(_ raw: Substring) -> String {
        raw.split(separator: "&", omittingEmptySubsequences: false).map(parameter).joined(separator: "&")
    }

    /// One `name=value` pair; a pair without `=` is text.
    func parameter(_ raw: Substring) -> String {
        guard let equals = raw.firstIndex(of: "=") else { return formComponent(raw) }
        let rawName = raw[..<equals]
        let rawValue = raw[raw.index(after: equals)...]
        let name = PercentCoding.decoded(rawName, plusIsSpace: true)
        let value: String
        switch FieldName.kind(of: name) {
        case .secret, .securityCode:
            value = rawValue.isEmpty ? "" : "[redacted]"
        case .cardNumber:
            let decoded = PercentCoding.decoded(rawValue, plusIsSpace: true)
            value = TextRedaction.maskedCardField(Array(decoded.utf8)).map { String(decoding: $0, as: UTF8.self) }
                ?? formComponent(rawValue)
        case .other:
            value = formComponent(rawValue)
        }
        return formComponent(rawName) + "=" + value
    }

    /// A name or value: decoded, `text(_:)`, encoded again only if that changed it.
    func formComponent(_ raw: Substring) -> String {
        let decoded = PercentCoding.decoded(raw, plusIsSpace: true)
        let redacted = text(decoded)
        return redacted == decoded ? String(raw) : String(decoding: PercentCoding.encoded(redacted, spaceAsPlus: true), as: UTF8.self)
    }
}
