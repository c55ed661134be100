import Foundation

/// Delivers e-mail. Implementations throw when the message was not accepted, so the outbox retries.
public protocol Mailer: Sendable {
    /// Delivers one message or throws.
    func send(_ message: MailMessage) async throws
}
