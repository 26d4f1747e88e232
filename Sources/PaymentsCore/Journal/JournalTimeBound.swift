import Foundation

/// The times a person gives `paysh journal --since/--until`: a duration ago
/// (`30m`, `12h`, `1d`, `2w`, `90s`), a date (`2026-11-01`, local time) or a
/// time (`2026-11-01T10:00`, `2026-11-01T10:00:00Z`, `2026-11-01 10:00:00+02:00`;
/// local time without a zone).
public enum JournalTimeBound {
    /// What a caller should quote when the text is none of these.
    public static let acceptedForms = "a duration ago (30m, 12h, 1d, 2w) or a date or time (2026-11-01, 2026-11-01T10:00:00Z)"

    /// The moment `text` names, seen from `now`. A date alone is the start of
    /// that day; with `endOfDay` (for an upper bound) it is the start of the
    /// next, so that `--until 2026-11-01` includes the whole of that day.
    /// Nil when `text` is not one of the accepted forms or names no real time.
    public static func parse(_ text: String, now: Date, endOfDay: Bool = false) -> Date? {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        if let ago = duration(bytes) { return now.addingTimeInterval(-ago) }
        return moment(bytes, endOfDay: endOfDay)
    }

    /// `N` followed by one unit letter, in seconds.
    static func duration(_ bytes: [UInt8]) -> TimeInterval? {
        guard let unit = bytes.last, let count = JournalTimestamp.number(bytes.dropLast()), bytes.count <= 10 else { return nil }
        let seconds: [UInt8: TimeInterval] = [
            UInt8(ascii: "s"): 1, UInt8(ascii: "m"): 60, UInt8(ascii: "h"): 3600, UInt8(ascii: "d"): 86400, UInt8(ascii: "w"): 604_800,
        ]
        return seconds[unit].map { TimeInterval(count) * $0 }
    }

    /// `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM`, `:SS`,
    /// `.fff`, and a zone (`Z`, `±HH:MM`, `±HHMM`).
    static func moment(_ b: [UInt8], endOfDay: Bool) -> Date? {
        guard b.count >= 10, b[4] == ASCIIByte.dash, b[7] == ASCIIByte.dash,
              let year = JournalTimestamp.number(b[0 ..< 4]), let month = JournalTimestamp.number(b[5 ..< 7]),
              let day = JournalTimestamp.number(b[8 ..< 10]),
              (1 ... 12).contains(month), (1 ... daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        if b.count == 10 {
            if endOfDay { parts.tm_mday += 1 }
            return local(&parts)
        }
        guard b.count >= 16, b[10] == UInt8(ascii: "T") || b[10] == ASCIIByte.space, b[13] == ASCIIByte.colon,
              let hour = JournalTimestamp.number(b[11 ..< 13]), let minute = JournalTimestamp.number(b[14 ..< 16]),
              hour < 24, minute < 60
        else { return nil }
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        var rest = b[16...]
        var fraction: TimeInterval = 0
        if rest.first == ASCIIByte.colon {
            guard rest.count >= 3, let second = JournalTimestamp.number(rest.dropFirst().prefix(2)), second < 60 else { return nil }
            parts.tm_sec = Int32(second)
            rest = rest.dropFirst(3)
            if rest.first == ASCIIByte.dot {
                let digits = rest.dropFirst().prefix { ASCIIByte.isDigit($0) }
                guard !digits.isEmpty, let value = JournalTimestamp.number(digits.prefix(9)) else { return nil }
                fraction = TimeInterval(value) / pow(10, TimeInterval(min(digits.count, 9)))
                rest = rest.dropFirst(1 + digits.count)
            }
        }
        if rest.isEmpty { return local(&parts)?.addingTimeInterval(fraction) }
        guard let offset = zoneOffset(rest) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)) - offset + fraction)
    }

    /// `Z`, `±HH:MM` or `±HHMM`, in seconds east of UTC.
    static func zoneOffset(_ zone: ArraySlice<UInt8>) -> TimeInterval? {
        if zone.count == 1, zone.first == UInt8(ascii: "Z") || zone.first == UInt8(ascii: "z") { return 0 }
        guard let sign = zone.first, sign == UInt8(ascii: "+") || sign == ASCIIByte.dash else { return nil }
        var digits = Array(zone.dropFirst())
        if digits.count == 5, digits[2] == ASCIIByte.colon { digits.remove(at: 2) }
        guard digits.count == 4, let hours = JournalTimestamp.number(digits[0 ..< 2]),
              let minutes = JournalTimestamp.number(digits[2 ..< 4]), hours < 24, minutes < 60
        else { return nil }
        let seconds = TimeInterval(hours * 3600 + minutes * 60)
        return sign == ASCIIByte.dash ? -seconds : seconds
    }

    /// Broken-down local time as a moment (mktime normalises a day past the month's end).
    static func local(_ parts: inout tm) -> Date? {
        parts.tm_isdst = -1
        let seconds = mktime(&parts)
        return seconds == -1 ? nil : Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
