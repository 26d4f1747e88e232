import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A request as the client core builds it: complete, auth included.
public struct OutgoingRequest: Sendable {
    public var service: String
    public var operation: String
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Which attempt this is (1 for the first), for the trace line.
    public var attempt = 1

    public init(service: String, operation: String, method: String, url: String,
                headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.service = service
        self.operation = operation
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An HTTP answer, whatever its status.
public struct IncomingAnswer: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The `X-Request-Id` paysh sent with the request.
    public var requestID: String
    public var duration: Duration
}

/// One HTTP exchange over a shared, pooled AsyncHTTPClient: timeouts, a
/// `User-Agent`, a request id on every request, proxies from the usual
/// environment variables, TLS always verified (an opt-out exists only for
/// loopback hosts), a cap on the answer's size, and a redacted trace line per
/// exchange. A failure that produced no answer comes back as a
/// ``PaymentsError`` classified by whether the request could have been applied.
/// Retrying is the caller's business (``RetryPolicy``).
public final class Transport: Sendable {
    public struct Configuration: Sendable {
        public var connectTimeout: Duration = .seconds(5)
        /// Longest silence while waiting for the answer.
        public var readTimeout: Duration = .seconds(30)
        /// Longest time for one whole exchange.
        public var totalTimeout: Duration = .seconds(60)
        /// Connections kept open to one host at most. Requests beyond it queue
        /// for a free connection, so this bounds how many are in flight to a
        /// service at once: it must be above the concurrency scripts ask for
        /// (`paysh.parallel`, batches).
        public var connectionsPerHost = 128
        /// Answers larger than this are refused without being held in memory.
        public var maxAnswerBytes = 16 << 20
        public var userAgent = "paysh/0.1.0"
        /// Skip certificate verification, for loopback hosts only (a test server with a self-signed certificate).
        public var insecureLoopbackTLS = false
        /// Receives one redacted line per exchange when tracing is on (`--debug`).
        public var trace: (@Sendable (String) -> Void)?
        public var redactor = Redactor.standard
        /// `https_proxy`, `http_proxy`, `no_proxy` (and upper-case spellings) as the process found them.
        public var environment: [String: String] = ProcessInfo.processInfo.environment

        public init() {}
    }

    public let configuration: Configuration
    private let direct: HTTPClient
    private let proxied: HTTPClient?
    /// For loopback hosts (the sandbox): never proxied and, only when asked for, without
    /// certificate verification. (Its connect timeout stays the configured one: AsyncHTTPClient
    /// also applies it to a request waiting for a free connection of the pool, so a short one
    /// fails busy concurrent work.)
    private let loopback: HTTPClient
    private let proxyExclusions: [String]
    private let isOpen = Atomic<Bool>(true)

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        direct = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.clientConfiguration(configuration, proxy: nil))
        let proxy = ProxySettings(environment: configuration.environment)
        proxied = proxy.server.map {
            HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.clientConfiguration(configuration, proxy: $0))
        }
        proxyExclusions = proxy.exclusions
        loopback = HTTPClient(eventLoopGroupProvider: .singleton,
                              configuration: Self.clientConfiguration(configuration, proxy: nil, verify: !configuration.insecureLoopbackTLS))
    }

    /// Close the connection pools. Call once, when done with the transport.
    public func shutdown() async {
        guard isOpen.exchange(false, ordering: .relaxed) else { return }
        try? await direct.shutdown()
        try? await proxied?.shutdown()
        try? await loopback.shutdown()
    }

    /// A transport dropped without `shutdown()` (an error path, say) still closes its pools.
    deinit {
        guard isOpen.load(ordering: .relaxed) else { return }
        direct.shutdown { _ in }
        proxied?.shutdown { _ in }
        loopback.shutdown { _ in }
    }

    static func clientConfiguration(_ c: Configuration, proxy: HTTPClient.Configuration.Proxy?, verify: Bool = true) -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !verify { tls.certificateVerification = .none }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow, // a redirect must not carry credentials elsewhere
            timeout: .init(connect: .nanoseconds(c.connectTimeout.nanoseconds), read: .nanoseconds(c.readTimeout.nanoseconds)),
            proxy: proxy)
        configuration.httpVersion = .http1Only
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = c.connectionsPerHost
        return configuration
    }

    /// The longest URL sent, and the most bytes of headers: far beyond what any
    /// of the APIs needs, and below what servers refuse while the request is
    /// still being written (which AsyncHTTPClient does not survive).
    public static let maxURLBytes = 16 << 10
    public static let maxHeaderBytes = 32 << 10

    /// Send one request and wait for its answer.
    public func send(_ request: OutgoingRequest) async throws(PaymentsError) -> IncomingAnswer {
        let requestID = UUID().uuidString.lowercased()
        let headerBytes = request.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
        if request.url.utf8.count > Self.maxURLBytes || headerBytes > Self.maxHeaderBytes {
            let what = request.url.utf8.count > Self.maxURLBytes
                ? "its URL is \(request.url.utf8.count) bytes long, over the \(Self.maxURLBytes) paysh sends"
                : "its headers are \(headerBytes) bytes long, over the \(Self.maxHeaderBytes) paysh sends"
            throw PaymentsError(kind: .validation, service: request.service, operation: request.operation,
                                message: "the request was not sent: \(what)")
        }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        outgoing.headers.add(name: "User-Agent", value: configuration.userAgent)
        outgoing.headers.add(name: "X-Request-Id", value: requestID)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }

        let clock = ContinuousClock()
        let started = clock.now
        let client = client(for: request.url)
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(configuration.totalTimeout.nanoseconds))
            // AsyncHTTPClient's timeout covers the answer's head; a body dripping a byte at a time
            // would keep the read timeout from ever firing, so the body gets what is left of the total.
            let limit = configuration.maxAnswerBytes
            let collected = try await Self.within(started + configuration.totalTimeout, limit: configuration.totalTimeout) {
                try await response.body.collect(upTo: limit)
            }
            let answer = IncomingAnswer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                        body: Array(collected.readableBytesView), requestID: requestID, duration: clock.now - started)
            trace(request, outcome: "\(answer.status)", duration: answer.duration, requestID: requestID)
            return answer
        } catch let error as NIOTooManyBytesError {
            _ = error
            trace(request, outcome: "answer too large", duration: clock.now - started, requestID: requestID)
            throw PaymentsError(kind: .invalidResponse, service: request.service, operation: request.operation,
                                message: "the answer is larger than \(configuration.maxAnswerBytes) bytes; refused", requestID: requestID)
        } catch {
            let failure = Self.transportFailure(Self.timeoutNamed(error, configuration))
            trace(request, outcome: "failed: \(failure)", duration: clock.now - started, requestID: requestID)
            throw FailureClassifier.error(for: failure, service: request.service, operation: request.operation, requestID: requestID)
        }
    }

    /// The answer did not come in time: the whole exchange's limit passed
    /// (`total`), or the server was silent for the read timeout (`silent`).
    struct AnswerTimeout: Error, CustomStringConvertible {
        enum Limit { case total, silent }
        let limit: Limit
        let duration: Duration
        var description: String {
            switch limit {
            case .total: "no whole answer came within \(Self.shown(duration)) s, the limit for one exchange (PAYSH_TIMEOUT)"
            case .silent: "the server then sent nothing for \(Self.shown(duration)) s"
            }
        }

        /// `60`, `2.5`, `0.25`.
        static func shown(_ duration: Duration) -> String {
            let seconds = duration.inSeconds
            return seconds == seconds.rounded() ? String(Int64(seconds)) : String(format: "%g", seconds)
        }
    }

    /// AsyncHTTPClient's own timeouts, said in the same words as ours.
    static func timeoutNamed(_ error: any Error, _ configuration: Configuration) -> any Error {
        guard let client = error as? HTTPClientError else { return error }
        if client == .deadlineExceeded { return AnswerTimeout(limit: .total, duration: configuration.totalTimeout) }
        if client == .readTimeout { return AnswerTimeout(limit: .silent, duration: configuration.readTimeout) }
        return error
    }

    /// `work`, cancelled and refused at `deadline` (`limit` after the exchange began).
    static func within<T: Sendable>(_ deadline: ContinuousClock.Instant, limit: Duration,
                                    _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw AnswerTimeout(limit: .total, duration: limit) }
            return value
        }
    }

    /// Whether nothing can have been sent (connection or TLS never established), or the request may have left.
    static func transportFailure(_ error: any Error) -> TransportFailure {
        if let timeout = error as? AnswerTimeout { return .timedOut(timeout.description) }
        let text = String(describing: error)
        if let client = error as? HTTPClientError {
            let beforeSending: [HTTPClientError] = [.connectTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout,
                                                    .httpProxyHandshakeTimeout, .getConnectionFromPoolTimeout,
                                                    .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown]
            return beforeSending.contains(client) || text.contains("unsupportedScheme") ? .connectFailed(text) : .lostAfterSending(text)
        }
        if error is NIOConnectionError || error is ChannelError && text.contains("connect") { return .connectFailed(text) }
        if let io = error as? IOError, [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ENOENT].contains(io.errnoCode) {
            return .connectFailed(text)
        }
        if text.contains("NIOSSL") || text.contains("handshake") { return .tlsFailed(text) }
        return .lostAfterSending(text)
    }

    /// The pool for `url`: loopback's own, the proxy unless exempt, else direct.
    func client(for url: String) -> HTTPClient {
        if Self.isLoopback(url) { return loopback }
        return useProxy(for: url) ? (proxied ?? direct) : direct
    }

    /// Whether the URL names this machine (`localhost`, `127.x.x.x`, `::1`).
    static func isLoopback(_ url: String) -> Bool {
        guard let host = URL(string: url)?.host?.lowercased() else { return false }
        return ["localhost", "::1", "[::1]"].contains(host) || host.hasPrefix("127.")
    }

    /// Whether `url` goes through the proxy: never for loopback, never for a `no_proxy` match.
    func useProxy(for url: String) -> Bool {
        guard proxied != nil, !Self.isLoopback(url), let host = URL(string: url)?.host?.lowercased() else { return false }
        return !proxyExclusions.contains { host == $0 || host.hasSuffix("." + $0) || $0 == "*" }
    }

    func trace(_ request: OutgoingRequest, outcome: String, duration: Duration, requestID: String) {
        guard let trace = configuration.trace else { return }
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        trace("\(request.method) \(configuration.redactor.url(request.url)) → \(outcome) in \(ms) ms [\(request.operation), attempt \(request.attempt), request \(requestID)]")
    }
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }

    /// The duration in seconds, fractions kept (`2.5`).
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
