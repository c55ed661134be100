import AvocaCalls
import AvocaCore
import AvocaIdentity
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The realtime sockets open on this instance, kept alive by one loop for all of them. A timer
/// task per socket cost 500 wake-ups a second at 500 agents, a single-row heartbeat write every
/// 20 ms and a session lookup per socket; here it is one write per beat for every socket and one
/// liveness check per session, however many tabs it has.
final class RealtimeSockets: Service, Sendable {
    private struct Socket {
        let connection: RealtimeConnection
        let session: SessionID
        /// The TCP connection, to drop a peer that stopped reading (a pending write would never end).
        let channel: any Channel
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

    init(hub: RealtimeHub, identity: IdentityService, repository: any CallRepository, clock: any AppClock, logger: Logger) {
        self.hub = hub
        self.identity = identity
        self.repository = repository
        self.clock = clock
        self.logger = logger
    }

    func add(_ connection: RealtimeConnection, session: SessionID, channel: any Channel) {
        sockets.withLock { $0[connection.id] = Socket(connection: connection, session: session, channel: channel) }
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
