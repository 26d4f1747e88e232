import ArgumentParser

/// Parse and run a subcommand with swift-argument-parser; errors and help
/// print as it formats them, prefixed by the command's name, and turn into
/// the exit status (0 for help, 64 for usage errors, 1 for failures).
func runSubcommand<Command: ParsableCommand>(_: Command.Type, _ arguments: [[UInt8]]) -> Int32 {
    let words = arguments.map { String(decoding: $0, as: UTF8.self) }
    do {
        var command = try Command.parseAsRoot(words)
        try command.run()
        return 0
    } catch {
        let code = Command.exitCode(for: error)
        var message = Command.fullMessage(for: error)
        guard !message.isEmpty else { return code.rawValue }
        if code == .success {
            Console.out(message + "\n")
        } else {
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            Console.error("\(Command.configuration.commandName ?? "paysh"): " + message + "\n")
        }
        return code.rawValue
    }
}
