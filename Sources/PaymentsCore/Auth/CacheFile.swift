import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files only their owner can read: the POSIX calls behind ``TokenCache``,
/// with every check made on the opened file itself (no check-then-open race)
/// and symbolic links refused.
enum CacheFile {
    struct Failure: Error {
        let reason: String
    }

    enum Reading {
        case missing
        case refused(String)
        case read([UInt8])
    }

    /// Token files are small; anything larger is not one.
    static let maxSize = 64 << 10

    /// The content of `path` if it is a regular file of this user with mode 0600.
    static func readPrivate(_ path: String) -> Reading {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return .missing }
            return .refused(code == ELOOP ? "the file is a symbolic link" : "the file cannot be opened: \(describe(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .refused("the file cannot be examined: \(describe(errno))") }
        guard info.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else { return .refused("the file is not a regular file") }
        guard info.st_uid == geteuid() else { return .refused("the file belongs to another user (uid \(info.st_uid))") }
        let mode = info.st_mode & 0o777
        guard mode == 0o600 else { return .refused("the file's mode is \(String(mode, radix: 8)), not 600") }
        guard Int(info.st_size) <= maxSize else { return .refused("the file is larger than a token file can be") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return .read(Array(bytes[..<done]))
    }

    /// Create `path` and any missing parents (each new one mode 0700); the last
    /// must be a directory of this user, and is set to mode 0700 if it is not.
    static func makePrivateDirectory(_ path: String) throws(Failure) {
        var partial = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            partial += "/" + component
            var existing = stat()
            if stat(partial, &existing) == 0 { continue }
            if mkdir(partial, 0o700) != 0 && errno != EEXIST {
                throw Failure(reason: "cannot create \(partial): \(describe(errno))")
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { throw Failure(reason: "cannot examine \(path): \(describe(errno))") }
        guard info.st_mode & mode_t(S_IFMT) == mode_t(S_IFDIR) else { throw Failure(reason: "\(path) is not a directory") }
        guard info.st_uid == geteuid() else { throw Failure(reason: "\(path) belongs to another user (uid \(info.st_uid))") }
        if info.st_mode & 0o777 != 0o700 && chmod(path, 0o700) != 0 {
            throw Failure(reason: "cannot make \(path) private (mode 700): \(describe(errno))")
        }
    }

    /// Replace `path` with `content` atomically: a new 0600 file beside it, renamed over it.
    static func writePrivate(_ path: String, content: [UInt8]) throws(Failure) {
        let temporary = path + ".\(UUID().uuidString.lowercased()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(reason: "cannot create \(temporary): \(describe(errno))") }
        var failure: String?
        if fchmod(fd, 0o600) != 0 { failure = "cannot set its mode: \(describe(errno))" } // whatever the umask did
        var done = 0
        while failure == nil && done < content.count {
            let n = content.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { failure = "cannot write \(temporary): \(describe(errno))" } else { done += n }
        }
        if failure == nil && fsync(fd) != 0 { failure = "cannot flush \(temporary): \(describe(errno))" }
        close(fd)
        if failure == nil && rename(temporary, path) != 0 { failure = "cannot rename it to \(path): \(describe(errno))" }
        if let failure {
            unlink(temporary)
            throw Failure(reason: failure)
        }
    }

    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }
}
