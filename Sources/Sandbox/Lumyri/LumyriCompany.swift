/// The Lumyri companies of the sandbox, each reached by its access token.
///
/// The first is the company of every example in the Lumyri document; the
/// second is the `companyId` of the document's billing-information example,
/// and exists so that isolation can be tried (its objects are 404 to the first).
struct LumyriCompany: Sendable, Equatable {
    let id: String
    /// Id of its billing information (the `billToId` of its invoices).
    let billingID: String

    static let example = LumyriCompany(id: "956865a9-b9f7-4198-87eb-10b4f0f411c9",
                                       billingID: "ce733f62-d863-4938-ad84-3b049ff8647d")
    static let other = LumyriCompany(id: "f0bc2b54-64b6-403f-bb2c-eab2564a5e20",
                                     billingID: "a875156a-9646-4d09-8b71-76437509d7e2")

    /// Companies by access token.
    static let byToken = [
        SandboxCredentials.lumyriAccessToken: example,
        SandboxCredentials.lumyriOtherAccessToken: other,
    ]
}

extension SandboxCredentials {
    /// Access token of a second Lumyri company (`f0bc2b54-…`), for trying isolation.
    public static let lumyriOtherAccessToken = "lumyri_sandbox_token_other"
}
