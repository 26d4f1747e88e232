/// The three payment APIs paysh speaks to.
public enum Service: String, Sendable, CaseIterable, Codable {
    /// Creator payouts (OAuth 2.0 client credentials).
    case lumanu
    /// Merchant payments (a merchant secret key as a bearer token).
    case lumen
    /// Cards, billing information and invoices (an access token as a bearer token).
    case lumyri
}
