import HTTPTypes
import HummingbirdTesting
import JSON
import NIOCore
import Sandbox
import Testing

/// A sandbox serving over real HTTP on loopback, in memory, with a client.
struct SandboxHarness {
    let running: RunningSandbox
    let client: TestClient

    /// Start a fresh sandbox, run `body` against it, stop it.
    static func with<T>(_ configure: (inout SandboxConfiguration) -> Void = { _ in },
                        _ body: (SandboxHarness) async throws -> T) async throws -> T {
        var configuration = SandboxConfiguration()
        configure(&configuration)
        let running = try await Sandbox(configuration: configuration).start()
        let client = TestClient(host: running.endpoints.host, port: running.endpoints.port)
        client.connect()
        do {
            let result = try await body(SandboxHarness(running: running, client: client))
            try? await client.shutdown()
            await running.stop()
            return result
        } catch {
            try? await client.shutdown()
            await running.stop()
            throw error
        }
    }

    /// One request; the answer's status and its body parsed as JSON (nil when empty).
    @discardableResult
    func request(_ method: HTTPRequest.Method, _ path: String, bearer: String? = nil,
                 json: String? = nil, contentType: String = "application/json") async throws -> (HTTPResponse.Status, JSONValue?) {
        var headers: HTTPFields = [:]
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = contentType
            body = ByteBuffer(string: json)
        }
        let response = try await client.execute(TestClient.Request(path, method: method, headers: headers, body: body))
        guard let buffer = response.body, buffer.readableBytes > 0 else { return (response.status, nil) }
        let bytes = Array(buffer.readableBytesView)
        let value = try bytes.withUnsafeBytes { raw throws(JSONError) in try JSONValue(parsing: raw) }
        return (response.status, value)
    }
}

/// The keys of a JSON object, in order.
func keys(_ value: JSONValue?) -> [String] { value?.objectValue?.keys ?? [] }
