import GRDB

extension Fixtures {
    /// Lumanu's fixtures: workspaces, vendors and payouts.
    static func loadLumanu(into db: Database, random: inout SeededGenerator) throws {}
}
