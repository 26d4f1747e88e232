/// What the text before the cursor asks Tab to complete, read from the
/// line alone (no Lua involved): a name, a field after `.`, a method after
/// `:`, the id argument of a call, or a field name inside a call's table.
enum CompletionContext: Equatable {
    /// One step of a path like `lumyri.cards`, `_[1].info` or `t["key"]`.
    enum Step: Equatable {
        case name(String)
        case index(Int64)
        case key(String)
    }

    /// A bare word: a keyword, a local, a global.
    case name(prefix: String)
    /// `path.prefix`.
    case field(path: [Step], prefix: String)
    /// `path:prefix`.
    case method(path: [Step], prefix: String)
    /// The first argument of the call `function(`: `quoted` when a string
    /// literal is already open (its quote character), the text typed in it.
    case argument(function: [Step], quote: UInt8?, prefix: String)
    /// A field name inside a table passed to `function`, as argument
    /// `position` (0-based), nested under `fields` (`info = {` gives `["info"]`).
    case tableField(function: [Step], position: Int, fields: [String], prefix: String)
    /// Inside a comment or a long string: nothing to offer.
    case none

    /// The context at the end of `text`, and where the word being completed starts.
    static func at(endOf text: [UInt8]) -> (context: CompletionContext, start: Int) {
        let reader = LineReader(text)
        switch reader.openLiteral() {
        case .comment:
            return (.none, text.count)
        case .string(let opening):
            let prefix = String(decoding: text[(opening + 1)...], as: UTF8.self)
            guard let call = reader.callBefore(opening) else { return (.none, text.count) }
            return (.argument(function: call, quote: text[opening], prefix: prefix), opening + 1)
        case .nothing:
            break
        }
        let start = reader.wordStart(before: text.count)
        let prefix = String(decoding: text[start...], as: UTF8.self)
        if start > 0 {
            let before = text[start - 1]
            if before == UInt8(ascii: "."), !(start > 1 && text[start - 2] == UInt8(ascii: ".")) {
                guard let path = reader.path(endingAt: start - 2) else { return (.none, start) }
                return (.field(path: path, prefix: prefix), start)
            }
            if before == UInt8(ascii: ":"), !(start > 1 && text[start - 2] == UInt8(ascii: ":")) {
                guard let path = reader.path(endingAt: start - 2) else { return (.none, start) }
                return (.method(path: path, prefix: prefix), start)
            }
        }
        let previous = reader.skipSpace(before: start)
        if prefix.isEmpty, previous >= 0, text[previous] == UInt8(ascii: "("), let call = reader.path(endingAt: reader.skipSpace(before: previous)) {
            return (.argument(function: call, quote: nil, prefix: ""), start)
        }
        if previous >= 0, text[previous] == UInt8(ascii: "{") || text[previous] == UInt8(ascii: ","),
           let table = reader.tableArgument(enclosing: start) {
            return (.tableField(function: table.function, position: table.position, fields: table.fields, prefix: prefix), start)
        }
        return (.name(prefix: prefix), start)
    }
}

/// Reading a line of Lua backwards from the cursor, for ``CompletionContext``.
private struct LineReader {
    let text: [UInt8]
    /// The text with the insides of its strings and comments blanked, for
    /// counting brackets and commas.
    let shape: [UInt8]

    init(_ text: [UInt8]) {
        self.text = text
        var shape = text
        Self.blankLiterals(text, into: &shape)
        self.shape = shape
    }

    /// Blank (in `shape`) what lies inside the short strings of `text`.
    private static func blankLiterals(_ text: [UInt8], into shape: inout [UInt8]) {
        var i = 0
        while i < text.count {
            let c = text[i]
            guard c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") else { i += 1; continue }
            var j = i + 1
            while j < text.count, text[j] != c {
                shape[j] = 0x20
                if text[j] == UInt8(ascii: "\\"), j + 1 < text.count { shape[j + 1] = 0x20; j += 1 }
                j += 1
            }
            i = j + 1
        }
    }

    enum Open { case nothing, comment, string(Int) }

    /// Whether the end of the text is inside a comment, a long string, or a
    /// short string (and where that string's quote is).
    func openLiteral() -> Open {
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: "-"), i + 1 < text.count, text[i + 1] == UInt8(ascii: "-") {
                if let end = longBracketEnd(from: i + 2) {
                    guard end <= text.count else { return .comment }
                    i = end
                    continue
                }
                guard let newline = text[i...].firstIndex(of: UInt8(ascii: "\n")) else { return .comment }
                i = newline + 1
            } else if c == UInt8(ascii: "["), let end = longBracketEnd(from: i) {
                guard end <= text.count else { return .comment }
                i = end
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                var j = i + 1
                while j < text.count, text[j] != c, text[j] != UInt8(ascii: "\n") {
                    j += text[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard j < text.count else { return .string(i) }
                i = j + 1
            } else {
                i += 1
            }
        }
        return .nothing
    }

    /// Just past the long bracket (`[[...]]`, `[==[...]==]`) opening at `i`,
    /// `text.count + 1` when it is not closed, nil when none opens there.
    private func longBracketEnd(from i: Int) -> Int? {
        guard i < text.count, text[i] == UInt8(ascii: "[") else { return nil }
        var j = i + 1
        while j < text.count, text[j] == UInt8(ascii: "=") { j += 1 }
        guard j < text.count, text[j] == UInt8(ascii: "[") else { return nil }
        let close = [UInt8(ascii: "]")] + Array(repeating: UInt8(ascii: "="), count: j - i - 1) + [UInt8(ascii: "]")]
        var k = j + 1
        while k + close.count <= text.count {
            if text[k ..< k + close.count].elementsEqual(close) { return k + close.count }
            k += 1
        }
        return text.count + 1
    }

    static func isWordByte(_ c: UInt8) -> Bool { LuaTokens.isWordByte(c) || c >= 0x80 }

    /// Where the identifier ending just before `end` starts (`end` when there is none).
    func wordStart(before end: Int) -> Int {
        var i = end
        while i > 0, Self.isWordByte(text[i - 1]) { i -= 1 }
        return i
    }

    /// The index of the last non-space byte before `end` (-1 when none).
    func skipSpace(before end: Int) -> Int {
        var i = end - 1
        while i >= 0, text[i] == 0x20 || text[i] == 0x09 || text[i] == 0x0A { i -= 1 }
        return i
    }

    /// The path (`a.b[1]["c"]`) whose last byte is at `end`; nil when the
    /// text there is not one (a call's result, a keyword, a literal).
    func path(endingAt end: Int) -> [CompletionContext.Step]? {
        var steps: [CompletionContext.Step] = []
        var i = end
        while i >= 0 {
            if text[i] == UInt8(ascii: "]") {
                guard let (step, open) = indexStep(closingAt: i) else { return nil }
                steps.insert(step, at: 0)
                i = open - 1
                continue
            }
            let start = wordStart(before: i + 1)
            guard start <= i, !LuaTokens.isDigit(text[start]) else { return nil }
            let name = String(decoding: text[start ... i], as: UTF8.self)
            guard !LuaTokens.keywords.contains(name) else { return nil }
            steps.insert(.name(name), at: 0)
            i = start - 1
            guard i >= 0, text[i] == UInt8(ascii: "."), !(i > 0 && text[i - 1] == UInt8(ascii: ".")) else { break }
            i -= 1
        }
        guard case .name = steps.first else { return nil }
        if i >= 0, [UInt8(ascii: ":"), UInt8(ascii: ")"), UInt8(ascii: "]")].contains(text[i]) { return nil }
        return steps
    }

    /// `[12]` or `["key"]` closing at `close`: the step and where `[` is.
    private func indexStep(closingAt close: Int) -> (CompletionContext.Step, Int)? {
        guard let open = text[..<close].lastIndex(of: UInt8(ascii: "[")) else { return nil }
        let inside = text[(open + 1) ..< close]
        if let n = Int64(String(decoding: inside, as: UTF8.self)) { return (.index(n), open) }
        guard inside.count >= 2, let q = inside.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "'"), inside.last == q else { return nil }
        let key = inside.dropFirst().dropLast()
        guard !key.contains(UInt8(ascii: "\\")), !key.contains(q) else { return nil }
        return (.key(String(decoding: key, as: UTF8.self)), open)
    }

    /// The function called with the string literal whose quote is at `quote`:
    /// `f("` or `f "`; nil when the string is not a call's first argument.
    func callBefore(_ quote: Int) -> [CompletionContext.Step]? {
        let previous = skipSpace(before: quote)
        guard previous >= 0 else { return nil }
        if text[previous] == UInt8(ascii: "(") { return path(endingAt: skipSpace(before: previous)) }
        return path(endingAt: previous)
    }

    /// The unmatched opening bracket before `end` (`(`, `[` or `{`): its index.
    private func enclosingOpen(before end: Int) -> Int? {
        var depth = 0
        var i = end - 1
        while i >= 0 {
            switch shape[i] {
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth += 1
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                if depth == 0 { return i }
                depth -= 1
            default: break
            }
            i -= 1
        }
        return nil
    }

    /// Commas at the top level of the brackets between `open` and `end`.
    private func commas(from open: Int, to end: Int) -> Int {
        var depth = 0, count = 0
        for c in shape[(open + 1) ..< end] {
            switch c {
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            case UInt8(ascii: ","): if depth == 0 { count += 1 }
            default: break
            }
        }
        return count
    }

    /// The call a table constructor enclosing `end` is an argument of:
    /// `f{`, `f({`, `f(id, {`, and nested fields (`f{ info = {`).
    func tableArgument(enclosing end: Int) -> (function: [CompletionContext.Step], position: Int, fields: [String])? {
        guard let brace = enclosingOpen(before: end), text[brace] == UInt8(ascii: "{") else { return nil }
        let previous = skipSpace(before: brace)
        guard previous >= 0 else { return nil }
        switch text[previous] {
        case UInt8(ascii: "("):
            guard let call = path(endingAt: skipSpace(before: previous)) else { return nil }
            return (call, 0, [])
        case UInt8(ascii: ","):
            guard let paren = enclosingOpen(before: previous), text[paren] == UInt8(ascii: "("),
                  let call = path(endingAt: skipSpace(before: paren)) else { return nil }
            return (call, commas(from: paren, to: brace), [])
        case UInt8(ascii: "="):
            let nameEnd = skipSpace(before: previous)
            let nameStart = wordStart(before: nameEnd + 1)
            guard nameStart <= nameEnd, let outer = tableArgument(enclosing: nameStart) else { return nil }
            return (outer.function, outer.position, outer.fields + [String(decoding: text[nameStart ... nameEnd], as: UTF8.self)])
        default:
            guard let call = path(endingAt: previous) else { return nil }
            return (call, 0, [])
        }
    }
}
