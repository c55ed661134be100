import Foundation

/// Durable queue of outgoing e-mail; a message is only removed once a mailer accepted it.
public protocol MailOutbox: Sendable {
    /// Queues a message for delivery.
    func enqueue(_ message: MailMessage, at: Date) async throws
    /// Claims messages due at `now`, oldest first, by pushing their next attempt `lease` seconds
    /// ahead; of concurrent workers (or instances) only one claims each message.
    func claimDue(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxMessage]
    /// Marks a message delivered and forgets its subject and body (they may carry a code).
    func markSent(_ id: UUID, at: Date) async throws
    /// Records a failed attempt and when to try again.
    func markFailed(_ id: UUID, error: String, nextAttemptAt: Date) async throws
    /// Messages not yet delivered.
    func pendingCount() async throws -> Int
}

/// A queued e-mail with its delivery bookkeeping.
public struct OutboxMessage: Sendable, Equatable {
    /// Row identifier.
    public var id: UUID
    /// The message.
    public var message: MailMessage
    /// Failed attempts so far.
    public var attempts: Int

    /// Creates an outbox entry.
    public init(id: UUID, message: MailMessage, attempts: Int) {
        self.id = id
        self.message = message
        self.attempts = attempts
    }
}
