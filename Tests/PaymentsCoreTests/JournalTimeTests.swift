import Foundation
@testable import PaymentsCore
import Testing

/// How the journal writes times, and the times `paysh journal` accepts.
@Suite struct JournalTimeTests {
    static let now = Date(timeIntervalSince1970: 1_793_520_000) // 2026-11-01T08:00:00Z

    @Test func storedTimesAreFixedWidthUTCToTheMillisecond() {
        #expect(JournalTimestamp.text(Self.now) == "2026-11-01T08:00:00.000Z")
        #expect(JournalTimestamp.text(Self.now.addingTimeInterval(3.2507)) == "2026-11-01T08:00:03.250Z")
        #expect(JournalTimestamp.text(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
        let odd = Self.now.addingTimeInterval(86_399.125)
        #expect(JournalTimestamp.date(JournalTimestamp.text(odd)) == odd)
        for bad in ["", "2026-11-01T08:00:00Z", "2026-11-01 08:00:00.000Z", "2026-11-01T08:00:00.00xZ"] {
            #expect(JournalTimestamp.date(bad) == nil, "\(bad)")
        }
    }

    @Test(arguments: [("90s", 90.0), ("30m", 1800), ("12h", 43_200), ("1d", 86_400), ("2w", 1_209_600), ("0m", 0)])
    func durationsCountBack(text: String, seconds: Double) {
        #expect(JournalTimeBound.parse(text, now: Self.now) == Self.now.addingTimeInterval(-seconds))
    }

    @Test(arguments: [
        ("2026-11-01T10:00:00Z", 1_793_527_200.0),
        ("2026-11-01T10:00Z", 1_793_527_200),
        ("2026-11-01 10:00:00z", 1_793_527_200),
        ("2026-11-01T10:00:00.250Z", 1_793_527_200.25),
        ("2026-11-01T12:00:00+02:00", 1_793_527_200),
        ("2026-11-01T05:30-0430", 1_793_527_200),
        ("2024-02-29T00:00:00Z", 1_709_164_800),
    ])
    func timesWithAZoneAreExact(text: String, epoch: Double) {
        #expect(JournalTimeBound.parse(text, now: Self.now) == Date(timeIntervalSince1970: epoch))
    }

    @Test func datesAndTimesWithoutAZoneAreLocal() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone.current
        let midnight = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 1)))
        #expect(JournalTimeBound.parse("2026-11-01", now: Self.now) == midnight)
        #expect(JournalTimeBound.parse("2026-11-01", now: Self.now, endOfDay: true)
            == calendar.date(byAdding: .day, value: 1, to: midnight))
        #expect(JournalTimeBound.parse("2026-11-01T10:15", now: Self.now)
            == calendar.date(from: DateComponents(year: 2026, month: 11, day: 1, hour: 10, minute: 15)))
        #expect(JournalTimeBound.parse("2026-12-31", now: Self.now, endOfDay: true)
            == calendar.date(from: DateComponents(year: 2027, month: 1, day: 1)), "the day after the year's last")
    }

    @Test(arguments: ["", "yesterday", "1y", "d", "-1d", "1.5h", "2026-13-01", "2026-02-29", "2026-04-31", "2026-11-1",
                      "2026-11-01T24:00Z", "2026-11-01T10:60Z", "2026-11-01T10:00:61Z", "2026-11-01T10", "2026-11-01T10:00+25:00",
                      "2026-11-01T10:00 UTC", "2026-11-01T10:00:00.Z", "99999999999d"])
    func anythingElseIsRefused(text: String) {
        #expect(JournalTimeBound.parse(text, now: Self.now) == nil)
    }
}
