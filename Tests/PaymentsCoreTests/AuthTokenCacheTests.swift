import Foundation
import PaymentsCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The disk token cache: where it lives, file modes, what it refuses to read.
@Suite struct AuthTokenCacheTests {
    static let key = TokenCache.Key(profile: "staging", clientID: "client-id-visible-nowhere",
                                    tokenURL: "https://auth.example/oauth/token", audience: "https://api.example/graphql")

    static func token(expiresIn seconds: TimeInterval = 3600, value: String = "eyJ.token-value.sig") -> AccessToken {
        let now = Date()
        return AccessToken(value: value, obtainedAt: now, expiresAt: now.addingTimeInterval(seconds))
    }

    static func write(_ text: String, to path: String, mode: mode_t) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, mode) == 0)
    }

    /// Whole seconds, as the file keeps them.
    static func seconds(_ token: AccessToken) -> AccessToken {
        AccessToken(value: token.value, obtainedAt: Date(timeIntervalSince1970: token.obtainedAt.timeIntervalSince1970.rounded(.down)),
                    expiresAt: Date(timeIntervalSince1970: token.expiresAt.timeIntervalSince1970.rounded(.down)))
    }

    @Test func aStoredTokenIsFoundInAPrivateFileOfAPrivateDirectory() async throws {
        try await AuthTestSupport.withDirectory { directory in
            let cache = TokenCache(directory: directory + "/paysh/tokens")
            let token = Self.token()
            try cache.store(token, for: Self.key)
            #expect(cache.lookUp(Self.key, now: Date()) == .found(Self.seconds(token)))
            #expect(AuthTestSupport.mode(cache.directory) == 0o700)
            #expect(AuthTestSupport.mode(directory + "/paysh") == 0o700, "the directories paysh creates are private too")
            #expect(AuthTestSupport.mode(cache.path(for: Self.key)) == 0o600)
            let names = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
            #expect(names == [Self.key.fileName], "no temporary file is left behind")
        }
    }

    @Test func fileNamesRevealNeitherTheClientIDNorTheEndpoint() async throws {
        try await AuthTestSupport.withDirectory { directory in
            let cache = TokenCache(directory: directory)
            let other = TokenCache.Key(profile: "prod", clientID: "another-client", tokenURL: Self.key.tokenURL, audience: Self.key.audience)
            try cache.store(Self.token(), for: Self.key)
            try cache.store(Self.token(), for: other)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(names.count == 2, "one file per key")
            for name in names {
                #expect(name.wholeMatch(of: /[0-9a-f]{16}\.json/) != nil, "\(name)")
                #expect(!name.contains("client") && !name.contains("example") && !name.contains("staging"))
            }
        }
    }

    @Test func theFileNameIsStableAndDiffersPerKey() {
        #expect(Self.key.fileName == TokenCache.Key(profile: "staging", clientID: "client-id-visible-nowhere",
                                                    tokenURL: "https://auth.example/oauth/token",
                                                    audience: "https://api.example/graphql").fileName)
        var other = Self.key
        for change in [{ (k: inout TokenCache.Key) in k.profile = "prod" }, { $0.clientID = "x" }, { $0.tokenURL = "x" }, { $0.audience = "x" }] {
            other = Self.key
            change(&other)
            #expect(other.fileName != Self.key.fileName)
        }
    }

    @Test func aCorruptFileIsIgnoredAndReplaced() async throws {
        try await AuthTestSupport.withDirectory { directory in
            let cache = TokenCache(directory: directory)
            try cache.store(Self.token(), for: Self.key)
            try Self.write(#"{"access_token": "half-writ"#, to: cache.path(for: Self.key), mode: 0o600)
            #expect(cache.lookUp(Self.key, now: Date()) == .ignored("the file is not a token written by paysh"))
            let token = Self.token(value: "a-new-token-value")
            try cache.store(token, for: Self.key)
            #expect(cache.lookUp(Self.key, now: Date()) == .found(Self.seconds(token)))
        }
    }

    @Test func aFileOthersCanReadIsIgnoredAndReplacedByAPrivateOne() async throws {
        try await AuthTestSupport.withDirectory { directory in
            let cache = TokenCache(directory: directory)
            try cache.store(Self.token(), for: Self.key)
            let path = cache.path(for: Self.key)
            #expect(chmod(path, 0o644) == 0)
            #expect(cache.lookUp(Self.key, now: Date()) == .ignored("the file's mode is 644, not 600"))
            try cache.store(Self.token(), for: Self.key)
            #expect(AuthTestSupport.mode(path) == 0o600)
            guard case .found = cache.lookUp(Self.key, now: Date()) else { Issue.record("the replaced file is read"); return }
        }
    }

    @Test func anotherClientsTokenIsNotUsed() async throws {
        try await AuthTestSupport.withDirectory { directory in
            let cache = TokenCache(directory: directory)
            let other = TokenCache.Key(profile: Self.key.profile, clientID: "another-client", tokenURL: Self.key.tokenURL,
                                       audience: Self.key.audience)
            try cache.store(Self.token(), for: other)
            // The other client's file put where this key's file belongs.
            #expect(rename(cache.path(for: other), cache.path(for: Self.key)) == 0)
            #expect(cache.lookUp(Self.key, now: Date())
                == .ignored("the file holds the token of another client, endpoint, audience or profile"))
        }
    }

    @Test func anExpiredTokenIsNotUsed() async throws {
        try await AuthTestSupport.withDirectory { directory in
            let cache = TokenCache(directory: directory)
            try cache.store(Self.token(expiresIn: 30), for: Self.key)
            #expect(cache.lookUp(Self.key, now: Date().addingTimeInterval(60)) == .ignored("the token has expired"))
            #expect(cache.lookUp(TokenCache.Key(profile: "none", clientID: "c", tokenURL: "u", audience: "a"), now: Date()) == .missing)
        }
    }

    @Test func aSymbolicLinkIsNotFollowed() async throws {
        try await AuthTestSupport.withDirectory { directory in
            let cache = TokenCache(directory: directory)
            try cache.store(Self.token(), for: Self.key)
            let path = cache.path(for: Self.key)
            #expect(rename(path, directory + "/elsewhere.json") == 0)
            #expect(symlink(directory + "/elsewhere.json", path) == 0)
            #expect(cache.lookUp(Self.key, now: Date()) == .ignored("the file is a symbolic link"))
        }
    }

    @Test(.enabled(if: geteuid() == 0, "giving a file to another user needs root"))
    func aFileOfAnotherUserIsNotUsed() async throws {
        try await AuthTestSupport.withDirectory { directory in
            let cache = TokenCache(directory: directory)
            try cache.store(Self.token(), for: Self.key)
            #expect(chown(cache.path(for: Self.key), 65534, 65534) == 0)
            #expect(cache.lookUp(Self.key, now: Date()) == .ignored("the file belongs to another user (uid 65534)"))
        }
    }

    @Test func anExistingDirectoryIsMadePrivate() async throws {
        try await AuthTestSupport.withDirectory { directory in
            #expect(mkdir(directory, 0o755) == 0 && chmod(directory, 0o755) == 0)
            try TokenCache(directory: directory).store(Self.token(), for: Self.key)
            #expect(AuthTestSupport.mode(directory) == 0o700)
        }
    }

    @Test func aFileInTheWayOfTheDirectoryIsAClearError() async throws {
        try await AuthTestSupport.withDirectory { directory in
            try Self.write("not a directory", to: directory, mode: 0o600)
            #expect {
                try TokenCache(directory: directory + "/tokens").store(Self.token(), for: Self.key)
            } throws: { error in
                let error = error as? PaymentsError
                return error?.operation == "token_cache" && error?.message.contains("could not keep the token in \(directory)/tokens") == true
                    && error?.message.contains(Self.token().value) == false
            }
        }
    }

    @Test func removingDropsTheFileOnlyIfItStillHoldsThatToken() async throws {
        try await AuthTestSupport.withDirectory { directory in
            let cache = TokenCache(directory: directory)
            try cache.store(Self.token(value: "newer-token-value"), for: Self.key)
            #expect(!cache.remove(Self.key, holding: "older-token-value"), "another process stored a newer token since")
            #expect(FileManager.default.fileExists(atPath: cache.path(for: Self.key)))
            #expect(cache.remove(Self.key, holding: "newer-token-value"))
            #expect(cache.lookUp(Self.key, now: Date()) == .missing)
        }
    }

    @Test func theUsualPlaceFollowsXDGThenHome() {
        #expect(TokenCache(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"])?.directory == "/x/cache/paysh/tokens")
        #expect(TokenCache(environment: ["XDG_CACHE_HOME": "relative/ignored", "HOME": "/home/u"])?.directory
            == "/home/u/.cache/paysh/tokens")
        #expect(TokenCache(environment: ["HOME": "/home/u"])?.directory == "/home/u/.cache/paysh/tokens")
        #expect(TokenCache(environment: [:]) == nil)
    }
}
