/// Why a JSON text was refused, and where.
///
/// `description` reads as one sentence:
/// `expected ',' or '}' after an object member at line 3, column 14 (byte 52)`.
/// `offset` is the 0-based byte offset of the offending byte; `line` and
/// `column` are 1-based, and the column counts characters (Unicode scalars),
/// not bytes, so it matches what an editor shows.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for code that wants to react to one kind.
    public enum Reason: Sendable, Equatable {
        /// A byte that does not fit the grammar where it stands.
        case syntax
        /// The text ended inside a value.
        case unexpectedEnd
        /// Something other than whitespace follows the top-level value.
        case trailingData
        /// A number the grammar forbids: leading zeros, `+1`, `.5`, `1.`, `NaN`, `Infinity`.
        case invalidNumber
        /// A string with a raw control character, an unknown escape or no closing quote.
        case invalidString
        /// Bytes that are not UTF-8 (overlong forms, surrogates, truncated sequences).
        case invalidUTF8
        /// A `\u` escape naming half of a surrogate pair without its other half.
        case invalidSurrogate
        /// Containers nested deeper than the configured limit.
        case tooDeep
        /// The same key twice in one object; carries the key.
        case duplicateKey(String)
        /// The destination cannot hold the value (a Lua stack limit, say).
        case tooLarge
    }

    public var reason: Reason
    /// What went wrong, in words: `expected ':' after an object key`.
    public var message: String
    /// 0-based byte offset into the input.
    public var offset: Int
    /// 1-based line (lines end at `\n`).
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int

    public init(reason: Reason, message: String, offset: Int, line: Int, column: Int) {
        self.reason = reason
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String {
        "\(message) at line \(line), column \(column) (byte \(offset))"
    }

    /// An error whose position is filled in later by the parser (`offset` -1).
    /// Sinks throw these; the parser places them at the byte it had reached.
    public static func unplaced(_ reason: Reason, _ message: String) -> JSONError {
        JSONError(reason: reason, message: message, offset: -1, line: 0, column: 0)
    }

    /// This error placed at `offset` in `input`, with its line and column.
    public func placed(at offset: Int, in input: UnsafeRawBufferPointer) -> JSONError {
        var line = 1
        var column = 1
        for byte in input.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1 // count lead bytes only: one per character
            }
        }
        return JSONError(reason: reason, message: message, offset: offset, line: line, column: column)
    }
}

/// Why a value could not be written as JSON, and where in the value.
///
/// `path` names the value the way code reaches it: `$.items[3].x`.
public struct JSONEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "value at \(path): \(message)" }
}
