import NIOCore
import NIOPosix
import Testing

@testable import AvocaServer

/// With the sizing handler in front of a listening channel, an accepted connection's first read
/// goes into a 512-byte buffer; a connection whose reads fill the buffer still gets bigger ones.
@Suite("Receive buffer: idle sockets start small", .timeLimit(.minutes(1)))
struct ReceiveBufferSizingTests {
    struct Read { let bytes: Int, capacity: Int }

    /// Records, for each read on the server's side, its size and the buffer's capacity.
    final class ReadProbe: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let reads: AsyncStream<Read>
        let continuation: AsyncStream<Read>.Continuation

        init() { (reads, continuation) = AsyncStream.makeStream() }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            continuation.yield(Read(bytes: buffer.readableBytes, capacity: buffer.capacity))
        }
    }

    @Test("the first read uses 512 bytes; reads that fill the buffer grow it")
    func startsSmallAndGrows() async throws {
        let probe = ReadProbe()
        // Installed after the bind, as the application does once its server runs.
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(probe) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        await ReceiveBufferSizing.install(on: server)
        let address = try #require(server.localAddress)
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(to: address).get()
        var reads = probe.reads.makeAsyncIterator()

        try await client.writeAndFlush(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n")).get()
        let first = try #require(await reads.next())
        #expect(first.capacity == ReceiveBufferSizing.initialBytes)

        // 256 KiB at once: reads that fill their buffer make the next one bigger.
        let total = 262_144
        try await client.writeAndFlush(ByteBuffer(repeating: 0x61, count: total)).get()
        var received = 0
        var largest = 0
        while received < total, let read = await reads.next() {
            received += read.bytes
            largest = max(largest, read.capacity)
        }
        #expect(received == total)
        #expect(largest > 4 * ReceiveBufferSizing.initialBytes)
        try await client.close()
        try await server.close()
    }
}
