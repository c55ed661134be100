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
    } onUpgrade: { inbound, outbound, context in
        guard let (employee, session) = context.requestContext.identity.value.withLock({ $0 }) else {
            // A close frame written at once travels in the same packet as the 101 response, and
            // the NIO-based Swift WebSocket client then loses it now and then (about one test run in
            // two hung or timed out here; none with the pause). Browsers are unaffected; a refused
            // socket is rare, so waiting a moment costs nothing.
            try? await Task.sleep(for: .milliseconds(100))
            try? await outbound.close(.unknown(4401), reason: "invalid or used ticket")
            return
        }
        let connectionID = UUID()
        let connection: RealtimeConnection
        do {
            connection = try await inShortLivedTask {
                // Register presence first, so the greeting already shows this agent online.
                try await services.callRepository.touchConnection(connectionID, employee: employee, at: services.clock.now())
                let role = try await services.identity.employee(employee)?.role
                return try await services.hub.connect(
                    id: connectionID, employee: employee, session: session, watchesFloor: role?.canSupervise ?? false)
            }
        } catch is RealtimeHub.TooManyConnections {
            try? await services.callRepository.dropConnection(connectionID, at: services.clock.now())
            try? await outbound.close(.unknown(4429), reason: "too many sockets for this session")
            return
        }
        services.sockets.add(connection, session: session, channel: context.requestContext.channel)
        await services.bus.publish(.presence)
        // The writer: queued messages go to the socket from the event loop. When the hub closes
        // the queue (slow client, revoked session, shutdown) and it has drained, the socket is
        // closed too. Heartbeats, session checks and dropping a peer stuck mid-write are
        // `RealtimeSockets`' work.
        let frames = RealtimeFrameWriter(channel: context.requestContext.channel, maxFrameSize: RealtimeSockets.maxFrameSize)
        RealtimeSocketPump(connection: connection, frames: frames) {
            Task {
                let revoked = await !services.identity.isSessionLive(session)
                try? await outbound.close(revoked ? .unknown(4401) : .goingAway, reason: revoked ? "session ended" : "reconnect")
            }
        }.start()
        do {
            // Client messages are small (a resume of 50 calls is ~3 KB); a bigger frame ends the socket.
            for try await message in inbound.messages(maxSize: 16 * 1024) {
                // A subscribe reads the call and its transcript: deep, and in its own task for the same reason.
                if case .text(let text) = message { try? await inShortLivedTask { await services.hub.receive(text, from: connection.id) } }
            }
        } catch {
            context.logger.debug("realtime socket ended: \(error)")
        }
        await services.hub.disconnect(connection.id)
        services.sockets.remove(connection.id)
        try? await services.callRepository.dropConnection(connection.id, at: services.clock.now())
        await services.bus.publish(.presence)
    }
    return router
}

/// Runs deep one-off work (database reads) in a task of its own. A task keeps the stack it grew
/// to until it ends; the socket's task lives as long as the socket, so the greeting's reads
/// would otherwise pin their frames for hours (≈ 9 KiB per socket, measured with
/// scripts/bench-idle-sockets).
private func inShortLivedTask<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task { try await work() }
    return try await withTaskCancellationHandler {
        try await task.value
    } onCancel: {
        task.cancel()
    }
}
