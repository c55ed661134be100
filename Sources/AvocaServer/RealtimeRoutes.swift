import AvocaCalls
import AvocaCore
import AvocaIdentity
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// Request context of the WebSocket router. The identity proven by the ticket in `shouldUpgrade`
/// is kept in a shared box so the upgrade handler can read it.
public struct AppWebSocketContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    let identity = TicketIdentity()
    /// The TCP connection, to drop a peer that stopped reading (a pending write would never end).
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}

/// The employee and session a redeemed ticket stood for.
final class TicketIdentity: Sendable {
    let value = Mutex<(EmployeeID, SessionID)?>(nil)
}

/// `GET /api/realtime?ticket=…`: the realtime socket of docs/realtime.md.
func buildWebSocketRouter(services: AvocaServices, origins: OriginPolicy) -> Router<AppWebSocketContext> {
    let router = Router(context: AppWebSocketContext.self)
    router.ws("/api/realtime") { request, context in
        // A page of another site must not open a socket in a signed-in employee's name. Not
        // upgrading hands the request to the HTTP router, whose origin check answers 403; the
        // ticket is left unredeemed.
        guard origins.allows(request.headers[values: .origin]) else { return .dontUpgrade }
        // Tickets are single use: redeeming here means a replayed upgrade URL gets nothing. A bad
        // ticket still upgrades and is closed at once with code 4401: browsers cannot see the HTTP
        // status of a refused upgrade, but they do see a close code.
        if let ticket = request.uri.queryParameters["ticket"].map(String.init),
            let identity = try? await inShortLivedTask({ try await services.calls.redeemTicket(ticket) })
        {
            context.identity.value.withLock { $0 = identity }
        }
        return .upgrade([:])
    } onUpgrade: { [socket = RealtimeSocket(services: services)] inbound, outbound, context in
        try await socket.serve(
            inbound: inbound, outbound: outbound, identity: context.requestContext.identity.value.withLock { $0 },
            channel: context.requestContext.channel, logger: context.logger)
    }
    return router
}
