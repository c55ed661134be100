import AvocaCore
import Foundation
import NIOCore
import Synchronization

/// One open realtime socket: its identity and a bounded outbound queue. When the queue is full the
/// client is too slow; the queue is finished, the socket closes and the client resumes later —
/// it never slows anyone else down.
public final class RealtimeConnection: Sendable {
    /// Connection id (also its row in `realtime_connections`).
    public let id: UUID
    /// The agent.
    public let employeeID: EmployeeID
    /// The session the ticket was issued for.
    public let sessionID: SessionID
    /// A supervisor's or an admin's socket: it is also told who each ringing call is offered to.
    public let watchesFloor: Bool

    private let queue: OutboundQueue
    /// Events that arrive while the greeting is being read from the database wait here (`nil`
    /// once greeted), so `hello` is always the first message and nothing in between is lost.
    private let held = Mutex<[ByteBuffer]?>([])
    private let bufferSize: Int
    /// A client that stops reading is also cut off at this many queued bytes, so a few large
    /// messages (snapshots, insights) cannot pin megabytes per socket.
    static let maxQueuedBytes = 4 << 20

    init(id: UUID, employeeID: EmployeeID, sessionID: SessionID, watchesFloor: Bool, bufferSize: Int) {
        self.id = id
        self.employeeID = employeeID
        self.sessionID = sessionID
        self.watchesFloor = watchesFloor
        self.bufferSize = bufferSize
        queue = OutboundQueue(maxCount: bufferSize, maxBytes: Self.maxQueuedBytes)
    }

    /// Messages to write to the socket, in order, one at a time (tests and simple readers).
    public var messages: Messages { Messages(queue: queue) }

    /// Every message queued so far (at most `limit`) without waiting: `[]` when there is none yet,
    /// `nil` once the connection is closed and drained. A writer that fell behind takes its
    /// backlog in one go and sends it in one flush. Messages for many sockets share their bytes:
    /// a word said to 500 sockets is one buffer, not 500 copies.
    public func take(upTo limit: Int = 64) -> [ByteBuffer]? { queue.take(upTo: limit) }

    /// Calls `wake` once, as soon as a message is queued or the connection closes (at once if
    /// either has happened). The socket's writer is this callback rather than a task waiting on
    /// the queue: a task per idle socket costs kilobytes of stack that is never given back.
    public func whenReady(_ wake: @escaping @Sendable () -> Void) { queue.whenReady(wake) }

    /// Whether the hub has closed this connection (too slow, revoked, shutting down); the socket
    /// layer then drops the peer even if a write to it is stuck.
    public var isClosed: Bool { queue.isFinished }

    /// Queues an encoded message; `false` when the buffer is full (the connection is then closed).
    @discardableResult
    func send(text: String) -> Bool { send(ByteBuffer(string: text)) }

    /// Queues a message already encoded (and shared with other sockets); `false` as above.
    @discardableResult
    func send(_ text: ByteBuffer) -> Bool {
        let heldBack: Bool? = held.withLock { pending in
            guard pending != nil else { return nil }
            pending?.append(text)
            return (pending?.count ?? 0) <= bufferSize
        }
        switch heldBack {
        case true?: return true
        case false?:
            queue.finish()
            return false
        case nil: return queue.push(text)
        }
    }

    /// Sends the greeting, then whatever was held back while it was prepared.
    func greet(_ greeting: [ByteBuffer]) {
        let pending = held.withLock { pending in
            defer { pending = nil }
            return pending ?? []
        }
        for text in greeting + pending where !queue.push(text) { return }
    }

    /// Ends the outbound queue; the socket writer then closes the socket.
    public func close() { queue.finish() }

    /// The queued messages one by one: each is taken off the queue only when asked for, so a
    /// reader may stop after any message and a later reader goes on from there.
    public struct Messages: AsyncSequence, Sendable {
        let queue: OutboundQueue

        public func makeAsyncIterator() -> Iterator { Iterator(queue: queue) }

        public struct Iterator: AsyncIteratorProtocol {
            let queue: OutboundQueue

            public mutating func next() async -> String? { await queue.next(upTo: 1)?.first.map { String(buffer: $0) } }
        }
    }
}

/// A single consumer's bounded queue of encoded messages, limited by count and by bytes.
final class OutboundQueue: Sendable {
    /// Who waits for the next message: a task (tests and simple readers) or a callback (the socket).
    private enum Waiter {
        case task(CheckedContinuation<Void, Never>)
        case callback(@Sendable () -> Void)

        func wake() {
            switch self {
            case .task(let continuation): continuation.resume()
            case .callback(let callback): callback()
            }
        }
    }

    private struct State {
        var messages: [ByteBuffer] = []
        var bytes = 0
        var finished = false
        var waiter: Waiter?
    }

    private let state = Mutex(State())
    private let maxCount: Int
    private let maxBytes: Int

    init(maxCount: Int, maxBytes: Int) {
        self.maxCount = maxCount
        self.maxBytes = maxBytes
    }

    var isFinished: Bool { state.withLock { $0.finished } }

    /// Queues `text`; `false` when it does not fit (the queue is finished then). A message for a
    /// queue already finished is dropped quietly: the connection is on its way out anyway.
    func push(_ text: ByteBuffer) -> Bool {
        let size = text.readableBytes
        let (fits, waiter) = state.withLock { state -> (Bool, Waiter?) in
            guard !state.finished else { return (true, nil) }
            let fits = state.messages.count < maxCount && state.bytes <= maxBytes - size
            if fits {
                state.messages.append(text)
                state.bytes += size
            } else {
                state.finished = true
            }
            defer { state.waiter = nil }
            return (fits, state.waiter)
        }
        waiter?.wake()
        return fits
    }

    func finish() {
        let waiter = state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.wake()
    }

    /// Up to `limit` messages without waiting: `[]` when none is queued, `nil` when finished and empty.
    func take(upTo limit: Int) -> [ByteBuffer]? {
        state.withLock { state in
            guard !state.messages.isEmpty else { return state.finished ? nil : [] }
            let count = min(max(limit, 1), state.messages.count)
            let batch = Array(state.messages.prefix(count))
            state.messages.removeFirst(count)
            state.bytes -= batch.reduce(0) { $0 + $1.readableBytes }
            return batch
        }
    }

    /// Calls `wake` once, when a message is queued or the queue finishes (at once if one is
    /// waiting or it has finished). It replaces any earlier waiter: the queue has one consumer.
    func whenReady(_ wake: @escaping @Sendable () -> Void) {
        let ready = state.withLock { state in
            guard state.messages.isEmpty && !state.finished else { return true }
            state.waiter = .callback(wake)
            return false
        }
        if ready { wake() }
    }

    func next(upTo limit: Int) async -> [ByteBuffer]? {
        while true {
            if let taken = take(upTo: limit) {
                if !taken.isEmpty { return taken }
            } else {
                return nil
            }
            if Task.isCancelled { return nil }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { state in
                        guard state.messages.isEmpty && !state.finished && !Task.isCancelled else { return true }
                        state.waiter = .task(waiter)
                        return false
                    }
                    if ready { waiter.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { state in
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.wake()
            }
        }
    }
}
