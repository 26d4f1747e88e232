import Foundation
@testable import PaymentsCore
@testable import PayshLua
import Testing

/// How long a batch taken up again waits before looking up the items a
/// stopped run left `sent`: until `settle` seconds have passed since the
/// latest was sent, so that a request of that run the server is still
/// handling is not missed by the look-up (and its item paid twice).
@Suite struct BatchSettleTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func item(_ key: String, _ state: BatchLedger.State, secondsAgo: Double) -> BatchLedger.Item {
        BatchLedger.Item(key: key, position: 1, state: state, attempts: 1, remoteID: nil, reason: nil, retryable: false,
                         updatedAt: JournalTimestamp.text(now.addingTimeInterval(-secondsAgo)))
    }

    @Test func itWaitsOutTheWindowFromTheLatestSentItem() {
        let sent = [Self.item("a", .sent, secondsAgo: 4), Self.item("b", .sent, secondsAgo: 1.5)]
        #expect(abs(BatchRun.settling(sent, window: 5, now: Self.now) - 3.5) < 0.01)
    }

    @Test func nothingSentOrSentLongAgoOrNoWindowMeansNoWait() {
        #expect(BatchRun.settling([], window: 5, now: Self.now) == 0)
        #expect(BatchRun.settling([Self.item("a", .sent, secondsAgo: 60)], window: 5, now: Self.now) == 0)
        #expect(BatchRun.settling([Self.item("a", .sent, secondsAgo: 1)], window: 0, now: Self.now) == 0)
    }

    @Test func aClockThatWentBackNeverWaitsLongerThanTheWindow() {
        #expect(BatchRun.settling([Self.item("a", .sent, secondsAgo: -30)], window: 5, now: Self.now) == 5)
    }
}
