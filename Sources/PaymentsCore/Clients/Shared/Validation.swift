import Foundation

/// The checks a typed client makes on its arguments before anything is sent.
///
/// A failure is a `validation` ``PaymentsError`` whose message names the
/// argument, what was expected and what came:
/// `amount: expected a whole number of cents greater than 0, got -5`.
/// Card numbers are never quoted whole (at most the first 6 and last 4
/// digits) and security codes never at all.
public struct ArgumentCheck: Sendable {
    public let service: Service
    /// As the Lua API names it: `lumanu.create_payout`.
    public let operation: String

    public init(service: Service, operation: String) {
        self.service = service
        self.operation = operation
    }

    /// The error for `argument`: what was expected and what came instead.
    public func failure(_ argument: String, expected: String, got: String) -> PaymentsError {
        PaymentsError(kind: .validation, service: service.rawValue, operation: operation,
                      message: "\(argument): expected \(expected), got \(got)")
    }

    /// `text` in quotes, cut short, with anything that looks like a card number
    /// masked, and on one line: control characters are written as escapes
    /// (`\n`, `\t`, `\u{7}`), so a newline in a value cannot break the message.
    public static func quoted(_ text: String) -> String {
        let shown = Redactor.standard.text(text)
        return "\"" + oneLine(shown.count > 60 ? String(shown.prefix(60)) + "…" : shown) + "\""
    }

    /// `text` with its control characters (C0, DEL, C1, line and paragraph separators) escaped.
    public static func oneLine(_ text: String) -> String {
        func isControl(_ s: Unicode.Scalar) -> Bool {
            s.value < 0x20 || (0x7F ... 0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
        }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.append(scalar)
                continue
            }
            let escape: String
            switch scalar {
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            default: escape = "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
            out.append(contentsOf: escape.unicodeScalars)
        }
        return String(out)
    }

    // MARK: Ids and text

    /// An id (of a payout, invoice, card…): not empty or blank. (Ids go into paths percent-encoded.)
    public func id(_ value: String, _ argument: String) throws(PaymentsError) -> String {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw failure(argument, expected: "a non-empty id", got: value.isEmpty ? "an empty string" : "only spaces")
        }
        return value
    }

    /// Any text that is not empty or blank.
    public func nonEmpty(_ value: String, _ argument: String) throws(PaymentsError) -> String {
        guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw failure(argument, expected: "a non-empty string", got: value.isEmpty ? "an empty string" : "only white space")
        }
        return value
    }

    /// One of `allowed`, compared without regard to case when `ignoringCase`; answers the canonical spelling.
    public func oneOf(_ value: String, _ allowed: [String], _ argument: String, ignoringCase: Bool = false) throws(PaymentsError) -> String {
        let match = allowed.first { ignoringCase ? $0.lowercased() == value.lowercased() : $0 == value }
        guard let match else {
            throw failure(argument, expected: "one of " + allowed.joined(separator: ", "), got: Self.quoted(value))
        }
        return match
    }

    // MARK: Money

    /// A whole number of cents greater than zero.
    public func cents(_ value: Int64, _ argument: String) throws(PaymentsError) -> Int64 {
        guard value > 0 else { throw failure(argument, expected: "a whole number of cents greater than 0", got: String(value)) }
        return value
    }

    /// A non-negative decimal amount with at most two decimals (`100`, `99.50`), as text.
    public func decimalAmount(_ value: String, _ argument: String) throws(PaymentsError) -> String {
        guard DecimalCents.cents(value) != nil else {
            throw failure(argument, expected: "a non-negative amount with at most two decimals, such as 100 or 99.50", got: Self.quoted(value))
        }
        return value
    }

    /// A currency code as the APIs write it: three lower-case letters (`usd`).
    public func currency(_ value: String, _ argument: String) throws(PaymentsError) -> String {
        guard value.utf8.count == 3, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else {
            throw failure(argument, expected: "a currency code of three lower-case letters, such as usd", got: Self.quoted(value))
        }
        return value
    }

    // MARK: Paging

    /// A page size: 1 to 100.
    public func pageSize(_ value: Int, _ argument: String) throws(PaymentsError) -> Int {
        guard (1 ... 100).contains(value) else { throw failure(argument, expected: "a page size from 1 to 100", got: String(value)) }
        return value
    }

    /// A count of at least `minimum` (a page number, an offset).
    public func atLeast(_ minimum: Int, _ value: Int, _ argument: String) throws(PaymentsError) -> Int {
        guard value >= minimum else { throw failure(argument, expected: "an integer of \(minimum) or more", got: String(value)) }
        return value
    }

    // MARK: Addresses and dates

    /// An e-mail address `local@domain.tld`: a plain local part, DNS labels, a
    /// top-level label of letters. Answered trimmed.
    public func email(_ value: String, _ argument: String) throws(PaymentsError) -> String {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard Self.isEmail(text) else { throw failure(argument, expected: "an e-mail address such as ada@example.com", got: Self.quoted(value)) }
        return text
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard text.utf8.count <= 254, parts.count == 2, (1 ... 64).contains(parts[0].utf8.count) else { return false }
        let local = parts[0], labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        let specials = Set("!#$%&'*+/=?^_`{|}~-.")
        guard local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || specials.contains($0)) }),
              local.first != ".", local.last != ".", !local.contains("..") else { return false }
        guard labels.count >= 2, let top = labels.last, top.count >= 2, top.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return labels.allSatisfy { label in
            (1 ... 63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// A calendar day `YYYY-MM-DD` that exists (`2025-02-29` does not).
    public func day(_ value: String, _ argument: String) throws(PaymentsError) -> String {
        guard Self.isDay(value) else { throw failure(argument, expected: "a date YYYY-MM-DD naming a real day", got: Self.quoted(value)) }
        return value
    }

    static func isDay(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy(ASCIIByte.isDigit) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard let year = number(0 ..< 4), let month = number(5 ..< 7), let day = number(8 ..< 10), (1 ... 12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1 ... days).contains(day)
    }

    /// An ISO 8601 date (`2023-02-01`) or date and time with a zone
    /// (`2023-02-01T00:00:00.000Z`, `2023-02-01T09:30:00+01:00`).
    public func isoDateOrTime(_ value: String, _ argument: String) throws(PaymentsError) -> String {
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let valid = Self.isDay(value) || (try? Date(value, strategy: time)) != nil || (try? Date(value, strategy: .iso8601)) != nil
        guard valid else {
            throw failure(argument, expected: "an ISO 8601 date or time, such as 2023-02-01 or 2023-02-01T00:00:00.000Z", got: Self.quoted(value))
        }
        return value
    }

    // MARK: Cards

    /// A card number: 13 to 19 digits passing the Luhn check; spaces and
    /// dashes between digits are allowed and dropped. Answers the digits.
    /// The number is never quoted whole in the error.
    public func cardNumber(_ value: String, _ argument: String) throws(PaymentsError) -> String {
        let allowed = value.utf8.allSatisfy { ASCIIByte.isDigit($0) || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") }
        guard allowed else {
            throw failure(argument, expected: "a card number of 13 to 19 digits (spaces and dashes allowed)",
                          got: "text with other characters (not shown)")
        }
        let digits = CardDigits.digits(of: value.utf8)
        let shown = digits.isEmpty ? "no digits" : "\(digits.count) digits (\(Redactor.maskCardNumber(value)))"
        guard CardDigits.lengths.contains(digits.count) else {
            throw failure(argument, expected: "a card number of 13 to 19 digits", got: shown)
        }
        guard CardDigits.passesLuhn(digits) else {
            throw failure(argument, expected: "a valid card number (it must pass the Luhn check)", got: shown + ", which fails it")
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// A card security code: 3 or 4 digits. Never quoted in the error.
    public func cvv(_ value: String, _ argument: String) throws(PaymentsError) -> String {
        guard (3 ... 4).contains(value.utf8.count), value.utf8.allSatisfy(ASCIIByte.isDigit) else {
            let got = value.isEmpty ? "an empty string" : "\(value.count) characters (not shown)"
            throw failure(argument, expected: "a security code of 3 or 4 digits", got: got)
        }
        return value
    }

    /// An expiry month 1–12 of a four-digit year, not before the month of `now` (UTC):
    /// a card is good through the last day of its expiry month.
    public func expiry(month: Int, year: Int, now: Date, _ argument: String) throws(PaymentsError) {
        guard (1 ... 12).contains(month) else { throw failure(argument + ".expMonth", expected: "a month from 1 to 12", got: String(month)) }
        guard (1000 ... 9999).contains(year) else { throw failure(argument + ".expYear", expected: "a four-digit year", got: String(year)) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.dateComponents([.year, .month], from: now)
        let (thisYear, thisMonth) = (today.year ?? 0, today.month ?? 0)
        guard year > thisYear || (year == thisYear && month >= thisMonth) else {
            throw failure(argument, expected: "an expiry not in the past (this month is \(thisMonth)/\(thisYear))", got: "\(month)/\(year)")
        }
    }
}

/// Exact decimal amounts (`"174.08"`) as integer cents, without floating point.
enum DecimalCents {
    /// A non-negative decimal with at most two fraction digits: `12`, `12.5`, `12.50`; nil otherwise.
    static func cents(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, (1 ... 15).contains(whole.count), whole.utf8.allSatisfy(ASCIIByte.isDigit) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : "00"
        guard (1 ... 2).contains(fraction.count), fraction.utf8.allSatisfy(ASCIIByte.isDigit) else { return nil }
        if fraction.count == 1 { fraction += "0" }
        guard let units = Int64(whole), let hundredths = Int64(fraction) else { return nil }
        return units * 100 + hundredths
    }
}
