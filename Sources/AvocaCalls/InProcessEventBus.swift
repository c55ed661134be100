import AvocaCore

/// The event bus of a single instance (SQLite): fans events out to local subscribers.
public final class InProcessEventBus: EventBus {
    private let fanOut = EventFanOut()

    /// Creates an empty bus.
    public init() {}

    /// Delivers `event` to every current subscriber.
    public func publish(_ event: RealtimeEvent) async { fanOut.deliver(event) }

    /// A stream of every event from now on; it ends when the consumer stops iterating.
    public func subscribe() async -> AsyncStream<RealtimeEvent> { fanOut.subscribe() }
}
