import ArgumentParser

/// `paysh config` (being written: see issue 4).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "paysh config", abstract: "Show the resolved profile.")
    func run() throws { throw ExitCode.failure }
}
