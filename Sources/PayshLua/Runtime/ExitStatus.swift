import PaymentsCore

/// The process exit statuses of paysh, one per class of failure (docs/bindings.md).
public enum ExitStatus {
    public static let success: Int32 = 0
    /// A Lua error (syntax, runtime, `error(...)`), and `lua`'s own usage errors, as `lua` exits.
    public static let luaError: Int32 = 1
    /// paysh's own usage errors: a bad option or profile, a card number on the command line, a refused confirmation.
    public static let usage: Int32 = 2
    /// The request was refused as wrong: bad arguments caught before sending, an API 4xx, a decline, 401/403.
    public static let clientError: Int32 = 3
    /// The server or the network failed: 5xx, 429/503 after the retries, timeouts, unreadable answers.
    public static let serverError: Int32 = 4

    /// The status of an uncaught ``PaymentsError``.
    public static func of(_ error: PaymentsError) -> Int32 {
        if error.service == "config" || error.code == "confirmation_required" || error.code == "not_confirmed" { return usage }
        switch error.kind {
        case .validation, .clientError, .unauthorized, .dryRun: return clientError
        case .notSent, .rejected, .outcomeUnknown, .invalidResponse: return serverError
        }
    }
}
