import Foundation
import JSON

/// Lumyri's payments API: cards, billing information, invoices.
///
/// ```swift
/// let lumyri = LumyriClient(connection: connection)
/// for try await invoice in try lumyri.invoices(InvoiceFilter(status: "Processing")) {
///     let paid = try await lumyri.payInvoice(id: invoice.id)
///     print(paid.id, paid.total, paid.status)
/// }
/// ```
///
/// The card calls are in `LumyriClient+Cards.swift`, billing information
/// and invoices in their own files.
public struct LumyriClient: Sendable {
    public let connection: ServiceConnection
    /// The time a card's expiry is checked against (replaced in tests).
    public let now: @Sendable () -> Date
    let caller: Caller

    public init(connection: ServiceConnection, now: @escaping @Sendable () -> Date = { Date() }) {
        precondition(connection.service == .lumyri, "a LumyriClient needs a connection to lumyri, not \(connection.service)")
        self.connection = connection
        self.now = now
        caller = Caller(connection: connection)
    }

    /// Under `--dry-run`, mutations answer a made-up object; the ones that
    /// change an existing object read it first (reads are still sent) so the
    /// made-up answer shows it as the change would leave it.
    var isDryRun: Bool { connection.dryRun != nil }

    static func path(_ base: String, _ id: String, _ tail: String = "") -> String {
        base + "/" + PercentEncoding.pathSegment(id) + tail
    }

    static func dryRunID() -> String { "dry-run-" + UUID().uuidString.lowercased() }
}
