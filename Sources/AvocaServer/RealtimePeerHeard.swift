import NIOCore
import Synchronization

/// When a realtime peer last sent anything (a pong, a message, a TCP segment of either), read by
/// the central pinger in `RealtimeSockets`. One of these and one small handler per socket replace
/// the WebSocket library's ping task per socket, whose stack and task cost ≈ 3 KiB each.
final class PeerHeard: Sendable {
    private let lastNanoseconds = Atomic<UInt64>(NIODeadline.now().uptimeNanoseconds)

    /// Records that the peer was heard now.
    func touch() { lastNanoseconds.store(NIODeadline.now().uptimeNanoseconds, ordering: .relaxed) }

    /// Whether the peer has been silent for longer than `limit` at `now` (a monotonic clock, so
    /// `now` is never before the last touch; the subtraction cannot wrap).
    func silent(longerThan limit: TimeAmount, at now: NIODeadline) -> Bool {
        let last = lastNanoseconds.load(ordering: .relaxed)
        let current = now.uptimeNanoseconds
        return current > last && current - last > UInt64(max(0, limit.nanoseconds))
    }

    /// Starts listening on `channel`, ahead of the WebSocket decoder so every byte read counts.
    func listen(on channel: any Channel) async throws {
        try await channel.eventLoop.submit { [self] in
            try channel.pipeline.syncOperations.addHandler(Handler(heard: self), position: .first)
        }.get()
    }

    private final class Handler: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        let heard: PeerHeard

        init(heard: PeerHeard) { self.heard = heard }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            heard.touch()
            context.fireChannelRead(data)
        }
    }
}
