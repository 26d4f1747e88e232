import Foundation

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
    private let cache = NSLock()
    nonisolated(unsafe) private var revealed: String?

    public init(_ origin: Origin) { self.origin = origin }

    public static func == (a: Secret, b: Secret) -> Bool { a.origin == b.origin }

    /// The value itself. Runs the command (once) or reads the variable.
    public func reveal(environment: [String: String] = ProcessInfo.processInfo.environment) throws(PaymentsError) -> String {
        cache.lock()
        defer { cache.unlock() }
        if let revealed { return revealed }
        let value: String
        switch origin {
        case .literal(let text):
            value = text
        case .environment(let name):
            guard let text = environment[name], !text.isEmpty else {
                throw PaymentsError(kind: .validation, service: "config", operation: "config",
                                    message: "the secret is to come from the environment variable \(name), which is not set")
            }
            value = text
        case .command(let command):
            value = try Self.run(command)
        }
        revealed = value
        return value
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

    static func run(_ command: String) throws(PaymentsError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        func failure(_ why: String) -> PaymentsError {
            PaymentsError(kind: .validation, service: "config", operation: "config", message: "the secret command `\(command)` \(why)")
        }
        do { try process.run() } catch { throw failure("could not start: \(error)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw failure("exited with status \(process.terminationStatus)") }
        let value = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !value.isEmpty else { throw failure("printed nothing") }
        return value
    }
}

/// Where a resolved setting came from, for `paysh config`.
public enum SettingSource: Sendable, Equatable, CustomStringConvertible {
    /// A command-line flag (`--profile`).
    case flag(String)
    /// An environment variable (`LUMEN_API_KEY`).
    case environment(String)
    /// The config file, at this path, in this profile.
    case file(path: String, profile: String)
    /// paysh's built-in default (the sandbox profile, the documents' hosts).
    case builtIn

    public var description: String {
        switch self {
        case .flag(let name): return "flag \(name)"
        case .environment(let name): return "env \(name)"
        case .file(let path, let profile): return "\(path) [\(profile)]"
        case .builtIn: return "built-in"
        }
    }
}

/// Lumanu's settings: OAuth client credentials and the payouts API.
public struct LumanuSettings: Sendable, Equatable {
    public var baseURL: String?
    public var tokenURL: String?
    public var audience: String?
    public var clientID: String?
    public var clientSecret: Secret?
    /// Used when a payout call gives no `workspace_id`.
    public var workspaceID: String?
    public init() {}
    /// Whether everything needed to call the API is there.
    public var isConfigured: Bool { baseURL != nil && tokenURL != nil && audience != nil && clientID != nil && clientSecret != nil }
}

/// Lumen's settings: the merchant secret key.
public struct LumenSettings: Sendable, Equatable {
    public var baseURL: String?
    public var apiKey: Secret?
    public init() {}
    public var isConfigured: Bool { baseURL != nil && apiKey != nil }
}

/// Lumyri's settings: the access token.
public struct LumyriSettings: Sendable, Equatable {
    public var baseURL: String?
    public var accessToken: Secret?
    public init() {}
    public var isConfigured: Bool { baseURL != nil && accessToken != nil }
}

/// A profile after precedence has been applied (flag > environment > file > built-in).
public struct ResolvedProfile: Sendable, Equatable {
    public var name: String
    /// Money-moving calls ask for confirmation on a production profile.
    public var production: Bool
    /// The built-in profile that talks to the local sandbox.
    public var isSandbox: Bool
    public var lumanu: LumanuSettings
    public var lumen: LumenSettings
    public var lumyri: LumyriSettings
    /// Where each setting came from, keyed `service.setting` (`lumen.api_key`).
    public var sources: [String: SettingSource]

    public init(name: String, production: Bool = false, isSandbox: Bool = false, lumanu: LumanuSettings = LumanuSettings(),
                lumen: LumenSettings = LumenSettings(), lumyri: LumyriSettings = LumyriSettings(),
                sources: [String: SettingSource] = [:]) {
        self.name = name
        self.production = production
        self.isSandbox = isSandbox
        self.lumanu = lumanu
        self.lumen = lumen
        self.lumyri = lumyri
        self.sources = sources
    }
}
