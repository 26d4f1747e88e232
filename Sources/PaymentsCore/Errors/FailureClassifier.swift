import Foundation
import JSON

/// What happened to a request on the wire, when no HTTP answer came back.
public enum TransportFailure: Sendable, Equatable {
    /// The connection could not be made (refused, DNS, unreachable): nothing was sent.
    case connectFailed(String)
    /// TLS could not be established: nothing was sent.
    case tlsFailed(String)
    /// The request was (at least partly) written, then the connection broke.
    case lostAfterSending(String)
    /// The request was written and no whole answer came in time (why: which limit).
    case timedOut(String)
}

/// Turns an HTTP answer or a transport failure into a ``PaymentsError``,
/// deciding its class by what is known about the request's effect:
///
/// | failure | class | was it applied? |
/// | --- | --- | --- |
/// | connection refused, DNS, TLS handshake | `notSent` | no |
/// | 429, 503, 408 | `rejected` | no (the server says so) |
/// | 401, 403 | `unauthorized` | no |
/// | other 4xx (400–422, 409 included) | `clientError` | no |
/// | timeout or reset after sending; 500, 502, 504 and other 5xx | `outcomeUnknown` | unknown |
/// | a redirect (3xx), never followed | `outcomeUnknown` | unknown (a 303 after a POST means it was) |
///
/// The API's own error code and message are read from each service's error
/// style; a body that is not JSON (an HTML 502 page) gives a short excerpt,
/// passed through `redact` first.
public enum FailureClassifier {
    public static func classify(status: Int) -> PaymentsError.Kind? {
        switch status {
        case 200 ..< 300: return nil
        case 300 ..< 400: return .outcomeUnknown
        case 401, 403: return .unauthorized
        case 408, 429, 503: return .rejected
        case 400 ..< 500: return .clientError
        default: return .outcomeUnknown
        }
    }

    /// The error for a non-2xx answer; nil for success.
    public static func error(status: Int, headers: [(name: String, value: String)], body: [UInt8],
                             service: String, operation: String, requestID: String?,
                             now: Date = Date(), redact: (String) -> String) -> PaymentsError? {
        guard let kind = classify(status: status) else { return nil }
        if status >= 300, status < 400 {
            // Following it would send the credentials wherever the answer points.
            let location = headers.first { $0.name.lowercased() == "location" }.map { redact($0.value) } ?? "nowhere said"
            return PaymentsError(kind: kind, service: service, operation: operation, status: status,
                                 message: "the server answered with a redirect to \(location), which paysh does not follow "
                                     + "(credentials go only to the configured host; check the service's base_url)",
                                 requestID: requestID)
        }
        let (code, message) = apiError(body: body, service: service, redact: redact)
        let retryAfter = headers.first { $0.name.lowercased() == "retry-after" }.flatMap { retryAfterDelay($0.value, now: now) }
        var error = PaymentsError(kind: kind, service: service, operation: operation, status: status, code: code,
                                  message: message ?? reasonPhrase(status),
                                  requestID: requestID, retryAfter: retryAfter)
        error.location = headers.first { $0.name.lowercased() == "location" }?.value
        return error
    }

    public static func error(for failure: TransportFailure, service: String, operation: String, requestID: String?) -> PaymentsError {
        switch failure {
        case .connectFailed(let why):
            return PaymentsError(kind: .notSent, service: service, operation: operation, message: "could not connect: \(why)", requestID: requestID)
        case .tlsFailed(let why):
            return PaymentsError(kind: .notSent, service: service, operation: operation, message: "TLS failed: \(why)", requestID: requestID)
        case .lostAfterSending(let why):
            return PaymentsError(kind: .outcomeUnknown, service: service, operation: operation,
                                 message: "the connection was lost after the request was sent (\(why)); it may or may not have taken effect",
                                 requestID: requestID)
        case .timedOut(let why):
            return PaymentsError(kind: .outcomeUnknown, service: service, operation: operation,
                                 message: "the request was sent and \(why); it may or may not have taken effect", requestID: requestID)
        }
    }

    /// The API's error code and message from a body in the service's style.
    static func apiError(body: [UInt8], service: String, redact: (String) -> String) -> (code: String?, message: String?) {
        guard !body.isEmpty else { return (nil, nil) }
        let parsed = try? body.withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) }
        guard case .object(let object)? = parsed else {
            return (nil, "the answer is not JSON: " + excerpt(body, redact: redact))
        }
        let text = { (value: JSONValue?) -> String? in
            switch value {
            case .string(let s)?: return s
            case .array(let items)?: return items.compactMap(\.stringValue).joined(separator: "; ") // NestJS validation lists
            default: return nil
            }
        }
        switch service {
        case "auth": return (text(object["error"]), text(object["error_description"]).map(redact))
        case "lumanu": return (text(object["code"]), text(object["error"]).map(redact))
        case "lumen":
            if case .object(let inner)? = object["error"] { return (text(inner["code"]), text(inner["message"]).map(redact)) }
            return (nil, text(object["error"]).map(redact))
        case "lumyri": return (text(object["code"]) ?? text(object["error"]), text(object["message"]).map(redact))
        default: return (text(object["code"]), (text(object["message"]) ?? text(object["error"])).map(redact))
        }
    }

    /// The standard reason phrase, for answers that carry no message of their own.
    static func reasonPhrase(_ status: Int) -> String {
        let phrases = [400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
                       405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict", 422: "Unprocessable Entity",
                       429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
                       503: "Service Unavailable", 504: "Gateway Timeout"]
        return phrases[status] ?? "HTTP status \(status)"
    }

    /// At most 200 characters of a body, on one line, redacted. The whole body
    /// is redacted before it is cut, so that a card number across the cut
    /// cannot escape as two harmless-looking pieces.
    static func excerpt(_ body: [UInt8], redact: (String) -> String) -> String {
        let text = redact(String(decoding: body, as: UTF8.self))
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " ")
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// `Retry-After` as seconds or as an HTTP date.
    public static func retryAfterDelay(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1000)))
    }
}
