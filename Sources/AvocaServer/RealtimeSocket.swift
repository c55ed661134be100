import AvocaCalls
import AvocaCore
import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore

/// One realtime socket's life after the upgrade: register, greet, pass the client's messages to
/// the hub, clean up. The task that runs it lives as long as the socket (hours), and a task keeps
/// the stack it ever grew to until it ends, so that task's own frames are kept small: everything
/// deep runs in short-lived tasks, and what the long wait holds is a few references. (With this
/// code inline in the route's closure, that closure's frame alone was ≈ 6.8 KiB per socket,
/// measured with heaptrack at 2,000 idle sockets.)
final class RealtimeSocket: Sendable {
    private let services: AvocaServices

    init(services: AvocaServices) { self.services = services }

    /// Serves the socket of `identity` (the redeemed ticket's, `nil` when it was bad or used) until it closes.
    func serve(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, identity: (EmployeeID, SessionID)?, channel: any Channel,
        logger: Logger
    ) async throws {
        guard let (employee, session) = identity else {
            // A close frame written at once travels in the same packet as the 101 response, and
            // the NIO-based Swift WebSocket client then loses it now and then (about one test run in
            // two hung or timed out here; none with the pause). Browsers are unaffected; a refused
            // socket is rare, so waiting a moment costs nothing.
            try? await Task.sleep(for: .milliseconds(100))
            try? await outbound.close(.unknown(4401), reason: "invalid or used ticket")
            return
        }
        guard
            let connection = try await inShortLivedTask({
                try await self.open(employee: employee, session: session, outbound: outbound, channel: channel)
            })
        else { return }
        await receive(inbound, for: connection.id, logger: logger)
        await services.hub.disconnect(connection.id)
        services.sockets.remove(connection.id)
        try? await services.callRepository.dropConnection(connection.id, at: services.clock.now())
        await services.bus.publish(.presence)
    }

    /// Registers and greets the socket and starts moving its messages; `nil` when the peer was
    /// already gone, or it was refused (and closed) for going over the session's socket limit.
    /// Nothing after the registration throws, so a registered socket is always cleaned up.
    private func open(
        employee: EmployeeID, session: SessionID, outbound: WebSocketOutboundWriter, channel: any Channel
    ) async throws
        -> RealtimeConnection?
    {
        // First, before anything is registered: a peer that is already gone (its first frame was
        // too big, it hung up) fails here and leaves nothing behind.
        let heard = PeerHeard()
        guard (try? await heard.listen(on: channel)) != nil else { return nil }
        let connectionID = UUID()
        let connection: RealtimeConnection
        do {
            // Register presence first, so the greeting already shows this agent online.
            try await services.callRepository.touchConnection(connectionID, employee: employee, at: services.clock.now())
            let role = try await services.identity.employee(employee)?.role
            connection = try await services.hub.connect(
                id: connectionID, employee: employee, session: session, watchesFloor: role?.canSupervise ?? false)
        } catch {
            // Whatever failed (the limit, or a read for the greeting), the agent is not online
            // through this socket: its row is closed now, not left to look live until it goes stale.
            try? await services.callRepository.dropConnection(connectionID, at: services.clock.now())
            guard error is RealtimeHub.TooManyConnections else {
                await services.bus.publish(.presence)
                throw error
            }
            try? await outbound.close(.unknown(4429), reason: "too many sockets for this session")
            return nil
        }
        services.sockets.add(connection, session: session, channel: channel, heard: heard)
        await services.bus.publish(.presence)
        // The writer: queued messages go to the socket from the event loop. When the hub closes
        // the queue (slow client, revoked session, shutdown) and it has drained, the socket is
        // closed too. Heartbeats, session checks and dropping a peer stuck mid-write are
        // `RealtimeSockets`' work.
        let frames = RealtimeFrameWriter(channel: channel, maxFrameSize: RealtimeSockets.maxFrameSize)
        // The callback lives as long as the socket: it holds this object, not a copy of the
        // services (≈ 2 KiB a socket, measured).
        RealtimeSocketPump(connection: connection, frames: frames) { [self] in
            Task {
                let revoked = await !self.services.identity.isSessionLive(session)
                try? await outbound.close(revoked ? .unknown(4401) : .goingAway, reason: revoked ? "session ended" : "reconnect")
            }
        }.start()
        return connection
    }

    /// Hands the client's messages to the hub until the socket ends.
    private func receive(_ inbound: WebSocketInboundStream, for connection: UUID, logger: Logger) async {
        do {
            // Client messages are small (a resume of 50 calls is ~3 KB); a bigger frame ends the socket.
            for try await message in inbound.messages(maxSize: 16 * 1024) {
                // A subscribe reads the call and its transcript: deep, and in its own task for the same reason.
                if case .text(let text) = message { try? await inShortLivedTask { await self.services.hub.receive(text, from: connection) } }
            }
        } catch {
            logger.debug("realtime socket ended: \(error)")
        }
    }
}

/// Runs deep one-off work (database reads) in a task of its own. A task keeps the stack it grew
/// to until it ends; a socket's task lives as long as the socket, so the greeting's reads would
/// otherwise pin their frames for hours (≈ 9 KiB per socket, measured with
/// scripts/bench-idle-sockets).
func inShortLivedTask<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task { try await work() }
    return try await withTaskCancellationHandler {
        try await task.value
    } onCancel: {
        task.cancel()
    }
}
