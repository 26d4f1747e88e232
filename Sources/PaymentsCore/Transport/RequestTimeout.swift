import Foundation
import JSON

/// How long one HTTP exchange may take, from `PAYSH_TIMEOUT`: seconds for the
/// whole exchange (default 60), from 0.1 to 3600, fractions allowed. The
/// wait for a silent server and for a connection are cut to fit inside it
/// (30 s and 5 s at most). Each attempt of a retried call gets the whole
/// time again.
public enum RequestTimeout {
    public static let variable = "PAYSH_TIMEOUT"
    public static let range: ClosedRange<Double> = 0.1 ... 3600

    /// `configuration` with the timeouts `environment` asks for; a value that
    /// is not such a number is a configuration error naming it (exit status 2).
    public static func apply(_ environment: [String: String], to configuration: inout Transport.Configuration) throws(PaymentsError) {
        guard let text = environment[variable], !text.isEmpty else { return }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let seconds = Double(trimmed), range.contains(seconds) else {
            throw PaymentsError(kind: .validation, service: "config", operation: variable,
                                message: "\(JSONWriter.messageQuoted(text)) is not a timeout: expected seconds from 0.1 to 3600 for one whole HTTP exchange (30, 2.5)")
        }
        let total = Duration.milliseconds(Int64((seconds * 1000).rounded()))
        configuration.totalTimeout = total
        configuration.readTimeout = min(.seconds(30), total)
        configuration.connectTimeout = min(.seconds(5), total)
    }
}
