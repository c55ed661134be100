import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail to an SMTP server, one connection per message.
///
/// The conversation is: greeting, EHLO, STARTTLS and a second EHLO when the server offers it (or the
/// configuration requires it), AUTH PLAIN — or AUTH LOGIN if that is all the server offers — when credentials
/// are configured, MAIL FROM, RCPT TO, DATA, QUIT. Every step has the configured timeout.
///
/// Credentials are sent over an unencrypted connection only if the URL is `smtp://` without
/// `starttls=required` and the server does not offer STARTTLS; use `starttls=required` or `smtps://` to rule
/// that out.
public struct SMTPMailer: Mailer {
    /// Where and how mail is delivered.
    public let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup

    /// Creates a mailer; nothing is connected until ``send(_:)``.
    public init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
    }

    /// Delivers one message, returning once the server has accepted it.
    ///
    /// - Throws: ``SMTPError`` when the message is invalid, the server rejects it or the connection fails;
    ///   the message was then not accepted and may be retried.
    public func send(_ message: MailMessage) async throws {
        // Everything that can be checked locally is checked before connecting, so a message that can never be
        // sent does not cost a connection on every retry.
        let sender = try MailAddress.envelopeAddress(of: self.configuration.from, field: "From")
        let recipient = try MailAddress.envelopeAddress(of: message.to, field: "To")
        let content = try SMTPMessageFormatter.render(
            message,
            from: self.configuration.from,
            date: Date(),
            messageIDDomain: MailAddress.domain(of: sender) ?? self.configuration.heloName
        )

        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        tlsConfiguration.certificateVerification = self.configuration.certificateVerification
        tlsConfiguration.trustRoots = self.configuration.trustRoots
        let tlsContext = try NIOSSLContext(configuration: tlsConfiguration)

        let host = self.configuration.host
        // SNI must not carry an IP address; NIOSSL then checks the certificate against the peer's IP instead.
        let serverHostname: String? = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
        let implicitTLS = self.configuration.security == .implicitTLS

        let asyncChannel: NIOAsyncChannel<SMTPReply, ByteBuffer>
        do {
            asyncChannel = try await ClientBootstrap(group: self.eventLoopGroup)
                .connectTimeout(TimeAmount(self.configuration.timeout))
                .connect(host: host, port: self.configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if implicitTLS {
                            try pipeline.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverHostname))
                        }
                        try pipeline.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError.connectionFailed(step: "connect to \(host):\(self.configuration.port)", reason: "\(error)")
        }

        try await asyncChannel.executeThenClose { inbound, outbound in
            var session = SMTPSession(
                channel: asyncChannel.channel,
                replies: inbound.makeAsyncIterator(),
                outbound: outbound,
                configuration: self.configuration,
                tlsContext: tlsContext,
                serverHostname: serverHostname,
                isEncrypted: implicitTLS
            )
            try await session.deliver(content: content, sender: sender, recipient: recipient)
        }
    }
}

// MARK: - Conversation
