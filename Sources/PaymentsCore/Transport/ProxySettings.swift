import AsyncHTTPClient
import Foundation

/// The proxy the usual environment variables ask for: `https_proxy` /
/// `HTTPS_PROXY`, else `http_proxy` / `HTTP_PROXY` (`host:port` or a URL),
/// and the hosts `no_proxy` / `NO_PROXY` exempt. Loopback is never proxied.
struct ProxySettings {
    var server: HTTPClient.Configuration.Proxy?
    var exclusions: [String] = []

    init(environment: [String: String]) {
        let value = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        if let value {
            let withScheme = value.contains("://") ? value : "http://" + value
            if let url = URL(string: withScheme), let host = url.host {
                server = .server(host: host, port: url.port ?? 80)
            }
        }
        let noProxy = environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""
        exclusions = noProxy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }.filter { !$0.isEmpty }
    }
}
