import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Why an e-mail could not be delivered over SMTP.
///
/// Descriptions quote the server's reply where there is one, and never contain the password.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The SMTP URL or the sender address is unusable.
    case invalidConfiguration(String)
    /// A header value contains a line break or another control character, which could inject headers.
    case invalidHeaderValue(field: String)
    /// An address cannot be used in the SMTP envelope (empty, no `@`, spaces or angle brackets in it).
    case invalidAddress(field: String, address: String)
    /// The server answered a command with an unexpected reply code.
    case unexpectedReply(command: String, code: Int, text: String)
    /// The server sent something that is not an SMTP reply.
    case malformedReply(String)
    /// STARTTLS is required by the configuration, but the server does not offer it.
    case startTLSUnavailable
    /// The server sent more data right after agreeing to STARTTLS; that data would wrongly be trusted as encrypted.
    case unexpectedDataBeforeTLS
    /// Credentials are configured, but the server offers neither AUTH PLAIN nor AUTH LOGIN.
    case authenticationUnavailable(offered: [String])
    /// An address contains non-ASCII characters and the server does not support SMTPUTF8.
    case internationalAddressUnsupported(String)
    /// A step (connecting, the TLS handshake or one command) took longer than the configured timeout.
    case timedOut(step: String)
    /// The connection could not be made, broke, or was closed by the server.
    case connectionFailed(step: String, reason: String)

    /// A readable explanation for logs and the outbox's error column.
    public var description: String {
        switch self {
        case .invalidConfiguration(let reason):
            return "invalid SMTP configuration: \(reason)"
        case .invalidHeaderValue(let field):
            return "the \(field) header contains a line break or control character"
        case .invalidAddress(let field, let address):
            return "'\(address)' is not a usable \(field) address"
        case .unexpectedReply(let command, let code, let text):
            return "SMTP server answered '\(command)' with \(code) \(text)"
        case .malformedReply(let line):
            return "SMTP server sent a malformed reply: \(line)"
        case .startTLSUnavailable:
            return "STARTTLS is required but the SMTP server does not offer it"
        case .unexpectedDataBeforeTLS:
            return "SMTP server sent unexpected data after agreeing to STARTTLS"
        case .authenticationUnavailable(let offered):
            let list = offered.isEmpty ? "none" : offered.joined(separator: ", ")
            return "SMTP server supports no usable AUTH mechanism (offered: \(list); supported: PLAIN, LOGIN)"
        case .internationalAddressUnsupported(let address):
            return "'\(address)' needs SMTPUTF8, which the SMTP server does not support"
        case .timedOut(let step):
            return "SMTP timed out during \(step)"
        case .connectionFailed(let step, let reason):
            return "SMTP connection failed during \(step): \(reason)"
        }
    }
}
