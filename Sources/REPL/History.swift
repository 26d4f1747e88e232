import Foundation
import PaymentsCore

/// The REPL's history on disk: `$PAYSH_HISTORY`, else `history` in paysh's
/// data folder (`~/.local/share/paysh/history`), kept across sessions.
///
/// - The file is only its owner's (0600, in a folder made 0700), as is every
///   file paysh writes about what a person did.
/// - Every entry is masked before it is kept (``HistoryFile/mask(_:)``): card
///   numbers, security codes, secrets and tokens never reach the disk.
/// - Blank entries are dropped, and an entry typed again moves to the end
///   instead of appearing twice.
/// - One entry per line; an entry of several lines (a pasted block, a
///   function typed over several lines) is kept whole, its newlines written
///   as `\n` and its backslashes as `\\`.
///
/// Each entry is appended as it is typed (so a session that is killed loses
/// nothing), and the file is rewritten without duplicates, trimmed to
/// ``limit`` entries, when the session ends.
public struct HistoryFile: Sendable {
    public let path: String
    /// The most entries kept.
    public var limit = 1000

    public init(path: String) { self.path = path }

    /// Where the history lives for `environment`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let explicit = environment["PAYSH_HISTORY"], !explicit.isEmpty { return explicit }
        return PrivateFiles.dataDirectory(environment: environment) + "/history"
    }

    /// The entry as it may be kept: card numbers masked to their first six and
    /// last four digits, security codes, secrets and tokens replaced.
    public static func mask(_ entry: String) -> String { Redactor.standard.text(entry) }

    /// The entries on disk, oldest first, without blanks or repeats (the last
    /// of equal entries stands), at most ``limit``. A missing file has none.
    public func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return Self.distinct(lines.map { Self.mask(Self.decode(String($0))) }).suffix(limit)
    }

    /// Append one entry, masked; blank entries are not kept.
    public func append(_ entry: String) throws(PrivateFiles.Problem) {
        let kept = Self.mask(entry)
        guard !Self.isBlank(kept) else { return }
        let fd = try open(flags: O_WRONLY | O_APPEND | O_CREAT)
        defer { close(fd) }
        try write(Array((Self.encode(kept) + "\n").utf8), to: fd)
    }

    /// Rewrite the file with `load()`'s entries: repeats gone, trimmed to the limit.
    /// Written to a temporary file first and renamed over, so a crash leaves the
    /// old one; the signals that end a session (a closed terminal's SIGHUP
    /// among them) wait until the rename is done, so no temporary file is left.
    public func compact() throws(PrivateFiles.Problem) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGHUP, SIGINT, SIGTERM, SIGQUIT] { sigaddset(&blocked, signal) }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let entries = load()
        let temporary = path + ".\(getpid()).tmp"
        let fd = try open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC)
        do {
            try write(Array(entries.map { Self.encode($0) + "\n" }.joined().utf8), to: fd)
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let problem = PrivateFiles.Problem("the history \(path) cannot be replaced (\(PrivateFiles.reason(errno)))")
            unlink(temporary)
            throw problem
        }
    }

    // MARK: The file

    private func open(_ file: String? = nil, flags: Int32) throws(PrivateFiles.Problem) -> Int32 {
        let file = file ?? path
        let directory = (file as NSString).deletingLastPathComponent
        if !directory.isEmpty { try PrivateFiles.makeDirectories(directory) }
        let fd = Glibc.open(file, flags | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PrivateFiles.Problem("the history \(file) cannot be opened (\(PrivateFiles.reason(errno)))") }
        // A file made earlier with a wider mode (or by another program) is narrowed.
        var status = stat()
        if fstat(fd, &status) == 0, status.st_mode & 0o077 != 0 { _ = fchmod(fd, 0o600) }
        return fd
    }

    private func write(_ bytes: [UInt8], to fd: Int32) throws(PrivateFiles.Problem) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw PrivateFiles.Problem("the history \(path) cannot be written (\(PrivateFiles.reason(errno)))")
            }
            offset += n
        }
    }

    // MARK: Entries

    static func isBlank(_ entry: String) -> Bool { entry.allSatisfy(\.isWhitespace) }

    /// Blanks dropped; of equal entries, only the last kept (in its place).
    static func distinct(_ entries: [String]) -> [String] {
        var seen = Set<String>()
        var kept: [String] = []
        for entry in entries.reversed() where !isBlank(entry) && seen.insert(entry).inserted { kept.append(entry) }
        return kept.reversed()
    }

    /// One line for an entry: `\` as `\\`, a newline as `\n`, a carriage return as `\r`.
    static func encode(_ entry: String) -> String {
        var line = ""
        for scalar in entry.unicodeScalars {
            switch scalar {
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            default: line.unicodeScalars.append(scalar)
            }
        }
        return line
    }

    static func decode(_ line: String) -> String {
        var result = ""
        var escaped = false
        for scalar in line.unicodeScalars {
            if escaped {
                result.unicodeScalars.append(scalar == "n" ? "\n" : scalar == "r" ? "\r" : scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
