import NIOCore
import NIOWebSocket

/// Writes realtime messages to an upgraded socket as WebSocket text frames, a whole backlog in one
/// flush. Hummingbird's outbound writer flushes every frame: when a hundred calls end at once,
/// each of 500 sockets had ~100 messages to send, one syscall each, and the words queued behind
/// them waited. Each message is still its own frame (no protocol change).
struct RealtimeFrameWriter: Sendable {
    let channel: any Channel
    /// Messages longer than this are split into continuation frames.
    let maxFrameSize: Int

    /// Writes and flushes on the channel's event loop (the caller is on it). Succeeds once the
    /// frames are handed to the kernel, so a peer that stops reading holds back only its own
    /// socket (whose queue then overflows and closes it).
    func write(_ messages: [ByteBuffer]) -> EventLoopFuture<Void> {
        channel.eventLoop.preconditionInEventLoop()
        var frames: [WebSocketFrame] = []
        frames.reserveCapacity(messages.count)
        for message in messages { appendFrames(of: message, to: &frames) }
        guard let last = frames.popLast() else { return channel.eventLoop.makeSucceededVoidFuture() }
        for frame in frames { channel.write(frame, promise: nil) }
        return channel.writeAndFlush(last)
    }

    /// Slices share the message's bytes: nothing is copied per socket.
    private func appendFrames(of message: ByteBuffer, to frames: inout [WebSocketFrame]) {
        var buffer = message
        let size = max(maxFrameSize, 1)
        var opcode = WebSocketOpcode.text
        while buffer.readableBytes > size, let slice = buffer.readSlice(length: size) {
            frames.append(WebSocketFrame(fin: false, opcode: opcode, data: slice))
            opcode = .continuation
        }
        frames.append(WebSocketFrame(fin: true, opcode: opcode, data: buffer))
    }
}
