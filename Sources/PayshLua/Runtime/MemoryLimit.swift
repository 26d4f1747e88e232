import CLuaShim
import Foundation
import Glibc
import LuaKit
import PaymentsCore

/// How much memory paysh's Lua may hold: a program whose tables grow
/// without end gets Lua's `not enough memory` error (exit status 1) at the
/// cap, rather than taking the machine's memory until the kernel kills
/// something. Half the machine's memory unless `PAYSH_MEMORY_LIMIT` says
/// otherwise (`512M`, `4G`, `1.5G`, `65536K`, a number of bytes, or `off`).
public enum MemoryLimit {
    public static let variable = "PAYSH_MEMORY_LIMIT"

    /// The cap for `environment`, in bytes (nil: none); a setting that is
    /// not a size is a configuration error naming it (exit status 2).
    public static func resolve(environment: [String: String]) throws(PaymentsError) -> Int? {
        guard let text = environment[variable], !text.isEmpty else { return machineDefault }
        switch parse(text) {
        case .off?: return nil
        case .bytes(let bytes)?: return bytes
        case nil:
            throw PaymentsError(kind: .validation, service: "config", operation: variable,
                                message: "\"\(text)\" is not a size: expected bytes, or a number followed by K, M or G (512M, 4G), at least 1M; or off")
        }
    }

    enum Setting: Equatable {
        case off
        case bytes(Int)
    }

    /// `off` (no cap) or a size of at least 1 MiB: bytes, or a number with K, M or G (powers of 1024).
    static func parse(_ text: String) -> Setting? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "off" { return .off }
        var digits = Substring(trimmed)
        var unit = 1.0
        if let last = digits.last, let scale = ["k": 1024.0, "m": 1024.0 * 1024, "g": 1024.0 * 1024 * 1024][last.lowercased()] {
            unit = scale
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let number = Double(digits), number > 0 else { return nil }
        let bytes = number * unit
        guard bytes >= 1024 * 1024, bytes < 1e18 else { return nil } // under 1 MiB paysh's own modules would not load
        return .bytes(Int(bytes))
    }

    /// Half of the machine's physical memory.
    static var machineDefault: Int? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return nil }
        return pages / 2 * size
    }

    /// Apply the cap of `environment` to the state `stack` belongs to.
    static func apply(on stack: LuaStack, environment: [String: String]) throws(PaymentsError) {
        luakit_set_memory_limit(stack.L, try resolve(environment: environment) ?? 0)
    }
}
