import Foundation

/// Where paysh keeps what it writes for one user (the journal, the REPL's
/// history), and how it makes the folders for them: only the owner may
/// enter a folder paysh creates.
public enum PrivateFiles {
    /// paysh's data folder: `$XDG_DATA_HOME/paysh`, else `$HOME/.local/share/paysh`
    /// (empty variables count as unset).
    public static func dataDirectory(environment: [String: String]) -> String {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return (value("XDG_DATA_HOME") ?? (value("HOME") ?? NSHomeDirectory()) + "/.local/share") + "/paysh"
    }

    /// `mkdir -p` with mode 0700 for each directory it makes. Existing
    /// directories are left as they are: they may be shared (`/tmp`).
    public static func makeDirectories(_ directory: String) throws(Problem) {
        var status = stat()
        if stat(directory, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFDIR else { throw Problem("\(directory) is not a directory") }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory { try makeDirectories(parent) }
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
            throw Problem("the directory \(directory) cannot be created (\(reason(errno)))")
        }
    }

    /// The system's words for an `errno`.
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// A file operation that failed, as one sentence.
    public struct Problem: Error, CustomStringConvertible {
        public let sentence: String
        public init(_ sentence: String) { self.sentence = sentence }
        public var description: String { sentence }
    }
}
