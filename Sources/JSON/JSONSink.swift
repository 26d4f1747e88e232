/// A key sequence seen by the parser, so that sinks can share work between
/// objects with the same keys in the same order (a "shape").
///
/// Within one parse, two objects get the same shape exactly when they have
/// the same keys in the same order; every key prefix has a shape of its own,
/// and ``key(_:shape:)`` reports the shape reached with that key. Ids are
/// small, dense and start at 0 (the empty object), so a sink can keep a
/// per-shape cache in an array. ``none`` marks an object the parser stopped
/// tracking (one with very many keys, or past the tracker's size limit).
public struct JSONShape: Hashable, Sendable {
    public let id: Int32
    public init(id: Int32) { self.id = id }
    /// No shape: the object has too many keys to be worth sharing.
    public static let none = JSONShape(id: -1)
    /// The empty object.
    public static let empty = JSONShape(id: 0)
    public var isNone: Bool { id < 0 }
}

/// Receives a JSON document as the parser reads it, with no tree in between.
///
/// Calls come in document order. A container is `begin…`, its contents, then
/// `end…` with its element count; an object's members are `key` then the
/// value. Strings and keys arrive as decoded UTF-8 bytes (escapes resolved,
/// NUL bytes possible) that are valid only during the call. Numbers arrive as
/// `integer` (fits `Int64`), `double` (the text survives a round trip through
/// `Double`), or `number(text:)` with the exact text otherwise.
///
/// Sinks may throw ``JSONError/unplaced(_:_:)``; the parser fills in the
/// position. Implementations meant to be fast should be structs: the parser
/// is generic and `@inlinable`, so it is specialised for each sink.
public protocol JSONSink {
    mutating func beginObject() throws(JSONError)
    mutating func key(_ bytes: UnsafeRawBufferPointer, shape: JSONShape) throws(JSONError)
    mutating func endObject(count: Int, shape: JSONShape) throws(JSONError)
    mutating func beginArray() throws(JSONError)
    mutating func endArray(count: Int) throws(JSONError)
    mutating func string(_ bytes: UnsafeRawBufferPointer) throws(JSONError)
    mutating func integer(_ value: Int64) throws(JSONError)
    mutating func double(_ value: Double) throws(JSONError)
    mutating func number(text: UnsafeRawBufferPointer) throws(JSONError)
    mutating func bool(_ value: Bool) throws(JSONError)
    mutating func null() throws(JSONError)
}
