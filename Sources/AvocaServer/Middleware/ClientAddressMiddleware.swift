import Hummingbird
import NIOCore

/// Replaces the context's client address with the one a trusted proxy forwarded
/// (`AVOCA_TRUSTED_PROXIES`); from any other peer the forwarding headers are ignored.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let proxies: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !proxies.isEmpty, let peer = context.peerAddress?.ipAddress.flatMap({ IPAddress($0) }) else {
            return try await next(request, context)
        }
        var context = context
        let client = proxies.clientAddress(peer: peer, headers: request.headers)
        // The address came out of our own parser, so it always makes a socket address; the peer is kept if not.
        context.remoteAddress = client.flatMap { try? SocketAddress(ipAddress: $0.description, port: 0) } ?? context.peerAddress
        return try await next(request, context)
    }
}
