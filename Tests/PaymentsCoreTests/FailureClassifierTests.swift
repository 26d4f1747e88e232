import Foundation
import PaymentsCore
import Testing

@Suite struct FailureClassifierTests {
    func error(_ status: Int, _ body: String, service: String, headers: [(name: String, value: String)] = []) -> PaymentsError? {
        FailureClassifier.error(status: status, headers: headers, body: Array(body.utf8), service: service,
                                operation: "\(service).op", requestID: "req-9", redact: { $0 })
    }

    @Test(arguments: [
        (200, nil), (204, nil), (400, PaymentsError.Kind.clientError), (402, .clientError), (404, .clientError),
        (409, .clientError), (422, .clientError), (401, .unauthorized), (403, .unauthorized), (408, .rejected),
        (429, .rejected), (503, .rejected), (500, .outcomeUnknown), (502, .outcomeUnknown), (504, .outcomeUnknown),
        (301, .outcomeUnknown), (302, .outcomeUnknown), (303, .outcomeUnknown), (307, .outcomeUnknown), (308, .outcomeUnknown),
    ] as [(Int, PaymentsError.Kind?)])
    func statusesFallIntoTheirClasses(status: Int, kind: PaymentsError.Kind?) {
        #expect(FailureClassifier.classify(status: status) == kind)
    }

    @Test func eachServicesErrorStyleGivesCodeAndMessage() {
        let auth = error(403, #"{"error":"access_denied","error_description":"Service not enabled"}"#, service: "auth")
        #expect(auth?.code == "access_denied" && auth?.message == "Service not enabled")
        let lumanu = error(401, #"{"path":"$","error":"Could not verify JWT: JWTExpired","code":"invalid-jwt"}"#, service: "lumanu")
        #expect(lumanu?.code == "invalid-jwt" && lumanu?.message == "Could not verify JWT: JWTExpired")
        let lumen = error(409, #"{"error":{"code":"duplicate_external_payment_method","message":"already pm_1"}}"#, service: "lumen")
        #expect(lumen?.code == "duplicate_external_payment_method" && lumen?.message == "already pm_1")
        let lumyri = error(400, #"{"statusCode":400,"message":["expMonth must be 1-12","cvv is required"],"error":"Bad Request"}"#, service: "lumyri")
        #expect(lumyri?.message == "expMonth must be 1-12; cvv is required")
        #expect(lumyri?.requestID == "req-9" && lumyri?.status == 400 && lumyri?.operation == "lumyri.op")
    }

    @Test func aNonJSONBodyGivesAShortRedactedExcerpt() {
        let html = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>card 4242424242424242 " + String(repeating: "x", count: 500) + "</body></html>"
        let error = FailureClassifier.error(status: 502, headers: [], body: Array(html.utf8), service: "lumyri",
                                            operation: "lumyri.pay_invoice", requestID: nil,
                                            redact: { $0.replacingOccurrences(of: "4242424242424242", with: "424242******4242") })
        #expect(error?.kind == .outcomeUnknown)
        let message = error?.message ?? ""
        #expect(message.hasPrefix("the answer is not JSON: <html> <head><title>502 Bad Gateway</title></head>"))
        #expect(!message.contains("4242424242424242") && message.contains("424242******4242"))
        #expect(message.count < 240 && !message.contains("\n"))
    }

    @Test func aCardNumberAcrossTheExcerptsCutIsStillMasked() {
        // Blank lines collapse, so digits far into the body land inside the excerpt.
        let body = String(repeating: "\n", count: 590) + "pay 4242424242424242 failed"
        let error = FailureClassifier.error(status: 502, headers: [], body: Array(body.utf8), service: "lumyri",
                                            operation: "lumyri.pay_invoice", requestID: nil, redact: Redactor.standard.text)
        #expect(error?.message == "the answer is not JSON: pay 424242******4242 failed")
    }

    @Test func anEmptyErrorBodyFallsBackToTheReasonPhrase() {
        #expect(error(503, "", service: "lumen")?.message == "Service Unavailable")
    }

    @Test func retryAfterIsReadAsSecondsOrAsADate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(FailureClassifier.retryAfterDelay("7", now: now) == .seconds(7))
        #expect(FailureClassifier.retryAfterDelay("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
        #expect(FailureClassifier.retryAfterDelay("soon", now: now) == nil)
        let limited = error(429, "{}", service: "lumen", headers: [("Retry-After", "3")])
        #expect(limited?.retryAfter == .seconds(3) && limited?.kind == .rejected)
    }

    @Test func transportFailuresSayWhetherAnythingWasSent() {
        let refused = FailureClassifier.error(for: .connectFailed("connection refused"), service: "lumen", operation: "lumen.payment", requestID: nil)
        #expect(refused.kind == .notSent && refused.retryable)
        let lost = FailureClassifier.error(for: .lostAfterSending("read timeout"), service: "lumyri", operation: "lumyri.pay_invoice", requestID: "r")
        #expect(lost.kind == .outcomeUnknown && !lost.retryable)
        #expect(lost.message.contains("may or may not have taken effect"))
        let late = FailureClassifier.error(for: .timedOut("no whole answer came within 2 s"), service: "lumyri", operation: "lumyri.pay_invoice", requestID: "r")
        #expect(late.kind == .outcomeUnknown && !late.retryable)
        #expect(late.message == "the request was sent and no whole answer came within 2 s; it may or may not have taken effect")
    }
}
