import CLineEditor
import CReadline
import Glibc

/// GNU readline, as the REPL uses it: the user's `~/.inputrc` applies
/// (under the application name `paysh`, for `$if paysh`), Emacs and vi
/// modes included.
///
/// Two ways to read. ``read(prompt:)`` is the interactive one: Ctrl-C
/// abandons the line (``Outcome/interrupted``), Tab asks the completer.
/// ``readPlain(prompt:)`` is `readline()` itself, for piped sessions that
/// must behave as `lua -i` does.
///
/// Lua thread only: readline and the completer share the state of one thread.
public enum LineEditor {
    public enum Outcome: Equatable {
        case line([UInt8])
        case end
        case interrupted
    }

    /// Candidates for the text before the cursor: each a replacement of
    /// `text[start...]`, and that start.
    public typealias Completion = (_ text: [UInt8]) -> (start: Int, candidates: [String])

    nonisolated(unsafe) private static var completion: Completion?

    /// Name the application for `~/.inputrc`; with `completion`, Tab completes.
    public static func prepare(completion: Completion? = nil) {
        self.completion = completion
        le_setup("paysh", completion == nil ? nil : complete)
    }

    /// A line from the terminal; Ctrl-C abandons it, Ctrl-D on an empty line ends.
    public static func read(prompt: [UInt8]) -> Outcome {
        var raw: UnsafeMutablePointer<CChar>?
        let outcome = (prompt.prefix { $0 != 0 } + [0]).withUnsafeBytes {
            le_read($0.baseAddress!.assumingMemoryBound(to: CChar.self), &raw)
        }
        switch outcome {
        case LE_LINE:
            guard let raw else { return .end }
            defer { free(raw) }
            return .line(Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw))))
        case LE_INTERRUPTED:
            return .interrupted
        default:
            return .end
        }
    }

    /// `readline()` as `lua.c` calls it; nil at end of input.
    public static func readPlain(prompt: [UInt8]) -> [UInt8]? {
        let cPrompt = prompt.prefix(while: { $0 != 0 }) + [0]
        guard let raw = cPrompt.withUnsafeBytes({ readline($0.baseAddress!.assumingMemoryBound(to: CChar.self)) }) else {
            return nil
        }
        defer { free(raw) }
        var line = Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
        if line.last == UInt8(ascii: "\n") { line.removeLast() }
        return line
    }

    /// Add an entry to the in-memory history (Up, Ctrl-R); an equal earlier
    /// entry is removed first, so that it is not there twice.
    public static func remember(_ entry: String, distinct: Bool = false) {
        let bytes = Array(entry.utf8.prefix { $0 != 0 }) + [0]
        bytes.withUnsafeBytes {
            let text = $0.baseAddress!.assumingMemoryBound(to: CChar.self)
            if distinct { le_history_remove(text) }
            le_history_add(text)
        }
    }

    /// Keep at most `count` entries in memory.
    public static func limitHistory(to count: Int) { le_history_limit(Int32(count)) }

    /// readline's completion callback: the candidates, adjusted to the word
    /// readline replaces (it splits words at Lua's punctuation, which may
    /// not be where the completer's word starts).
    private static let complete: le_completer_fn = { line, length, start, cursor in
        guard let line, let completion = LineEditor.completion, cursor >= 0, cursor <= length, start >= 0, start <= cursor else { return }
        let text = Array(UnsafeRawBufferPointer(start: line, count: Int(cursor)))
        let (wordStart, candidates) = completion(text)
        let replaced = Int(start)
        for candidate in candidates where !candidate.isEmpty {
            var bytes = Array(candidate.utf8)
            if wordStart < replaced {
                let typed = text[wordStart ..< replaced]
                guard bytes.starts(with: typed) else { continue }
                bytes.removeFirst(typed.count)
            } else if wordStart > replaced {
                bytes = Array(text[replaced ..< wordStart]) + bytes
            }
            bytes.withUnsafeBytes { le_add_candidate($0.baseAddress?.assumingMemoryBound(to: CChar.self), $0.count) }
        }
    }
}
