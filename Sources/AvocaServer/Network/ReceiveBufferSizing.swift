import NIOCore

/// Starts each accepted connection with a 512-byte receive buffer instead of NIO's 2 KiB.
///
/// NIO keeps a connection's receive buffer for as long as the connection lives and never shrinks
/// it. Most of Avoca's connections are realtime sockets that sit idle for hours, reading a
/// subscription or a pong now and then, so that buffer is a fixed cost per socket (issue 11 asks
/// for ≤ 30 KiB per idle socket in all). NIO's adaptive allocator still doubles the buffer, up to
/// 64 KiB, on a connection whose reads fill it, so a large request costs one or two extra reads
/// while it grows.
///
/// Hummingbird's server sets no child-channel options and runs its own pipeline setup only after
/// the connection has been registered (too late: by then the first read may have been sized).
/// So this sits first in the listening channel's pipeline and sets the option on each accepted
/// connection as it passes, before NIO's accept handler registers it.
final class ReceiveBufferSizing: ChannelInboundHandler, Sendable {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    static let initialBytes = 512

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let accepted = unwrapInboundIn(data)
        let allocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: Self.initialBytes, maximum: 65_536)
        // On the connection's own event loop, ahead of its registration, which NIO queues there
        // after this; a connection closed meanwhile just refuses the option.
        accepted.setOption(ChannelOptions.recvAllocator, value: allocator).whenFailure { _ in }
        context.fireChannelRead(data)
    }

    /// Puts the handler in front of a listening channel's pipeline.
    static func install(on server: any Channel) async {
        try? await server.pipeline.addHandler(ReceiveBufferSizing(), position: .first).get()
    }
}
