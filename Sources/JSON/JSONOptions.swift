/// How ``JSONParser`` reads a text.
public struct JSONDecodingOptions: Sendable, Equatable {
    /// The default nesting limit: 1000 containers.
    public static let defaultMaxDepth = 1000

    /// Containers may nest this deep; `[[1]]` has depth 2, a lone scalar depth 0.
    public var maxDepth: Int

    public init(maxDepth: Int = JSONDecodingOptions.defaultMaxDepth) {
        self.maxDepth = maxDepth
    }
}

/// How values are written as JSON text.
public struct JSONEncodingOptions: Sendable, Equatable {
    /// Newlines and a two-space indent; `"key": value` with one space.
    public var pretty: Bool
    /// Object members in byte order of their keys instead of their own order.
    public var sortKeys: Bool
    /// Containers may nest this deep (also what stops a cycle that was not caught earlier).
    public var maxDepth: Int

    public init(pretty: Bool = false, sortKeys: Bool = false,
                maxDepth: Int = JSONDecodingOptions.defaultMaxDepth) {
        self.pretty = pretty
        self.sortKeys = sortKeys
        self.maxDepth = maxDepth
    }
}
