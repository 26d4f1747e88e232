import Foundation
import PaymentsCore
import Testing

/// TLS is always verified; skipping verification is possible only for a
/// loopback host, and only when asked for. The server is `openssl s_server`
/// with a self-signed certificate made for the test.
@Suite(.serialized) struct TransportTLSTests {
    /// A TLS server answering every request with a status page, on `host`.
    final class SelfSignedServer {
        let port: Int
        let process = Process()
        let directory: URL

        init(listenOn host: String) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let make = Process()
            make.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            make.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                              "-keyout", directory.appendingPathComponent("key.pem").path,
                              "-out", directory.appendingPathComponent("cert.pem").path]
            make.standardOutput = FileHandle.nullDevice
            make.standardError = FileHandle.nullDevice
            try make.run()
            make.waitUntilExit()
            port = Self.freePort()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = ["s_server", "-quiet", "-www", "-accept", "\(host):\(port)",
                                 "-cert", directory.appendingPathComponent("cert.pem").path,
                                 "-key", directory.appendingPathComponent("key.pem").path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            for _ in 0 ..< 100 where !Self.accepts(port) { usleep(50_000) }
        }

        func stop() {
            kill(process.processIdentifier, SIGKILL) // s_server does not always stop on SIGTERM
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }

        static func freePort() -> Int {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var size = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } }
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) } }
            return Int(UInt16(bigEndian: address.sin_port))
        }

        static func accepts(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }
    }

    static func get(_ url: String, insecureLoopback: Bool) async throws(PaymentsError) -> IncomingAnswer {
        var configuration = Transport.Configuration()
        configuration.insecureLoopbackTLS = insecureLoopback
        configuration.connectTimeout = .seconds(2)
        // AsyncHTTPClient keeps retrying a failed handshake until the request's deadline.
        configuration.totalTimeout = .seconds(6)
        let transport = Transport(configuration: configuration)
        defer { Task { await transport.shutdown() } }
        return try await transport.send(OutgoingRequest(service: "lumen", operation: "lumen.payment", method: "GET", url: url))
    }

    @Test func aSelfSignedCertificateIsRefusedAsNotSent() async throws {
        let server = try SelfSignedServer(listenOn: "127.0.0.1")
        defer { server.stop() }
        await #expect {
            _ = try await Self.get("https://127.0.0.1:\(server.port)/", insecureLoopback: false)
        } throws: { error in
            (error as? PaymentsError)?.kind == .notSent && "\(error)".contains("CERTIFICATE_VERIFY_FAILED")
        }
    }

    @Test func theLoopbackOptOutSkipsVerificationThere() async throws {
        let server = try SelfSignedServer(listenOn: "127.0.0.1")
        defer { server.stop() }
        let answer = try await Self.get("https://127.0.0.1:\(server.port)/", insecureLoopback: true)
        #expect(answer.status == 200)
    }

    @Test func theOptOutNeverAppliesToAnotherHost() async throws {
        // This machine's own non-loopback address, if it has one: the opt-out must not reach it.
        guard let address = Self.nonLoopbackAddress() else { return }
        let server = try SelfSignedServer(listenOn: "0.0.0.0")
        defer { server.stop() }
        await #expect {
            _ = try await Self.get("https://\(address):\(server.port)/", insecureLoopback: true)
        } throws: { error in
            (error as? PaymentsError)?.kind == .notSent
        }
    }

    static func nonLoopbackAddress() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return nil }
        defer { freeifaddrs(list) }
        var cursor = list
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var inet = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            inet_ntop(AF_INET, &inet, &text, socklen_t(INET_ADDRSTRLEN))
            let string = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !string.hasPrefix("127.") { return string }
        }
        return nil
    }
}
