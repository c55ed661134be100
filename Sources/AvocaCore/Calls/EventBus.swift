import Foundation

/// Carries events to every instance, including the one that published them.
public protocol EventBus: Sendable {
    /// Sends an event to every subscriber on every instance.
    func publish(_ event: RealtimeEvent) async
    /// A new stream of every event published from now on.
    func subscribe() async -> AsyncStream<RealtimeEvent>
    /// `event` as a notification the database sends itself, in the statement that stores what the
    /// event announces: the store and its announcement then cost one round trip, and commit
    /// together. `nil` when this bus is not carried by the database.
    func databaseNotification(for event: RealtimeEvent) -> DatabaseNotification?
}

extension EventBus {
    public func databaseNotification(for event: RealtimeEvent) -> DatabaseNotification? { nil }
}

/// An encoded event for the database's own notification channel (PostgreSQL `NOTIFY`).
public struct DatabaseNotification: Sendable, Equatable {
    /// The channel every instance listens on.
    public let channel: String
    /// The encoded event.
    public let payload: String

    /// Creates a notification.
    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}
