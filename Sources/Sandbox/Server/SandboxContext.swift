import Hummingbird
import NIOCore

/// The request context of the sandbox's routes: Hummingbird's, plus the
/// connection, so that a fault can drop it without answering.
public struct SandboxContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
