import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import AvocaServer

/// The socket writer sends a backlog as separate text frames, split at the frame size, in one flush.
@Suite("Realtime: frames of a backlog go out in one flush")
struct RealtimeFrameWriterTests {
    /// Counts flushes on their way to the socket.
    final class FlushCounter: ChannelOutboundHandler, @unchecked Sendable {
        typealias OutboundIn = WebSocketFrame
        var flushes = 0
        func flush(context: ChannelHandlerContext) {
            flushes += 1
            context.flush()
        }
    }

    @Test("three messages, one longer than a frame: four text-or-continuation frames, the long one split at 16 KiB, one flush")
    func backlog() async throws {
        let channel = NIOAsyncTestingChannel()
        let counter = FlushCounter()
        try await channel.pipeline.addHandler(counter)
        let long = String(repeating: "é", count: 20_000)  // 40,000 bytes of UTF-8
        let writer = RealtimeFrameWriter(channel: channel, maxFrameSize: 16 * 1024)
        try await writer.write([#"{"event":"a"}"#, long, #"{"event":"b"}"#].map { ByteBuffer(string: $0) })
        var frames: [WebSocketFrame] = []
        while let frame = try await channel.readOutbound(as: WebSocketFrame.self) { frames.append(frame) }
        try #require(frames.count == 5, "\(frames.count) frames")
        #expect(frames.map(\.opcode) == [.text, .text, .continuation, .continuation, .text])
        #expect(frames.map(\.fin) == [true, false, false, true, true])
        #expect(frames.map(\.data.readableBytes) == [13, 16_384, 16_384, 40_000 - 32_768, 13])
        let rejoined = frames[1...3].reduce(into: ByteBuffer()) { buffer, frame in
            var data = frame.data
            buffer.writeBuffer(&data)
        }
        #expect(String(buffer: rejoined) == long)
        #expect(counter.flushes == 1)
        _ = try await channel.finish()
    }

    @Test("nothing to write writes nothing")
    func empty() async throws {
        let channel = NIOAsyncTestingChannel()
        let counter = FlushCounter()
        try await channel.pipeline.addHandler(counter)
        try await RealtimeFrameWriter(channel: channel, maxFrameSize: 16 * 1024).write([])
        #expect(try await channel.readOutbound(as: WebSocketFrame.self) == nil)
        #expect(counter.flushes == 0)
        _ = try await channel.finish()
    }
}
