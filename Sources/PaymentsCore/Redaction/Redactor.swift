/// Hides credentials and card data in everything paysh shows, logs or keeps:
/// traces, error messages, logs, the journal, the REPL's history.
///
/// One redactor for all of them, so that one set of rules decides what may
/// leave the process (docs/redaction.md). Card numbers (Luhn-valid runs of
/// 13–19 digits) keep at most their first six and last four digits;
/// credentials, tokens and card security codes become `[redacted]`; amounts,
/// ids, dates and other numbers are left as they are.
///
/// ```swift
/// let redactor = Redactor(secrets: [clientSecret])
/// redactor.text("card 4242 4242 4242 4242 declined")   // "card 424242******4242 declined"
/// redactor.headers([("Authorization", "Bearer eyJhbGciOi…")])
///     // [("Authorization", "Bearer [redacted]")]
/// redactor.body(Array(#"{"cvv": 123, "amount": 17408}"#.utf8), contentType: "application/json")
///     // {"cvv":"[redacted]","amount":17408}
/// ```
public struct Redactor: Sendable {
    let secrets: KnownSecrets

    /// `secrets`: values known at run time (a configured client secret, API
    /// key, access token) to hide wherever they appear. Secrets shorter than 8
    /// characters are ignored, so that common words are not redacted.
    public init(secrets: [String] = []) {
        self.secrets = KnownSecrets(secrets)
    }

    /// The redactor with no run-time secrets.
    public static let standard = Redactor()

    /// What replaces a secret.
    static let marker = ASCIIByte.bytes("[redacted]")

    /// Free text (a message, a log line, an excerpt of a body) with its secrets
    /// and card numbers hidden. Redact before cutting text short: a card
    /// number cut in two is no longer recognised.
    public func text(_ input: String) -> String {
        guard !input.isEmpty else { return input }
        return String(decoding: redact(Array(input.utf8)), as: UTF8.self)
    }

    /// `text` on bytes: the run-time secrets first, then the free-text rules.
    func redact(_ bytes: [UInt8]) -> [UInt8] {
        TextRedaction.redact(secrets.redact(bytes))
    }

    /// A card number's digits masked: `"4242424242424242"` → `"424242******4242"`.
    ///
    /// Characters other than ASCII digits are dropped first (`"4242 4242 …"`
    /// gives the same). At most the first 6 and last 4 digits are shown: 16
    /// digits or more show 6 + 4, 13–15 show 4 + 4, 8–12 the last 4, fewer none.
    public static func maskCardNumber(_ digits: String) -> String {
        String(decoding: CardDigits.mask(CardDigits.digits(of: digits.utf8)), as: UTF8.self)
    }

    /// Whether `text` holds a card number: a Luhn-valid run of 13–19 digits,
    /// possibly grouped by single spaces or dashes, outside a longer run of
    /// digits, a UUID or a hash. The test `text(_:)` uses to mask them.
    public static func containsCardNumber(_ text: String) -> Bool {
        CardChain.isPresent(in: Array(text.utf8))
    }
}
