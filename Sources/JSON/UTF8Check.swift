/// UTF-8 validation as RFC 3629 defines it: no overlong forms, no surrogates
/// (U+D800–U+DFFF), nothing above U+10FFFF, no truncated sequences.
public enum UTF8Check {
    /// The length (2–4) of the valid multi-byte sequence at `p`, or 0 when the
    /// bytes there are not one. `p` must point at a byte ≥ 0x80 before `end`.
    @inlinable
    public static func sequenceLength(at p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> Int {
        let available = end - p
        @inline(__always) func tail(_ i: Int) -> Bool { p[i] & 0xC0 == 0x80 }
        switch p.pointee {
        case 0xC2...0xDF:
            return available >= 2 && tail(1) ? 2 : 0
        case 0xE0:
            return available >= 3 && p[1] >= 0xA0 && p[1] <= 0xBF && tail(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE, 0xEF:
            return available >= 3 && tail(1) && tail(2) ? 3 : 0
        case 0xED:
            return available >= 3 && p[1] >= 0x80 && p[1] <= 0x9F && tail(2) ? 3 : 0
        case 0xF0:
            return available >= 4 && p[1] >= 0x90 && p[1] <= 0xBF && tail(2) && tail(3) ? 4 : 0
        case 0xF1...0xF3:
            return available >= 4 && tail(1) && tail(2) && tail(3) ? 4 : 0
        case 0xF4:
            return available >= 4 && p[1] >= 0x80 && p[1] <= 0x8F && tail(2) && tail(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// The offset of the first byte that does not start valid UTF-8, or nil when all of `bytes` is valid.
    public static func firstInvalidOffset(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let raw = bytes.baseAddress else { return nil }
        let start = raw.assumingMemoryBound(to: UInt8.self)
        let end = start + bytes.count
        var p = start
        while p < end {
            // ASCII runs eight bytes at a time.
            while end - p >= 8,
                  UnsafeRawPointer(p).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                p += 8
            }
            guard p < end else { break }
            if p.pointee < 0x80 {
                p += 1
                continue
            }
            let n = sequenceLength(at: p, end: end)
            if n == 0 { return p - start }
            p += n
        }
        return nil
    }
}
