import Foundation
import Synchronization

/// A secret (client secret, API key, access token) and where it comes from.
/// Its value is read only when a request needs it (`reveal()`), so that a
/// command configured to print it runs only when that service is used, and
/// it never appears in a description: `String(describing:)` masks it.
public final class Secret: Sendable, CustomStringConvertible, Equatable {
    public enum Origin: Sendable, Equatable {
        /// Written in the config file (or given as a flag or variable value).
        case literal(String)
        /// Read from this environment variable.
        case environment(String)
        /// The first line of this shell command's output (`pass show lumanu/secret`).
        case command(String)
    }

    public let origin: Origin
    /// The setting this secret is for (`lumen.api_key`), named in errors.
    public let setting: String?
    /// The value once read: a command runs at most once, even when several tasks ask together.
    private let revealed = Mutex<String?>(nil)

    public init(_ origin: Origin, setting: String? = nil) {
        self.origin = origin
        self.setting = setting
    }

    public static func == (a: Secret, b: Secret) -> Bool { a.origin == b.origin }

    /// The value itself. Runs the command (once) or reads the variable.
    /// A failure says what went wrong without the value: a variable that is
    /// not set or empty, a command that could not start, failed, or printed nothing.
    public func reveal(environment: [String: String] = ProcessInfo.processInfo.environment) throws(PaymentsError) -> String {
        try revealed.withLock { (revealed: inout String?) throws(PaymentsError) -> String in
            if let revealed { return revealed }
            let value: String
            switch origin {
            case .literal(let text):
                value = text
            case .environment(let name):
                guard let text = environment[name], !text.isEmpty else {
                    let state = environment[name] == nil ? "which is not set" : "which is empty"
                    throw failure("the secret is to come from the environment variable \(name), \(state)")
                }
                value = text
            case .command(let command):
                value = try Self.run(command, failure: failure)
            }
            revealed = value
            return value
        }
    }

    /// At most the first 4 characters of a literal value and its length; for other origins, where it comes from.
    public var description: String {
        switch origin {
        case .literal(let text): return Self.mask(text)
        case .environment(let name): return "(from $\(name))"
        case .command(let command): return "(from command: \(command))"
        }
    }

    /// `sk_s…(24 chars)`: enough to tell two keys apart, never enough to use one.
    public static func mask(_ text: String) -> String {
        text.count <= 8 ? "****" : String(text.prefix(4)) + "…(\(text.count) chars)"
    }

    private func failure(_ message: String) -> PaymentsError {
        PaymentsError(kind: .validation, service: "config", operation: setting ?? "config", message: message)
    }

    /// Run `command` with `/bin/sh -c` and keep the first line of its output,
    /// without surrounding blanks. Its stderr is the user's, so that a password
    /// manager's own complaint (or prompt) reaches them.
    static func run(_ command: String, failure: (String) -> PaymentsError) throws(PaymentsError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        let named = "the secret command `\(command)`"
        do { try process.run() } catch { throw failure("\(named) could not start: \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        switch process.terminationReason {
        case .uncaughtSignal:
            throw failure("\(named) was killed by signal \(process.terminationStatus)")
        case .exit where process.terminationStatus != 0:
            throw failure("\(named) exited with status \(process.terminationStatus)")
        default:
            break
        }
        let text = String(decoding: data, as: UTF8.self)
        let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let value = firstLine.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw failure(text.isEmpty ? "\(named) printed nothing" : "\(named) printed nothing on its first line")
        }
        return value
    }
}
