import Foundation

/// Times as Lumanu (Hasura over Postgres `timestamptz`) writes them, kept as
/// integer microseconds since 1970 so that stored times round-trip exactly.
///
/// Postgres prints `2025-09-17T15:57:04.482673+00:00`: microseconds with
/// trailing zeros dropped (`.48`, or no fraction at all on a whole second),
/// and the offset as `+00:00`. Calendar arithmetic is done on integers
/// (proleptic Gregorian), never through a formatter or a `Double`.
enum LumanuTime {
    static let second: Int64 = 1_000_000
    static let minute: Int64 = 60 * second
    static let hour: Int64 = 60 * minute
    static let day: Int64 = 24 * hour

    /// The sandbox clock's `date` in microseconds.
    static func micros(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// Microseconds of a UTC civil time.
    static func micros(_ year: Int64, _ month: Int64, _ day: Int64,
                       _ hour: Int64 = 0, _ minute: Int64 = 0, _ second: Int64 = 0, micro: Int64 = 0) -> Int64 {
        days(year, month, day) * Self.day + hour * Self.hour + minute * Self.minute + second * Self.second + micro
    }

    /// `2025-09-17T15:57:04.482673+00:00`, as Postgres writes a `timestamptz` in UTC.
    static func timestamp(_ micros: Int64) -> String {
        let days = floorDivide(micros, day)
        let (y, m, d) = civil(days)
        let inDay = micros - days * day
        let seconds = inDay / second, fraction = inDay % second
        var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
        if fraction > 0 {
            var digits = pad(fraction, 6)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "+00:00"
    }

    /// The microseconds of a ``timestamp(_:)`` text; nil for any other shape.
    static func micros(timestamp text: String) -> Int64? {
        guard text.hasSuffix("+00:00"), text.count >= 25 else { return nil }
        let body = text.dropLast(6)
        let parts = body.split(separator: "T")
        guard parts.count == 2, let (y, m, d) = date(String(parts[0])) else { return nil }
        let clock = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        let hms = clock[0].split(separator: ":").compactMap { Int64($0) }
        guard hms.count == 3, clock[0].count == 8, hms[0] < 24, hms[1] < 60, hms[2] < 60, clock.count <= 2 else { return nil }
        var micro: Int64 = 0
        if clock.count == 2 {
            let digits = clock[1]
            guard (1 ... 6).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int64(digits + String(repeating: "0", count: 6 - digits.count)) else { return nil }
            micro = value
        }
        return micros(y, m, d, hms[0], hms[1], hms[2], micro: micro)
    }

    /// `YYYY-MM-DD` as (year, month, day) when it names a real date.
    static func date(_ text: String) -> (Int64, Int64, Int64)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]),
              (1 ... 12).contains(m), (1 ... daysIn(month: m, of: y)).contains(d) else { return nil }
        return (y, m, d)
    }

    /// `YYYY-MM-DD` of a day count since 1970-01-01.
    static func dateString(days: Int64) -> String {
        let (y, m, d) = civil(days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    static func daysIn(month: Int64, of year: Int64) -> Int64 {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
    static func days(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (`civil_from_days`).
    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
