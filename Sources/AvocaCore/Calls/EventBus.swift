import Foundation

/// Carries events to every instance, including the one that published them.
public protocol EventBus: Sendable {
    /// Sends an event to every subscriber on every instance.
    func publish(_ event: RealtimeEvent) async
    /// A new stream of every event published from now on.
    func subscribe() async -> AsyncStream<RealtimeEvent>
}
