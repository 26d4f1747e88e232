import JSON
import LuaKit
import PaymentsCore

/// One page of a list: its items and how many match in all (when the API says).
struct CursorPage: Sendable {
    let items: [JSONValue]
    let total: Int?
}

/// What a list call returns to Lua: the items of every page, fetched only as
/// they are needed.
///
/// - `for item in cursor do ... end` walks every item, a page at a time (a
///   loop broken off early fetched only the pages it reached). Each new loop
///   starts again from the first item.
/// - `cursor:all()`, `cursor:take(n)`, `cursor:first()` fetch what they need
///   and return plain tables (`first` returns the item or nil).
/// - `#cursor` is the total the API announced (fetching the first page if no
///   page has been fetched yet).
/// - `cursor.total` is that total or nil; `cursor.operation` the list call's name.
final class LuaCursor: @unchecked Sendable {
    static let metatableName = "paysh.cursor"

    let operation: String
    let pageSize: Int
    let fetch: @Sendable (_ index: Int) async throws(PaymentsError) -> CursorPage
    let runtime: PayshRuntime
    /// The kind of object the items are, for the ids completion offers.
    let kind: String?
    private(set) var total: Int?

    // The walk of the current `for` loop.
    private var buffer: [JSONValue] = []
    private var position = 0
    private var nextPage = 0
    private var seen = 0
    private var exhausted = false

    init(operation: String, pageSize: Int, kind: String?, runtime: PayshRuntime,
         fetch: @escaping @Sendable (_ index: Int) async throws(PaymentsError) -> CursorPage) {
        self.operation = operation
        self.pageSize = pageSize
        self.kind = kind
        self.runtime = runtime
        self.fetch = fetch
    }

    /// Whether a page of `count` items ends the list (short page, or the total reached).
    static func isLast(count: Int, seen: Int, pageSize: Int, total: Int?) -> Bool {
        count < pageSize || count == 0 || (total.map { seen >= $0 } ?? false)
    }

    /// Up to `limit` items from the first page on, fetched in one task.
    static func collect(_ fetch: @escaping @Sendable (Int) async throws(PaymentsError) -> CursorPage, pageSize: Int,
                        limit: Int) async throws(PaymentsError) -> (items: [JSONValue], total: Int?) {
        var items: [JSONValue] = []
        var total: Int?
        var index = 0
        while items.count < limit {
            let page = try await fetch(index)
            total = page.total ?? total
            items.append(contentsOf: page.items.prefix(limit - items.count))
            if isLast(count: page.items.count, seen: index * pageSize + page.items.count, pageSize: pageSize, total: total) { break }
            index += 1
        }
        return (items, total)
    }

    /// Note what a fetch learnt: the total, and the ids seen (offered by completion).
    func learn(total: Int?, items: [JSONValue]) {
        if let total { self.total = total }
        guard let kind else { return }
        for item in items.suffix(50) {
            if case .object(let object) = item, let id = object["id"]?.stringValue { runtime.remember(id, kind: kind) }
        }
    }

    // MARK: Lua methods

    /// `cursor(_, previous)`: the next item of the loop, or nil at the end.
    func next(_ stack: LuaStack, restart: Bool) throws -> Int32 {
        if restart { (buffer, position, nextPage, seen, exhausted) = ([], 0, 0, 0, false) }
        if position < buffer.count { return try pushItem(stack) }
        if exhausted {
            stack.pushNil()
            return 1
        }
        let index = nextPage, fetch = self.fetch
        return try suspend(stack, { () async throws(PaymentsError) -> CursorPage in try await fetch(index) }) { cursor, stack, page in
            cursor.nextPage += 1
            cursor.seen += page.items.count
            cursor.buffer = page.items
            cursor.position = 0
            cursor.learn(total: page.total, items: page.items)
            cursor.exhausted = Self.isLast(count: page.items.count, seen: cursor.seen, pageSize: cursor.pageSize, total: cursor.total)
            if cursor.buffer.isEmpty {
                stack.pushNil()
                return 1
            }
            return try cursor.pushItem(stack)
        }
    }

    private func pushItem(_ stack: LuaStack) throws -> Int32 {
        try pushJSON(buffer[position], on: stack)
        position += 1
        return 1
    }

    /// `cursor:take(n)` (`all` is take(∞)): an array of the first `limit` items.
    func take(_ stack: LuaStack, limit: Int, single: Bool = false) throws -> Int32 {
        let fetch = self.fetch, pageSize = self.pageSize
        return try suspend(stack, { () async throws(PaymentsError) in
            try await Self.collect(fetch, pageSize: pageSize, limit: limit)
        }) { cursor, stack, result in
            cursor.learn(total: result.total, items: result.items)
            if single {
                if let item = result.items.first { try pushJSON(item, on: stack) } else { stack.pushNil() }
            } else {
                try pushJSON(.array(result.items), on: stack)
            }
            return 1
        }
    }

    /// `#cursor`: the total, fetching the first page when none has been fetched.
    func length(_ stack: LuaStack) throws -> Int32 {
        if let total {
            stack.push(Int64(total))
            return 1
        }
        let fetch = self.fetch
        return try suspend(stack, { () async throws(PaymentsError) in try await fetch(0) }) { cursor, stack, page in
            cursor.learn(total: page.total, items: page.items)
            stack.push(Int64(cursor.total ?? page.items.count))
            return 1
        }
    }

    /// Run `work` while the coroutine waits, then `deliver` on the Lua thread.
    private func suspend<T: Sendable>(_ stack: LuaStack, _ work: @escaping @Sendable () async throws(PaymentsError) -> T,
                                      deliver: @escaping @Sendable (LuaCursor, LuaStack, T) throws -> Int32) throws -> Int32 {
        try runtime.scheduler.suspend(stack) { [self] in
            do throws(PaymentsError) {
                let value = try await work()
                return { stack in try deliver(self, stack, value) }
            } catch {
                return { _ in throw LuaAPIError(error) }
            }
        }
    }

    /// `<cursor lumyri.invoices: 64 in all>`.
    var summary: String {
        "<cursor \(operation): " + (total.map { "\($0) in all" } ?? "not fetched yet") + "; :all(), :take(n), :first(), for x in cursor>"
    }

    // MARK: The metatable

    /// Push `cursor` as a userdata with the shared cursor metatable.
    static func push(_ cursor: LuaCursor, on stack: LuaStack) {
        defineMetatable(on: stack)
        stack.push(object: cursor, metatable: metatableName)
    }

    private static func defineMetatable(on stack: LuaStack) {
        if stack.getRegisteredMetatable(metatableName) == .table {
            stack.pop()
            return
        }
        stack.pop()
        func this(_ stack: LuaStack, _ method: String) throws -> LuaCursor {
            guard let cursor = stack.toObject(at: 1, as: LuaCursor.self) else {
                throw LuaError(message: "cursor:\(method): call it with a colon (cursor:\(method)(...))")
            }
            return cursor
        }
        let methods: [String: LuaFunction] = [
            "all": { stack in try this(stack, "all").take(stack, limit: Int.max) },
            "take": { stack in
                let cursor = try this(stack, "take")
                guard let n = stack.toInteger(at: 2), stack.isInteger(at: 2), n >= 0 else {
                    throw LuaError(message: "cursor:take: argument #1 (n): expected a count (integer, 0 or more), got \(stack.argumentTypeName(2))")
                }
                return try cursor.take(stack, limit: Int(n))
            },
            "first": { stack in try this(stack, "first").take(stack, limit: 1, single: true) },
        ]
        stack.defineMetatable(metatableName, metamethods: [
            "__call": { stack in try this(stack, "next").next(stack, restart: stack.type(at: 3) == .nil || stack.type(at: 3) == .none) },
            "__len": { stack in try this(stack, "len").length(stack) },
            "__tostring": { stack in
                stack.push(try this(stack, "tostring").summary)
                return 1
            },
        ])
        stack.getRegisteredMetatable(metatableName)
        stack.newTable(hash: Int32(methods.count))
        for (key, body) in methods.sorted(by: { $0.key < $1.key }) {
            stack.push(function: body)
            stack.rawSet(at: -2, key)
        }
        stack.rawSet(at: -2, "__methods")
        // __index: the fields `total` and `operation`, else the methods.
        stack.push(function: { frame in
            guard let key = frame.toString(at: 2) else { return 0 }
            if let cursor = frame.toObject(at: 1, as: LuaCursor.self) {
                switch key {
                case "total":
                    if let total = cursor.total { frame.push(Int64(total)) } else { frame.pushNil() }
                    return 1
                case "operation":
                    frame.push(cursor.operation)
                    return 1
                default: break
                }
            }
            frame.getRegisteredMetatable(metatableName)
            frame.rawGet(at: -1, "__methods")
            frame.rawGet(at: -1, key)
            return 1
        })
        stack.rawSet(at: -2, "__index")
        stack.pop()
    }
}
