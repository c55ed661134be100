import AvocaIdentity
import Hummingbird
import NIOCore

/// The request context of every HTTP request: the framework's storage plus the peer address.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connected peer.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// What the HTTP layer knows about the current request, carried into the OpenAPI handlers
/// (which only see the generated types) through a task-local.
struct RequestEnvironment: Sendable {
    /// Resolved credentials, if any were presented and valid.
    var principal: Principal?
    /// Peer address and user agent.
    var client: ClientInfo
    /// Cookies sent with the request.
    var cookies: [String: String]

    @TaskLocal static var current = RequestEnvironment(principal: nil, client: ClientInfo(ipAddress: nil, userAgent: nil), cookies: [:])
}
