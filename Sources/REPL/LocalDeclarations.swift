/// Finds a chunk's top-level `local` declarations and turns them into
/// assignments, so that the REPL can keep them for the lines that follow.
///
/// `local x = 1` becomes `      x = 1` (the keyword blanked, so columns stay
/// put), `local x, y` becomes `      x, y = nil`, and `local function f`
/// becomes `      function f`; the REPL declares `x`, `y`, `f` itself around
/// the chunk (see ``LocalScope``). Declarations inside a block (a function
/// body, `do`, `if`, a loop) stay as they are, and so does a top-level
/// declaration with an attribute (`<const>`, `<close>`): those are meant to
/// end with the chunk — and so does a `local _ENV`, which must not change
/// the globals of every later line.
///
/// Only for chunks that already compiled: the scan is a tokenizer, not a
/// parser, and relies on the chunk being valid Lua.
struct LocalDeclarations {
    /// The chunk with its top-level declarations rewritten.
    var code: [UInt8]
    /// The names those declarations introduce, in order of first appearance.
    var names: [String]

    /// Rewrite `chunk`, declaring at most `limit` names.
    init(rewriting chunk: [UInt8], limit: Int) {
        var scanner = LuaTokens(chunk)
        var edits: [(range: Range<Int>, replacement: [UInt8])] = []
        var names: [String] = []
        var depth = 0
        while let token = scanner.next() {
            guard case .word(let word) = token.kind else { continue }
            switch word {
            case "function", "do", "if", "repeat": depth += 1
            case "end", "until": depth -= 1
            case "local" where depth == 0:
                guard let declaration = Self.declaration(after: token, in: &scanner) else { continue }
                if case .word("function") = declaration.opener { depth += 1 }
                guard !declaration.names.contains("_ENV") else { continue }
                let fresh = declaration.names.filter { !names.contains($0) }
                guard names.count + fresh.count <= limit else { continue }
                names += fresh
                edits.append((token.range, Array(repeating: UInt8(ascii: " "), count: token.range.count)))
                if let end = declaration.needsValueAt { edits.append((end ..< end, Array(" = nil".utf8))) }
            default: break
            }
        }
        var code = chunk
        for edit in edits.reversed() { code.replaceSubrange(edit.range, with: edit.replacement) }
        self.code = code
        self.names = names
    }

    /// What follows a top-level `local`: the names it declares, where ` = nil`
    /// must go when it gives no values, and the token after the name list.
    private struct Declaration {
        var names: [String]
        var needsValueAt: Int?
        var opener: LuaTokens.Kind?
    }

    /// Read the declaration after `local`; nil when it must stay a real local (an attribute).
    private static func declaration(after local: LuaTokens.Token, in scanner: inout LuaTokens) -> Declaration? {
        guard let first = scanner.next() else { return nil }
        if case .word("function") = first.kind {
            guard let name = scanner.next(), case .word(let text) = name.kind else { return nil }
            return Declaration(names: [text], needsValueAt: nil, opener: first.kind)
        }
        var names: [String] = []
        var token = first
        while true {
            guard case .word(let text) = token.kind, !LuaTokens.keywords.contains(text) else { return nil }
            names.append(text)
            let end = token.range.upperBound
            guard let next = scanner.peek() else { return Declaration(names: names, needsValueAt: end, opener: nil) }
            switch next.kind {
            case .symbol("<"): return nil // an attribute
            case .symbol(","):
                _ = scanner.next()
                guard let following = scanner.next() else { return nil }
                token = following
            case .symbol("="):
                return Declaration(names: names, needsValueAt: nil, opener: next.kind)
            default:
                return Declaration(names: names, needsValueAt: end, opener: next.kind)
            }
        }
    }
}

/// The tokens of Lua source that matter for finding declarations: words
/// (names and keywords) and punctuation. Strings, numbers and comments are
/// skipped whole, so that a `local` or an `end` inside them is not seen.
struct LuaTokens {
    enum Kind: Equatable {
        case word(String)
        case symbol(String)
        /// A string, number or other literal.
        case literal
    }

    struct Token {
        let kind: Kind
        let range: Range<Int>
    }

    static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    private let bytes: [UInt8]
    private(set) var position = 0
    private var lookahead: Token?

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The next token without consuming it.
    mutating func peek() -> Token? {
        if lookahead == nil { lookahead = scan() }
        return lookahead
    }

    mutating func next() -> Token? {
        if let token = lookahead {
            lookahead = nil
            return token
        }
        return scan()
    }

    private func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func scan() -> Token? {
        skipSpaceAndComments()
        guard let c = byte(position) else { return nil }
        let start = position
        if Self.isWordStart(c) {
            while let d = byte(position), Self.isWordByte(d) { position += 1 }
            return Token(kind: .word(String(decoding: bytes[start ..< position], as: UTF8.self)), range: start ..< position)
        }
        if Self.isDigit(c) || (c == UInt8(ascii: ".") && byte(position + 1).map(Self.isDigit) == true) {
            skipNumber()
            return Token(kind: .literal, range: start ..< position)
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
            skipQuoted(c)
            return Token(kind: .literal, range: start ..< position)
        }
        if c == UInt8(ascii: "["), let level = longBracketLevel(at: position) {
            skipLongBracket(level: level)
            return Token(kind: .literal, range: start ..< position)
        }
        position += 1
        if let d = byte(position), [("=", "="), ("<", "="), (">", "="), ("~", "="), (":", ":"), (".", ".")].contains(where: {
            UInt8(ascii: $0.0) == c && UInt8(ascii: $0.1) == d
        }) {
            position += 1
        }
        return Token(kind: .symbol(String(decoding: bytes[start ..< position], as: UTF8.self)), range: start ..< position)
    }

    private mutating func skipSpaceAndComments() {
        while let c = byte(position) {
            if c == 0x20 || (0x09 ... 0x0D).contains(c) {
                position += 1
            } else if c == UInt8(ascii: "-"), byte(position + 1) == UInt8(ascii: "-") {
                position += 2
                if byte(position) == UInt8(ascii: "["), let level = longBracketLevel(at: position) {
                    skipLongBracket(level: level)
                } else {
                    while let d = byte(position), d != UInt8(ascii: "\n") { position += 1 }
                }
            } else {
                return
            }
        }
    }

    /// The level of a long bracket `[==[` opening at `i` (the count of `=`), or nil.
    private func longBracketLevel(at i: Int) -> Int? {
        var j = i + 1
        while byte(j) == UInt8(ascii: "=") { j += 1 }
        return byte(j) == UInt8(ascii: "[") ? j - i - 1 : nil
    }

    private mutating func skipLongBracket(level: Int) {
        position += level + 2
        let close = [UInt8(ascii: "]")] + Array(repeating: UInt8(ascii: "="), count: level) + [UInt8(ascii: "]")]
        while position < bytes.count {
            if bytes[position] == close[0], bytes[position...].starts(with: close) {
                position += close.count
                return
            }
            position += 1
        }
    }

    private mutating func skipQuoted(_ quote: UInt8) {
        position += 1
        while let c = byte(position) {
            position += 1
            if c == UInt8(ascii: "\\") {
                position += 1
            } else if c == quote || c == UInt8(ascii: "\n") {
                return
            }
        }
    }

    /// A numeral, exponent signs included (`1e-5`, `0x1p+4`).
    private mutating func skipNumber() {
        var previous: UInt8 = 0
        while let c = byte(position) {
            let sign = (c == UInt8(ascii: "+") || c == UInt8(ascii: "-"))
                && [UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "p"), UInt8(ascii: "P")].contains(previous)
            guard Self.isWordByte(c) || c == UInt8(ascii: ".") || sign else { return }
            previous = c
            position += 1
        }
    }

    static func isDigit(_ c: UInt8) -> Bool { (0x30 ... 0x39).contains(c) }
    static func isWordStart(_ c: UInt8) -> Bool { (0x41 ... 0x5A).contains(c) || (0x61 ... 0x7A).contains(c) || c == UInt8(ascii: "_") }
    static func isWordByte(_ c: UInt8) -> Bool { isWordStart(c) || isDigit(c) }
}
