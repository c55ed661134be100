import AvocaCalls
import AvocaCore
import AvocaIdentity
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import ServiceLifecycle
import Synchronization

/// The realtime sockets open on this instance, kept alive by one loop for all of them. A timer
/// task per socket cost 500 wake-ups a second at 500 agents, a single-row heartbeat write every
/// 20 ms and a session lookup per socket; here it is one write per beat for every socket and one
/// liveness check per session, however many tabs it has. The same loop pings every socket and
/// drops a peer that has not been heard from for two ping intervals (a laptop closed, a network
/// gone without a TCP reset), so its agent stops showing online and being offered calls.
final class RealtimeSockets: Service, Sendable {
    private struct Socket {
        let connection: RealtimeConnection
        let session: SessionID
        /// The TCP connection, to drop a peer that stopped reading (a pending write would never end).
        let channel: any Channel
        /// When the peer last sent anything.
        let heard: PeerHeard
        /// When the hub was first seen to have closed the connection.
        var closedAt: ContinuousClock.Instant?
    }

    private let sockets = Mutex<[UUID: Socket]>([:])
    private let hub: RealtimeHub
    private let identity: IdentityService
    private let repository: any CallRepository
    private let clock: any AppClock
    private let logger: Logger
    /// Largest frame sent or accepted; messages are split into frames of at most this size.
    static let maxFrameSize = 16 * 1024
    /// Seconds between heartbeats (presence counts a socket unseen for 30 s as gone).
    static let beatTicks = 10
    /// Seconds between pings; a peer silent for two of them is dropped.
    private let pingTicks: Int

    init(
        hub: RealtimeHub, identity: IdentityService, repository: any CallRepository, clock: any AppClock, pingInterval: TimeInterval = 15,
        logger: Logger
    ) {
        // Whole seconds of the 1 s loop; a bad value (NaN, huge) falls back to the default.
        pingTicks = pingInterval.isFinite && pingInterval >= 1 && pingInterval <= 3_600 ? Int(pingInterval) : 15
        self.hub = hub
        self.identity = identity
        self.repository = repository
        self.clock = clock
        self.logger = logger
    }

    func add(_ connection: RealtimeConnection, session: SessionID, channel: any Channel, heard: PeerHeard) {
        sockets.withLock { $0[connection.id] = Socket(connection: connection, session: session, channel: channel, heard: heard) }
    }

    func remove(_ id: UUID) {
        _ = sockets.withLock { $0.removeValue(forKey: id) }
    }

    func run() async throws {
        var tick = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .seconds(1))
            tick &+= 1
            await dropClosedPeers()
            if tick % Self.beatTicks == 0 { await beat() }
            if tick % pingTicks == 0 { ping() }
        }
    }

    /// Pings every open socket (browsers answer on their own) and drops the TCP connection of a
    /// peer silent for two intervals; its socket's task then cleans up as for any other close.
    private func ping() {
        let now = NIODeadline.now()
        let limit = TimeAmount.seconds(Int64(pingTicks) * 2)
        let (live, silent) = sockets.withLock { sockets in
            var live: [any Channel] = []
            var silent: [any Channel] = []
            for socket in sockets.values where !socket.connection.isClosed {
                if socket.heard.silent(longerThan: limit, at: now) { silent.append(socket.channel) } else { live.append(socket.channel) }
            }
            return (live, silent)
        }
        for channel in silent { channel.close(mode: .all, promise: nil) }
        for channel in live {
            channel.eventLoop.execute {
                channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer()), promise: nil)
            }
        }
    }

    /// A socket whose connection the hub closed (too slow, revoked, shutting down) gets 2 s for
    /// the writer to close it politely; then the TCP connection is dropped, even mid-write.
    private func dropClosedPeers() async {
        let now = ContinuousClock.now
        let due: [(UUID, any Channel)] = sockets.withLock { sockets in
            var due: [(UUID, any Channel)] = []
            for (id, socket) in sockets where socket.connection.isClosed {
                guard let closedAt = socket.closedAt else {
                    sockets[id]?.closedAt = now
                    continue
                }
                if now - closedAt >= .seconds(2) { due.append((id, socket.channel)) }
            }
            for (id, _) in due { sockets[id] = nil }
            return due
        }
        for (id, channel) in due {
            try? await repository.dropConnection(id, at: clock.now())
            channel.close(mode: .all, promise: nil)
        }
    }

    /// Refreshes every open socket's row in one write and closes the sockets of sessions that
    /// ended without an event reaching this instance (expired, or an event lost with its instance).
    private func beat() async {
        let open = sockets.withLock { $0.filter { !$0.value.connection.isClosed } }
        guard !open.isEmpty else { return }
        do {
            try await repository.touchConnections(Array(open.keys), at: clock.now())
        } catch {
            logger.warning("realtime heartbeat failed", metadata: ["error": "\(error)"])
        }
        for session in Set(open.values.map(\.session)) where await !identity.isSessionLive(session) {
            await hub.closeSession(session)
        }
    }
}
