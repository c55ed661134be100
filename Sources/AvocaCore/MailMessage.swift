import Foundation

/// An e-mail ready to be delivered.
public struct MailMessage: Sendable, Codable, Equatable {
    /// The recipient address.
    public var to: String
    /// The subject line.
    public var subject: String
    /// The plain-text body.
    public var textBody: String

    /// Creates a message.
    public init(to: String, subject: String, textBody: String) {
        self.to = to
        self.subject = subject
        self.textBody = textBody
    }
}
