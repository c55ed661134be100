import AvocaCore
import Foundation
import Synchronization

/// The event bus of a single instance (SQLite): fans events out to local subscribers.
public final class InProcessEventBus: EventBus {
    private let subscribers = Mutex<[UUID: AsyncStream<RealtimeEvent>.Continuation]>([:])

    /// Creates an empty bus.
    public init() {}

    /// Delivers `event` to every current subscriber.
    public func publish(_ event: RealtimeEvent) async {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(event) }
    }

    /// A stream of every event from now on; it ends when the consumer stops iterating.
    public func subscribe() async -> AsyncStream<RealtimeEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<RealtimeEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in self?.subscribers.withLock { _ = $0.removeValue(forKey: id) } }
        return stream
    }
}
