import Foundation
import PaymentsCore
import PayshConfig
import Testing

/// Read `source` as a config file named `config.lua`.
func parse(_ source: String, path: String = "config.lua") throws(PaymentsError) -> ConfigDocument {
    try ConfigFile.parse(Array(source.utf8), path: path)
}

/// The message of the error `body` throws, or nil when it throws none.
func failure<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as PaymentsError {
        return error.message
    } catch {
        return "not a PaymentsError: \(error)"
    }
}

/// A directory of its own for one test, removed by the caller with `remove`.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("paysh-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Write `text` to `name` with the permission bits `mode`; returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        guard chmod(file, mode_t(mode)) == 0 else { throw CocoaError(.fileWriteNoPermission) }
        return file
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path + "/" + name) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension SettingValue {
    /// The value a client would use (runs a command, reads a variable).
    func revealed(environment: [String: String] = [:]) throws -> String {
        switch self {
        case .text(let text): return text
        case .secret(let secret): return try secret.reveal(environment: environment)
        }
    }
}
