import Foundation
import Synchronization

/// The local half of every event bus: hands each event to this instance's subscribers.
public final class EventFanOut: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<RealtimeEvent>.Continuation]>([:])

    /// Creates a fan-out with no subscribers.
    public init() {}

    /// A stream of every event delivered from now on; it ends when the consumer stops iterating.
    /// A subscriber that falls 10,000 events behind loses the oldest ones rather than growing
    /// without bound.
    public func subscribe() -> AsyncStream<RealtimeEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<RealtimeEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { _ = $0.removeValue(forKey: id) } }
        return stream
    }

    /// Hands `event` to every current subscriber.
    public func deliver(_ event: RealtimeEvent) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(event) }
    }

    /// Ends every subscriber's stream (the bus is shutting down).
    public func finish() {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.finish() }
    }
}
