import Foundation
import HTTPTypes
import Hummingbird
import JSON
import NIOCore

/// The services the sandbox simulates, each with its own error style.
public enum SandboxService: String, Sendable, CaseIterable {
    case auth, lumanu, lumen, lumyri, control
}

/// An error answer, written in the style of the service that gives it:
///
/// - auth (Auth0): `{"error": "access_denied", "error_description": "..."}`
/// - lumanu (Hasura REST): `{"path": "$", "error": "...", "code": "..."}`
/// - lumen: `{"error": {"code": "...", "message": "..."}}`
/// - lumyri (NestJS): `{"statusCode": 400, "message": "...", "error": "Bad Request"}`
/// - control: `{"error": "...", "message": "..."}`
public struct ServiceError: Error, HTTPResponseError {
    public let service: SandboxService
    public let status: HTTPResponse.Status
    /// A short machine-readable code (`invalid_request`, `not-found`, ...).
    public let code: String
    public let message: String
    public var headers: HTTPFields = [:]

    public init(_ service: SandboxService, _ status: HTTPResponse.Status, code: String, _ message: String) {
        self.service = service
        self.status = status
        self.code = code
        self.message = message
    }

    /// The JSON body of the answer.
    public var body: JSONValue {
        switch service {
        case .auth:
            return ["error": .string(code), "error_description": .string(message)]
        case .lumanu:
            return ["path": "$", "error": .string(message), "code": .string(code)]
        case .lumen:
            return ["error": ["code": .string(code), "message": .string(message)]]
        case .lumyri:
            return ["statusCode": .integer(Int64(status.code)), "message": .string(message),
                    "error": .string(status.reasonPhrase)]
        case .control:
            return ["error": .string(code), "message": .string(message)]
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(body, status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}

/// JSON answers, encoded with the project's own encoder (key order kept).
public enum JSONResponse {
    public static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = (try? value.encoded()) ?? Array(#"{"error":"unencodable"}"#.utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// 204 with no body.
    public static var noContent: Response { Response(status: .noContent) }
}

extension Request {
    /// The body parsed as JSON; a body that is not JSON is a 400 naming where it went wrong.
    func jsonBody(for service: SandboxService, limit: Int = 1 << 20) async throws -> JSONValue {
        let buffer = try await body.collect(upTo: limit)
        let bytes = Array(buffer.readableBytesView)
        do {
            return try bytes.withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) }
        } catch {
            throw ServiceError(service, .badRequest, code: "invalid_json", "request body is not valid JSON: \(error)")
        }
    }

    /// The token of an `Authorization: Bearer <token>` header.
    var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        // Trimmed by hand: Foundation's trimming bridges to NSString, a tenth of a request's time.
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        var token = parts[1].drop(while: blank)
        while let last = token.last, blank(last) { token = token.dropLast() }
        return String(token)
    }
}
