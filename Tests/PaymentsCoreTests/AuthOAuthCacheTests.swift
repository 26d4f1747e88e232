import Foundation
import PaymentsCore
import Sandbox
import Testing

/// Tokens shared between processes through the disk cache, against the sandbox.
@Suite struct AuthOAuthCacheTests {
    typealias Support = AuthTestSupport

    /// Run `body` with a sandbox, a transport and a token cache in a fresh directory (not created yet).
    static func withCache(_ body: (RunningSandbox, Transport, TokenCache) async throws -> Void) async throws {
        try await Support.withDirectory { directory in
            try await Support.withSandbox { sandbox, transport in
                try await body(sandbox, transport, TokenCache(directory: directory + "/tokens"))
            }
        }
    }

    @Test func aSecondInstanceReusesTheTokenOnDisk() async throws {
        try await Self.withCache { sandbox, transport, cache in
            let first = try await Support.oauth(sandbox, transport, cache: cache).authorization()
            // As the next one-liner would: a new authorizer, the same cache.
            let again = try await Support.oauth(sandbox, transport, cache: cache).authorization()
            #expect(again == first)
            #expect(Support.tokensIssued(sandbox) == 1)

            #expect(Support.mode(cache.directory) == 0o700)
            let names = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
            #expect(names.count == 1)
            for name in names {
                #expect(Support.mode(cache.directory + "/" + name) == 0o600)
                #expect(!name.contains(SandboxCredentials.lumanuClientID) && !name.contains("paysh-sandbox"))
            }

            let otherProfile = try await Support.oauth(sandbox, transport, profile: "other", cache: cache).authorization()
            #expect(otherProfile != first, "another profile has its own token")
            #expect(Support.tokensIssued(sandbox) == 2)
        }
    }

    @Test func anUntrustworthyFileIsNotUsedAndIsReplaced() async throws {
        try await Self.withCache { sandbox, transport, cache in
            try FileManager.default.createDirectory(atPath: cache.directory, withIntermediateDirectories: true)
            let key = Support.oauth(sandbox, transport, cache: cache).cacheKey
            let path = cache.path(for: key)
            let planted = AccessToken(value: "planted-token-value", obtainedAt: Date(), expiresAt: Date().addingTimeInterval(3600))
            let spoilers: [(String, () throws -> Void)] = [
                ("corrupt", {
                    try Data("{\"access_token\":".utf8).write(to: URL(fileURLWithPath: path))
                    #expect(chmod(path, 0o600) == 0)
                }),
                ("readable by others", {
                    try cache.store(planted, for: key)
                    #expect(chmod(path, 0o644) == 0)
                }),
                ("another client's", {
                    let other = TokenCache.Key(profile: key.profile, clientID: "another-client", tokenURL: key.tokenURL, audience: key.audience)
                    try cache.store(planted, for: other)
                    #expect(rename(cache.path(for: other), path) == 0)
                }),
            ]
            for (issued, (what, spoil)) in spoilers.enumerated() {
                try spoil()
                let header = try await Support.oauth(sandbox, transport, cache: cache).authorization()
                #expect(header != "Bearer planted-token-value", "a \(what) file")
                #expect(Support.tokensIssued(sandbox) == issued + 1, "a \(what) file")
                let reread = try await Support.oauth(sandbox, transport, cache: cache).token()
                #expect(header == reread.authorization && cache.lookUp(key, now: Date()) == .found(reread),
                        "the \(what) file was replaced by the new token")
                #expect(Support.mode(path) == 0o600)
            }
        }
    }

    @Test func aRejectedTokenLeavesTheDiskToo() async throws {
        try await Self.withCache { sandbox, transport, cache in
            let oauth = Support.oauth(sandbox, transport, cache: cache)
            let header = try await oauth.authorization()
            #expect(await oauth.rejected("Bearer some-other-token"), "a fresh token may still work")
            guard case .found = cache.lookUp(oauth.cacheKey, now: Date()) else {
                Issue.record("rejecting a token that is not the current one must keep the current one")
                return
            }
            #expect(await oauth.rejected(header))
            #expect(cache.lookUp(oauth.cacheKey, now: Date()) == .missing)
            #expect(try await oauth.authorization() != header)
            #expect(Support.tokensIssued(sandbox) == 2)
        }
    }

    @Test func aRejectedTokenIsNotTakenBackFromTheDisk() async throws {
        try await Self.withCache { sandbox, transport, cache in
            let oauth = Support.oauth(sandbox, transport, cache: cache)
            let stale = try await oauth.token()
            #expect(await oauth.rejected(stale.authorization))
            // Another process, still believing in it, writes it back before this one fetches a new token.
            try cache.store(stale, for: oauth.cacheKey)
            #expect(try await oauth.authorization() != stale.authorization)
            #expect(Support.tokensIssued(sandbox) == 2)
        }
    }
}
