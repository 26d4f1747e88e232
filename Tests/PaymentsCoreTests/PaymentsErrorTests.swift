import PaymentsCore
import Testing

@Suite struct PaymentsErrorTests {
    @Test func onlyFailuresThatDidNothingAreRetryable() {
        let retryable = PaymentsError.Kind.allCases.filter {
            PaymentsError(kind: $0, service: "lumyri", operation: "lumyri.pay_invoice", message: "x").retryable
        }
        #expect(retryable == [.notSent, .rejected])
    }

    @Test func describesItselfOnOneLine() {
        let error = PaymentsError(kind: .clientError, service: "lumyri", operation: "lumyri.pay_invoice", status: 402,
                                  code: "card_declined", message: "Your card was declined", requestID: "req-1")
        #expect(error.description == "lumyri.pay_invoice: 402 card_declined: Your card was declined (request req-1)")
        let bare = PaymentsError(kind: .notSent, service: "lumen", operation: "lumen.payment", message: "connection refused")
        #expect(bare.description == "lumen.payment: connection refused")
    }
}
