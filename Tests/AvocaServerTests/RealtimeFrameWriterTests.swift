import AvocaCore
import Foundation
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Synchronization
import Testing

@testable import AvocaCalls
@testable import AvocaServer

/// A socket's writer: a backlog goes out as separate text frames, split at the frame size, in one
/// flush; it runs without a task of its own and ends exactly once.
@Suite("Realtime: the socket writer")
struct RealtimeFrameWriterTests {
    /// Counts flushes on their way to the socket, and can make writes fail.
    final class FlushCounter: ChannelOutboundHandler, @unchecked Sendable {
        typealias OutboundIn = WebSocketFrame
        var flushes = 0
        var failWrites = false
        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if failWrites { return promise?.fail(ChannelError.ioOnClosedChannel) ?? () }
            context.write(data, promise: promise)
        }
        func flush(context: ChannelHandlerContext) {
            flushes += 1
            context.flush()
        }
    }

    /// How often the writer said it ended.
    final class Endings: Sendable {
        private let count = Mutex(0)
        func note() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    struct Rig {
        let channel = EmbeddedChannel()
        let counter = FlushCounter()
        let connection = RealtimeConnection(
            id: UUID(), employeeID: EmployeeID(UUID()), sessionID: SessionID(UUID()), watchesFloor: false, bufferSize: 100)
        let endings = Endings()

        init() throws {
            try channel.pipeline.syncOperations.addHandler(counter)
            let endings = endings
            RealtimeSocketPump(connection: connection, frames: RealtimeFrameWriter(channel: channel, maxFrameSize: 16 * 1024)) {
                endings.note()
            }.start()
        }

        func frames() throws -> [WebSocketFrame] {
            channel.embeddedEventLoop.run()
            var frames: [WebSocketFrame] = []
            while let frame = try channel.readOutbound(as: WebSocketFrame.self) { frames.append(frame) }
            return frames
        }
    }

    @Test("three queued messages, one longer than a frame: five frames, the long one split at 16 KiB, one flush")
    func backlog() throws {
        let rig = try Rig()
        let long = String(repeating: "é", count: 20_000)  // 40,000 bytes of UTF-8
        for text in [#"{"event":"a"}"#, long, #"{"event":"b"}"#] { #expect(rig.connection.send(text: text)) }
        // `greet` releases what was held for the greeting; nothing is written before it.
        #expect(try rig.frames().isEmpty)
        rig.connection.greet([])
        let frames = try rig.frames()
        try #require(frames.count == 5, "\(frames.count) frames")
        #expect(frames.map(\.opcode) == [.text, .text, .continuation, .continuation, .text])
        #expect(frames.map(\.fin) == [true, false, false, true, true])
        #expect(frames.map(\.data.readableBytes) == [13, 16_384, 16_384, 40_000 - 32_768, 13])
        let rejoined = frames[1...3].reduce(into: ByteBuffer()) { buffer, frame in
            var data = frame.data
            buffer.writeBuffer(&data)
        }
        #expect(String(buffer: rejoined) == long)
        #expect(rig.counter.flushes == 1)
    }

    @Test("an idle socket writes nothing; each later message goes out; closing ends the writer once")
    func idleThenLater() throws {
        let rig = try Rig()
        rig.connection.greet([])
        #expect(try rig.frames().isEmpty)
        #expect(rig.counter.flushes == 0)
        rig.connection.send(text: "one")
        #expect(try rig.frames().map { String(buffer: $0.data) } == ["one"])
        rig.connection.send(text: "two")
        rig.connection.send(text: "three")
        #expect(try rig.frames().map { String(buffer: $0.data) } == ["two", "three"])
        #expect(rig.endings.value == 0)
        rig.connection.send(text: "last words")
        rig.connection.close()
        #expect(try rig.frames().map { String(buffer: $0.data) } == ["last words"])
        #expect(rig.endings.value == 1)
        rig.connection.send(text: "after the end")
        #expect(try rig.frames().isEmpty)
        #expect(rig.endings.value == 1)
    }

    @Test("a failed write closes the connection and ends the writer once")
    func failedWrite() throws {
        let rig = try Rig()
        rig.connection.greet([])
        rig.counter.failWrites = true
        rig.connection.send(text: "lost")
        #expect(try rig.frames().isEmpty)
        #expect(rig.connection.isClosed)
        #expect(rig.endings.value == 1)
        rig.connection.close()
        _ = try rig.frames()
        #expect(rig.endings.value == 1)
    }
}
