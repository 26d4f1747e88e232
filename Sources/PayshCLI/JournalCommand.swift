import ArgumentParser

/// `paysh journal` (being written: see issue 4).
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "paysh journal", abstract: "Show the journal of mutations.")
    func run() throws { throw ExitCode.failure }
}
