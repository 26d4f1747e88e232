import Foundation

/// Where the config file is: `$PAYSH_CONFIG`, else
/// `$XDG_CONFIG_HOME/paysh/config.lua`, else `~/.config/paysh/config.lua`.
public struct ConfigLocation: Sendable, Equatable {
    /// The file's full path.
    public var path: String
    /// Named on purpose (`PAYSH_CONFIG`, or a path given by the caller), so
    /// that its absence is an error rather than "no config file".
    public var isExplicit: Bool
    /// The path as the user reads it: the home directory written `~`.
    public var displayPath: String

    public init(path: String, isExplicit: Bool, home: String?) {
        self.path = path
        self.isExplicit = isExplicit
        if let home, home.count > 1, path.hasPrefix(home.hasSuffix("/") ? home : home + "/") {
            displayPath = "~/" + path.dropFirst(home.hasSuffix("/") ? home.count : home.count + 1)
        } else {
            displayPath = path
        }
    }

    public static let pathVariable = "PAYSH_CONFIG"

    /// The location `environment` points to; `path`, when given, wins over all of it.
    public static func find(environment: [String: String], path: String? = nil) -> ConfigLocation {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        if let path { return ConfigLocation(path: path, isExplicit: true, home: home) }
        if let named = environment[pathVariable], !named.isEmpty {
            return ConfigLocation(path: named, isExplicit: true, home: home)
        }
        return ConfigLocation(path: directory(environment: environment) + "/config.lua", isExplicit: false, home: home)
    }

    /// paysh's config folder: `$XDG_CONFIG_HOME/paysh`, else `~/.config/paysh`.
    /// (XDG: a relative `XDG_CONFIG_HOME` is invalid and ignored.)
    public static func directory(environment: [String: String]) -> String {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (home ?? NSHomeDirectory()) + "/.config"
        return base + "/paysh"
    }
}
