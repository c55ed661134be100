import AvocaIdentity
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The request context of every HTTP request: the framework's storage plus the client address.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer: the client itself, or the proxy it came through.
    public let peerAddress: SocketAddress?
    /// The client: the TCP peer, or — when the peer is a trusted proxy — the address that proxy
    /// forwarded (`ClientAddressMiddleware`). Throttles and sessions see this one.
    public var remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress
        remoteAddress = peerAddress
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
    /// The request id (also in the `X-Request-Id` response header).
    var requestID: String? = nil
    /// `Set-Cookie` values a handler wants on the response. The HTTP layer adds them, because the
    /// OpenAPI runtime would percent-encode a cookie passed as a generated header.
    var responseCookies = ResponseCookies()

    @TaskLocal static var current = RequestEnvironment(principal: nil, client: ClientInfo(ipAddress: nil, userAgent: nil), cookies: [:])
}

/// Adds the current request id to every log line written while a request is handled, including
/// those of services that only hold the application logger.
public let requestIDMetadataProvider = Logger.MetadataProvider {
    RequestEnvironment.current.requestID.map { ["request_id": .string($0)] } ?? [:]
}

/// A per-request collector of `Set-Cookie` values.
final class ResponseCookies: Sendable {
    private let values = Mutex<[String]>([])
    func add(_ cookie: String) { values.withLock { $0.append(cookie) } }
    var all: [String] { values.withLock { $0 } }
}
