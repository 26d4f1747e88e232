import GRDB

extension Fixtures {
    /// Lumyri's fixtures: companies, cards, billing information, invoices.
    static func loadLumyri(into db: Database, random: inout SeededGenerator) throws {}
}
