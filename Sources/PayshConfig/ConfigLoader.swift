import Foundation
import Glibc
import PaymentsCore

/// The config file as found: where it was looked for, what it says, and the
/// warnings it deserves.
public struct ConfigContents: Sendable {
    public var location: ConfigLocation
    /// Nil when there is no file at the default location.
    public var document: ConfigDocument?
    /// For the user, on stderr, once (`warning: … is readable by others …`).
    public var warnings: [String]
}

/// A resolved profile and what went into it.
public struct LoadedConfig: Sendable {
    public var profile: ResolvedProfile
    public var warnings: [String]
    /// The file that was read; nil when there is none.
    public var path: String?
    /// Where the file is, or would be (`~/.config/paysh/config.lua`), as the user reads it.
    public var displayPath: String
    /// Every profile that can be chosen: `sandbox`, then the file's in name order.
    public var profileNames: [String]
    /// The profile used when neither `--profile` nor `PAYSH_PROFILE` names one.
    public var defaultProfile: String
    public var document: ConfigDocument?
}

/// Reads the config file and resolves the profile to use.
///
/// ```swift
/// let config = try ConfigLoader.load(profile: nil, environment: ProcessInfo.processInfo.environment)
/// config.warnings.forEach { print($0, to: &standardError) }
/// let key = try config.profile.lumen.apiKey?.reveal()
/// ```
public struct ConfigLoader {
    /// `flag` is `--profile`; `environment` supplies `PAYSH_PROFILE`, the
    /// settings' variables and the file's location; `path` overrides the location.
    public static func load(profile flag: String?, environment: [String: String],
                            path: String? = nil) throws(PaymentsError) -> LoadedConfig {
        try load(flags: ProfileFlags(profile: flag), environment: environment, path: path)
    }

    /// The same with every command-line flag that bears on settings.
    public static func load(flags: ProfileFlags, environment: [String: String],
                            path: String? = nil) throws(PaymentsError) -> LoadedConfig {
        let contents = try read(environment: environment, path: path)
        let profile = try ProfileResolver.resolve(flags: flags, environment: environment, document: contents.document)
        return LoadedConfig(
            profile: profile, warnings: contents.warnings,
            path: contents.document == nil ? nil : contents.location.path,
            displayPath: contents.location.displayPath,
            profileNames: ProfileResolver.profileNames(in: contents.document),
            defaultProfile: ProfileResolver.defaultChoice(in: contents.document).name,
            document: contents.document)
    }

    /// Find and read the file without choosing a profile (for listing them).
    /// A missing file is no error unless it was named (`PAYSH_CONFIG`, `path`).
    public static func read(environment: [String: String], path: String? = nil) throws(PaymentsError) -> ConfigContents {
        let location = ConfigLocation.find(environment: environment, path: path)
        guard let file = try FileContents(reading: location) else {
            return ConfigContents(location: location, document: nil, warnings: [])
        }
        let document = try ConfigFile.parse(file.bytes, path: location.displayPath)
        var warnings: [String] = []
        if file.mode & 0o044 != 0, document.holdsLiteralSecrets {
            warnings.append("warning: \(location.displayPath) holds secrets and is readable by others; "
                + "run chmod 600 \(shellWord(location))")
        }
        return ConfigContents(location: location, document: document, warnings: warnings)
    }

    /// The path as a word a shell reads back unchanged (keeping `~/` when it can).
    static func shellWord(_ location: ConfigLocation) -> String {
        let plain = { (text: Substring) in
            text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/._-+,@%".unicodeScalars.contains($0)) }
        }
        if location.displayPath.hasPrefix("~/"), plain(location.displayPath.dropFirst(2)) { return location.displayPath }
        if plain(location.path[...]) { return location.path }
        return "'" + location.path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The bytes and permission bits of a file, read through one descriptor.
struct FileContents {
    var bytes: [UInt8]
    var mode: mode_t

    /// Nil when the file does not exist at a location that was not named.
    init?(reading location: ConfigLocation) throws(PaymentsError) {
        let where_ = location.displayPath
        let fd = open(location.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT, !location.isExplicit { return nil }
            throw ConfigDocument.error("\(where_): cannot read the config file: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ConfigDocument.error("\(where_): cannot read the config file: \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ConfigDocument.error("\(where_): the config file is not a regular file")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw ConfigDocument.error("\(where_): cannot read the config file: \(String(cString: strerror(errno)))")
            }
            bytes += buffer[0 ..< n]
        }
        self.bytes = bytes
        self.mode = info.st_mode
    }
}
