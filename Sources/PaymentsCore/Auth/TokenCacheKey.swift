extension TokenCache {
    /// What a cached token belongs to: a token is reused only by the same
    /// profile, for the same client, from the same token endpoint, for the same audience.
    public struct Key: Sendable, Hashable {
        public var profile: String
        public var clientID: String
        public var tokenURL: String
        public var audience: String

        public init(profile: String, clientID: String, tokenURL: String, audience: String) {
            self.profile = profile
            self.clientID = clientID
            self.tokenURL = tokenURL
            self.audience = audience
        }

        /// `<16 hex digits>.json`: a stable hash of the key, so that a listing of
        /// the cache shows neither the client id nor the endpoint.
        public var fileName: String {
            let text = ["paysh-token-v1", profile, clientID, tokenURL, audience].joined(separator: "\u{0}")
            return Self.fnv1a64(Array(text.utf8)) + ".json"
        }

        /// FNV-1a, 64 bits, as 16 lower-case hex digits. Not a secret-keeping
        /// hash: it only keeps names out of sight and stays the same across runs
        /// (Swift's `Hasher` is seeded per process).
        static func fnv1a64(_ bytes: [UInt8]) -> String {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
    }
}
