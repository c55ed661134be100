import AvocaCore
import Logging

/// Development mailer: prints each message to the log, so verification codes are visible in the terminal.
public struct ConsoleMailer: Mailer {
    private let logger: Logger

    /// Creates the mailer.
    public init(logger: Logger) { self.logger = logger }

    /// Logs the message.
    public func send(_ message: MailMessage) async throws {
        logger.notice("e-mail to \(message.to): \(message.subject)\n\(message.textBody)")
    }
}
