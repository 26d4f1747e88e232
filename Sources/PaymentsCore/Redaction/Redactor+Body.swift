import JSON

extension Redactor {
    /// A request or response body, redacted, as text.
    ///
    /// JSON (`application/json`, any `…+json`; or, without a content type, a
    /// body that starts with `{` or `[`) is redacted value by value and
    /// written again, compact, members in their order. A form body
    /// (`application/x-www-form-urlencoded`) is redacted pair by pair.
    /// Anything else, and JSON that does not parse, goes through `text(_:)`.
    public func body(_ bytes: [UInt8], contentType: String?) -> String {
        guard !bytes.isEmpty else { return "" }
        switch BodyKind(contentType: contentType, bytes: bytes) {
        case .json:
            if let value = try? JSONValue(parsing: bytes, options: JSONDecodingOptions(maxDepth: Self.maximumJSONDepth)),
               let encoded = try? JSONRedaction(redactor: self).value(value, holdsCards: false).encodedString() {
                return encoded
            }
        case .form:
            return parameters(Substring(String(decoding: bytes, as: UTF8.self)))
        case .text:
            break
        }
        return String(decoding: redact(bytes), as: UTF8.self)
    }

    /// Deeper JSON is redacted as text (which still applies every rule to its
    /// `"key": value` pairs), so that the walk's recursion stays shallow.
    static let maximumJSONDepth = 200

    enum BodyKind {
        case json, form, text

        init(contentType: String?, bytes: [UInt8]) {
            guard let contentType else {
                let first = bytes.first { !($0 == ASCIIByte.space || $0 == ASCIIByte.tab || $0 == ASCIIByte.newline || $0 == 0x0D) }
                self = first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : .text
                return
            }
            let mediaType = FieldName.normalized(String(contentType.split(separator: ";", maxSplits: 1).first ?? ""))
            if mediaType.hasSuffix("json") {
                self = .json
            } else if mediaType == "applicationxwwwformurlencoded" {
                self = .form
            } else {
                self = .text
            }
        }
    }
}
