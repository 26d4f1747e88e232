/// The key sequences of the objects seen in one parse, as a trie.
///
/// Node 0 is the empty object; each other node is its parent's key sequence
/// plus one key. An object walks from node 0 one key at a time, and the node
/// where it stops is its shape (``JSONShape``). Every node remembers the child
/// it last moved to, so in a list of objects that share their keys each step
/// is one comparison of the key bytes against the input, without even finding
/// the closing quote first. Other children are found through one hash table
/// keyed by (parent, key bytes).
///
/// Creating a node is also when duplicate keys are caught: the new key is
/// compared with the keys on the path to the root, once per distinct shape.
/// Objects with more than ``maxKeys`` keys, and any object once the trie has
/// ``maxNodes`` nodes, go untracked (``JSONShape/none``) from that key on.
@usableFromInline
struct ShapeTrie {
    @usableFromInline
    struct Node: BitwiseCopyable {
        @usableFromInline var keyStart: Int32
        @usableFromInline var keyLength: Int32
        @usableFromInline var parent: Int32
        @usableFromInline var depth: Int32
        /// The child most recently moved to, or -1.
        @usableFromInline var lastChild: Int32
        /// True when the key is written the same in JSON as in bytes (no quote,
        /// backslash or control character), so input bytes can be compared directly.
        @usableFromInline var plain: Bool

        @inlinable
        init(keyStart: Int32, keyLength: Int32, parent: Int32, depth: Int32, lastChild: Int32, plain: Bool) {
            self.keyStart = keyStart
            self.keyLength = keyLength
            self.parent = parent
            self.depth = depth
            self.lastChild = lastChild
            self.plain = plain
        }
    }

    @usableFromInline static let maxKeys: Int32 = 128
    @usableFromInline static let maxNodes = 1 << 16

    @usableFromInline var nodes: RawVector<Node>
    @usableFromInline var arena: RawVector<UInt8>
    /// Open addressing; slots hold node ids or -1.
    @usableFromInline var table: UnsafeMutablePointer<Int32>
    @usableFromInline var tableMask: Int

    @inlinable
    init() {
        nodes = RawVector(capacity: 64)
        arena = RawVector(capacity: 512)
        nodes.append(Node(keyStart: 0, keyLength: 0, parent: -1, depth: 0, lastChild: -1, plain: true))
        tableMask = 127
        table = .allocate(capacity: tableMask + 1)
        table.initialize(repeating: -1, count: tableMask + 1)
    }

    @inlinable
    func deallocate() {
        nodes.deallocate()
        arena.deallocate()
        table.deallocate()
    }

    /// The bytes of node `id`'s last key.
    @inlinable
    func key(of id: Int32) -> UnsafeRawBufferPointer {
        let node = nodes[Int(id)]
        return UnsafeRawBufferPointer(start: arena.base + Int(node.keyStart), count: Int(node.keyLength))
    }

    /// The outcome of stepping from a node with a key.
    @usableFromInline
    enum Step {
        case found(Int32)
        case created(Int32)
        case duplicate
        case untracked
    }

    /// Move from `parent` along `key`, creating the child if needed.
    /// Returns `.duplicate` when the key already occurs on the path from the root.
    @usableFromInline
    mutating func step(from parent: Int32, key: UnsafeRawBufferPointer) -> Step {
        let hash = Self.hash(parent: parent, key: key)
        var slot = hash & tableMask
        while true {
            let id = table[slot]
            if id < 0 { break }
            let node = nodes[Int(id)]
            if node.parent == parent, bytesEqual(self.key(of: id), key) {
                nodes.base[Int(parent)].lastChild = id
                return .found(id)
            }
            slot = (slot + 1) & tableMask
        }
        let depth = nodes[Int(parent)].depth + 1
        if depth > Self.maxKeys || nodes.count >= Self.maxNodes { return .untracked }
        if pathContains(parent, key: key) { return .duplicate }

        let id = Int32(nodes.count)
        let start = Int32(arena.count)
        if let source = key.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            arena.append(source, count: key.count)
        }
        nodes.append(Node(keyStart: start, keyLength: Int32(key.count), parent: parent, depth: depth,
                          lastChild: -1, plain: Self.isPlain(key)))
        nodes.base[Int(parent)].lastChild = id
        table[slot] = id
        if nodes.count * 2 > tableMask + 1 { rehash() }
        return .created(id)
    }

    /// True when `key` is one of the keys from `node` up to the root.
    @usableFromInline
    func pathContains(_ node: Int32, key: UnsafeRawBufferPointer) -> Bool {
        var id = node
        while id > 0 {
            if bytesEqual(self.key(of: id), key) { return true }
            id = nodes[Int(id)].parent
        }
        return false
    }

    /// The keys from the root to `node`, in order.
    @usableFromInline
    func keys(to node: Int32) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var id = node
        while id > 0 {
            result.append(Array(key(of: id)))
            id = nodes[Int(id)].parent
        }
        return result.reversed()
    }

    @usableFromInline
    mutating func rehash() {
        let newMask = tableMask * 2 + 1
        let newTable = UnsafeMutablePointer<Int32>.allocate(capacity: newMask + 1)
        newTable.initialize(repeating: -1, count: newMask + 1)
        for id in 1..<Int32(nodes.count) {
            let node = nodes[Int(id)]
            var slot = Self.hash(parent: node.parent, key: key(of: id)) & newMask
            while newTable[slot] >= 0 { slot = (slot + 1) & newMask }
            newTable[slot] = id
        }
        table.deallocate()
        table = newTable
        tableMask = newMask
    }

    /// FNV-1a over the key, seeded with the parent.
    @usableFromInline
    static func hash(parent: Int32, key: UnsafeRawBufferPointer) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ (UInt64(UInt32(bitPattern: parent)) &* 0x9E37_79B9_7F4A_7C15)
        for byte in key {
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @usableFromInline
    static func isPlain(_ key: UnsafeRawBufferPointer) -> Bool {
        for byte in key where byte < 0x20 || byte == 0x22 || byte == 0x5C { return false }
        return true
    }
}

/// Byte-for-byte equality of two buffers.
@inlinable
func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }
    return bytesEqual(pa, pb, count: a.count)
}

/// Equality of `count` bytes at two addresses, eight at a time.
@inlinable @inline(__always)
func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}
