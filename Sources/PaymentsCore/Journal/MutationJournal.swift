/// What the journal records about a mutation before it is sent.
///
/// Everything here is already redacted by the connection: no secret, card
/// number or CVV reaches the journal.
public struct JournalIntent: Sendable, Equatable {
    /// A fresh UUID naming this call; the outcome is recorded against it.
    public var id: String
    public var profile: String
    public var service: Service
    /// As the Lua API names it: `lumanu.create_payout`.
    public var operation: String
    public var method: String
    /// The full URL, redacted.
    public var url: String
    /// The `Idempotency-Key` sent with every attempt of this call.
    public var idempotencyKey: String
    /// What identifies the call's effect for reconciliation: the payout's
    /// `paysh_ref`, the invoice id, the `externalPaymentMethodId`, the card's
    /// masked number and expiry.
    public var reference: String?
    /// The JSON body, redacted.
    public var body: String?
    /// Whether the call moves money (create payout, pay invoice, create payment method, create card).
    public var movesMoney: Bool

    public init(id: String, profile: String, service: Service, operation: String, method: String, url: String,
                idempotencyKey: String, reference: String?, body: String?, movesMoney: Bool) {
        self.id = id
        self.profile = profile
        self.service = service
        self.operation = operation
        self.method = method
        self.url = url
        self.idempotencyKey = idempotencyKey
        self.reference = reference
        self.body = body
        self.movesMoney = movesMoney
    }
}

/// How a journaled mutation ended.
public enum JournalOutcome: Sendable, Equatable {
    /// It took effect. `remoteID` is the created or changed object's id,
    /// `remoteStatus` its status when it has one (`Succeeded`), `httpStatus` the answer's status.
    case succeeded(remoteID: String?, remoteStatus: String?, httpStatus: Int, requestID: String?)
    /// It definitely did not take effect (a client error, a rejection, never sent).
    case failed(PaymentsError)
    /// Whether it took effect is unknown, even after reconciling.
    case unknown(PaymentsError)
}

/// The durable record of mutations: the intent is written (and on disk)
/// before the request leaves, the outcome after. A crash between the two
/// leaves an intent without an outcome, which reads as "unknown outcome".
public protocol MutationJournal: Sendable {
    /// Record `intent`; returns only once it is durable. A failure here stops the call before anything is sent.
    func recordIntent(_ intent: JournalIntent) async throws(PaymentsError)
    /// Record how the call `id` ended.
    func recordOutcome(of id: String, _ outcome: JournalOutcome) async throws(PaymentsError)
}
