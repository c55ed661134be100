import AvocaCalls
import NIOCore

/// Moves a connection's queued messages to its socket, on the socket's event loop, without a task
/// of its own. A writer task per socket kept its stack (kilobytes, never given back) for as long
/// as the socket was open, mostly waiting; here an idle socket costs one callback in its queue.
///
/// One batch is in flight at a time: the next is taken only when the last was handed to the
/// kernel, so a peer that stops reading fills its own bounded queue (which then closes it), never
/// unbounded buffers here.
final class RealtimeSocketPump: Sendable {
    private let connection: RealtimeConnection
    private let frames: RealtimeFrameWriter
    private let finished: @Sendable () -> Void

    /// `finished` runs once, when the connection is closed and drained or a write failed.
    init(connection: RealtimeConnection, frames: RealtimeFrameWriter, finished: @escaping @Sendable () -> Void) {
        self.connection = connection
        self.frames = frames
        self.finished = finished
    }

    /// Starts moving messages; what is already queued goes out at once.
    func start() {
        // The callback holds the pump until it fires; it fires at the latest when the connection closes.
        connection.whenReady { [self] in frames.channel.eventLoop.execute { self.drain() } }
    }

    private func drain() {
        guard let batch = connection.take() else { return finished() }
        guard !batch.isEmpty else { return start() }
        frames.write(batch).whenComplete { [self] result in
            switch result {
            case .success: start()
            case .failure:
                connection.close()
                finished()
            }
        }
    }
}
