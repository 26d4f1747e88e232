/// A growable buffer of plain values with manual lifetime, for the parser's hot loops.
///
/// Swift arrays check bounds and uniqueness on every write; the parser keeps
/// its frames, scratch bytes and shape nodes here instead. The owner calls
/// ``deallocate()`` exactly once (the parser does so in a `defer`).
@usableFromInline
struct RawVector<Element: BitwiseCopyable> {
    @usableFromInline var base: UnsafeMutablePointer<Element>
    @usableFromInline var count: Int
    @usableFromInline var capacity: Int

    @inlinable
    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 4)
        self.base = .allocate(capacity: self.capacity)
        self.count = 0
    }

    @inlinable
    func deallocate() { base.deallocate() }

    @inlinable
    subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }

    @inlinable
    mutating func append(_ element: Element) {
        if count == capacity { grow(toAtLeast: count + 1) }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Append `n` bytes starting at `source`.
    @inlinable
    mutating func append(_ source: UnsafePointer<Element>, count n: Int) {
        if count + n > capacity { grow(toAtLeast: count + n) }
        (base + count).update(from: source, count: n)
        count += n
    }

    @inlinable
    mutating func removeLast() -> Element {
        count -= 1
        return base[count]
    }

    @inlinable
    var last: Element {
        get { base[count - 1] }
        nonmutating set { base[count - 1] = newValue }
    }

    /// Double the capacity (at least), keeping the contents. Kept out of line: it is rare.
    @usableFromInline @inline(never)
    mutating func grow(toAtLeast minimum: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimum { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
