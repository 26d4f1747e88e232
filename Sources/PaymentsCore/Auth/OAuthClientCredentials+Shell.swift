extension OAuthClientCredentials {
    /// The variables a dry-run command reads Lumanu's credentials from.
    public enum ShellVariable {
        public static let tokenURL = "LUMANU_TOKEN_URL"
        public static let clientID = "LUMANU_CLIENT_ID"
        public static let clientSecret = "LUMANU_CLIENT_SECRET"
        public static let audience = "LUMANU_AUDIENCE"
        /// Set by the prelude to the token it fetched.
        public static let accessToken = "LUMANU_ACCESS_TOKEN"
    }

    /// For `--dry-run`: POSIX shell lines that fetch a token with `curl` from
    /// the credentials in the environment (never their values), and the header
    /// that uses it.
    ///
    /// The body is form-encoded with `--data-urlencode`, so a secret holding
    /// `"`, `&` or `+` needs no quoting, and the secret goes through standard
    /// input (`printf` is built in) rather than `curl`'s arguments, which other
    /// users can see in `ps`. `access_token` is picked out with `sed` (no `jq`
    /// needed); when none came back, `${…:?…}` stops a script there with a message.
    public var shellAuthorization: ShellAuthorization {
        let v = ShellVariable.self
        let extract = #"sed -n 's/.*"access_token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p'"#
        return ShellAuthorization(prelude: [
            "# Lumanu: an access token for $\(v.clientID) (client credentials from the environment)",
            "\(v.accessToken)=$(printf '%s' \"$\(v.clientSecret)\" | curl -sS -X POST \"$\(v.tokenURL)\""
                + " --data-urlencode grant_type=client_credentials --data-urlencode \"client_id=$\(v.clientID)\""
                + " --data-urlencode client_secret@- --data-urlencode \"audience=$\(v.audience)\" | \(extract))",
            ": \"${\(v.accessToken):?no access_token came back from $\(v.tokenURL); check \(v.clientID), \(v.clientSecret) and \(v.audience)}\"",
        ], headerValue: "Bearer $\(v.accessToken)")
    }
}
