/// The items of a list endpoint as an `AsyncSequence`, fetched a page at a
/// time when iteration reaches it: a loop broken off after a few items has
/// fetched only the first page.
///
/// ```swift
/// for try await payout in try lumanu.payouts(PayoutFilter(status: "Processing")) {
///     print(payout.id, payout.amount)
/// }
/// ```
///
/// Iteration stops after a short page, or once the pages seen cover the
/// `total` the server announced. Each iteration starts again from the first
/// page; `total` is known once any page has been fetched. Items created or
/// removed on the server while iterating can shift between pages (Lumanu
/// lists newest first), as with any offset paging.
public struct Pages<Page: ListPage>: AsyncSequence, Sendable {
    public typealias Element = Page.Item
    public typealias Failure = PaymentsError

    /// Items asked for per request.
    public let pageSize: Int
    let fetch: @Sendable (_ index: Int) async throws(PaymentsError) -> Page
    let known = Locked<Int?>(nil)

    /// `fetch` gets the page's index, 0 for the first.
    init(pageSize: Int, fetch: @escaping @Sendable (_ index: Int) async throws(PaymentsError) -> Page) {
        self.pageSize = pageSize
        self.fetch = fetch
    }

    /// How many items match in all, as the latest page fetched said; nil before any.
    public var total: Int? { known.value }

    /// One page, by index (0 for the first), fetched now.
    public func page(_ index: Int) async throws(PaymentsError) -> Page {
        let page = try await fetch(index)
        known.value = page.total
        return page
    }

    /// Every item of every page.
    public func all() async throws(PaymentsError) -> [Page.Item] {
        try await take(Int.max)
    }

    /// At most the first `count` items, fetching only the pages they are on.
    public func take(_ count: Int) async throws(PaymentsError) -> [Page.Item] {
        var items: [Page.Item] = []
        var iterator = makeAsyncIterator()
        while items.count < count, let item = try await iterator.next() { items.append(item) }
        return items
    }

    public func makeAsyncIterator() -> Iterator { Iterator(pages: self) }

    /// Walks the pages in order, fetching the next one only when the current one is used up.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = Page.Item
        public typealias Failure = PaymentsError

        let pages: Pages
        var buffer: [Page.Item] = []
        var position = 0
        var nextIndex = 0
        var finished = false

        public mutating func next() async throws(PaymentsError) -> Page.Item? {
            while position == buffer.count {
                guard !finished else { return nil }
                let page = try await pages.page(nextIndex)
                nextIndex += 1
                buffer = page.items
                position = 0
                finished = page.items.count < pages.pageSize || nextIndex * pages.pageSize >= page.total
            }
            position += 1
            return buffer[position - 1]
        }
    }
}
