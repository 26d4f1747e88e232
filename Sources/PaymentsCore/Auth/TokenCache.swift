import Foundation
import JSON

/// Access tokens kept on disk between runs, so that consecutive one-liners
/// (each its own process) share a token instead of fetching one each.
///
/// One file per ``Key`` under `$XDG_CACHE_HOME/paysh/tokens/` (else
/// `~/.cache/paysh/tokens/`): the directory is mode 0700, each file 0600,
/// written atomically (a 0600 temporary file renamed over the old one). A file
/// that is not a regular file of this user with mode 0600, that cannot be
/// read, that belongs to another key or whose token has expired is ignored,
/// and replaced by the next token stored.
public struct TokenCache: Sendable {
    /// The directory holding the token files.
    public let directory: String

    /// A cache in `directory` (created on first store, mode 0700).
    public init(directory: String) {
        self.directory = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// The cache in its usual place: `$XDG_CACHE_HOME/paysh/tokens` when that
    /// variable holds an absolute path, else `$HOME/.cache/paysh/tokens`; nil without either.
    public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            self.init(directory: cache + "/paysh/tokens")
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            self.init(directory: home + "/.cache/paysh/tokens")
        } else {
            return nil
        }
    }

    /// What a look-up found.
    public enum Lookup: Sendable, Equatable {
        /// A token of this key, not expired.
        case found(AccessToken)
        /// No file for this key.
        case missing
        /// A file that must not be used, and why.
        case ignored(String)
    }

    /// The path of `key`'s file.
    public func path(for key: Key) -> String { directory + "/" + key.fileName }

    /// The token stored for `key`, if it can be trusted and is still valid at `now`.
    public func lookUp(_ key: Key, now: Date) -> Lookup {
        let bytes: [UInt8]
        switch CacheFile.readPrivate(path(for: key)) {
        case .missing: return .missing
        case .refused(let why): return .ignored(why)
        case .read(let content): bytes = content
        }
        guard let parsed = try? bytes.withUnsafeBytes({ raw throws(JSONError) in try JSONValue(parsing: raw) }),
              let value = parsed["access_token"]?.stringValue, !value.isEmpty,
              let obtained = parsed["obtained_at"]?.doubleValue, let expires = parsed["expires_at"]?.doubleValue
        else { return .ignored("the file is not a token written by paysh") }
        guard parsed["client_id"]?.stringValue == key.clientID, parsed["token_url"]?.stringValue == key.tokenURL,
              parsed["audience"]?.stringValue == key.audience, parsed["profile"]?.stringValue == key.profile
        else { return .ignored("the file holds the token of another client, endpoint, audience or profile") }
        let token = AccessToken(value: value, obtainedAt: Date(timeIntervalSince1970: obtained),
                                expiresAt: Date(timeIntervalSince1970: expires))
        guard token.expiresAt > now else { return .ignored("the token has expired") }
        return .found(token)
    }

    /// Keep `token` for `key`, replacing what was there.
    public func store(_ token: AccessToken, for key: Key) throws(PaymentsError) {
        let content: JSONValue = [
            "access_token": .string(token.value),
            "obtained_at": .integer(Int64(token.obtainedAt.timeIntervalSince1970.rounded(.down))),
            "expires_at": .integer(Int64(token.expiresAt.timeIntervalSince1970.rounded(.down))),
            "client_id": .string(key.clientID),
            "token_url": .string(key.tokenURL),
            "audience": .string(key.audience),
            "profile": .string(key.profile),
        ]
        do {
            try CacheFile.makePrivateDirectory(directory)
            try CacheFile.writePrivate(path(for: key), content: (try? content.encoded()) ?? [])
        } catch {
            throw PaymentsError(kind: .validation, service: "auth", operation: "token_cache",
                                message: "could not keep the token in \(directory): \(error.reason)")
        }
    }

    /// Remove `key`'s file if it still holds `token` (another process may have
    /// stored a newer one since). Returns whether a file was removed.
    @discardableResult
    public func remove(_ key: Key, holding token: String) -> Bool {
        guard case .found(let stored) = lookUp(key, now: .distantPast), stored.value == token else { return false }
        return unlink(path(for: key)) == 0
    }
}
