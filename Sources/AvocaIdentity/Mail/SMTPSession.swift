import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// The state of one SMTP conversation over an open connection.
struct SMTPSession {
    let channel: any Channel
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let configuration: SMTPConfiguration
    let tlsContext: NIOSSLContext
    let serverHostname: String?
    var isEncrypted: Bool

    /// Runs the whole conversation for one message.
    mutating func deliver(content: String, sender: String, recipient: String) async throws {
        // With implicit TLS the handshake happens while waiting for the greeting; naming it helps read TLS errors.
        let greeting = self.isEncrypted ? "TLS handshake and server greeting" : "server greeting"
        _ = try await self.exchange(nil, label: greeting, expecting: [220])
        var extensions = try await self.hello()

        if !self.isEncrypted {
            if extensions.supports("STARTTLS") {
                try await self.startTLS()
                // RFC 3207: everything learnt before TLS must be forgotten, so the server is asked again.
                extensions = try await self.hello(label: "TLS handshake and EHLO")
            } else if self.configuration.security == .startTLSRequired {
                throw SMTPError.startTLSUnavailable
            }
        }

        if let username = self.configuration.username {
            try await self.authenticate(username: username, password: self.configuration.password ?? "", extensions: extensions)
        }

        let needsUTF8 = !sender.allSatisfy(\.isASCII) || !recipient.allSatisfy(\.isASCII)
        if needsUTF8, !extensions.supports("SMTPUTF8") {
            throw SMTPError.internationalAddressUnsupported(sender.allSatisfy(\.isASCII) ? recipient : sender)
        }
        // The body is always 7-bit (quoted-printable when needed), so neither 8BITMIME nor BODY= is required.
        _ = try await self.exchange(SMTPCommand("MAIL FROM:<\(sender)>" + (needsUTF8 ? " SMTPUTF8" : "")), expecting: [250])
        _ = try await self.exchange(SMTPCommand("RCPT TO:<\(recipient)>"), expecting: [250, 251])
        _ = try await self.exchange(SMTPCommand("DATA"), expecting: [354])
        _ = try await self.exchange(SMTPCommand(raw: content, label: "message content"), expecting: [250])

        // The server has taken responsibility for the message; a failed QUIT must not make the outbox send it twice.
        _ = try? await self.exchange(SMTPCommand("QUIT"), expecting: [221])
    }

    /// Sends EHLO, falling back to HELO for servers that predate ESMTP. `label` names the step in errors.
    private mutating func hello(label: String? = nil) async throws -> SMTPExtensions {
        let command = SMTPCommand("EHLO \(self.configuration.heloName)")
        let reply = try await self.exchange(command, label: label, expecting: nil)
        if reply.code == 250 {
            return SMTPExtensions(ehloReply: reply)
        }
        guard (500...504).contains(reply.code) else {
            throw SMTPError.unexpectedReply(command: label ?? command.label, code: reply.code, text: reply.text)
        }
        _ = try await self.exchange(SMTPCommand("HELO \(self.configuration.heloName)"), expecting: [250])
        return SMTPExtensions()
    }

    /// Upgrades the connection to TLS in place.
    private mutating func startTLS() async throws {
        let reply = try await self.exchange(SMTPCommand("STARTTLS"), expecting: [220])
        // Bytes after the 220 arrived in plaintext; reading them later as TLS-protected replies would let an
        // attacker on the path inject answers (the "STARTTLS command injection" class of bugs).
        guard !reply.isFollowedByData else {
            throw SMTPError.unexpectedDataBeforeTLS
        }
        let channel = self.channel
        let context = self.tlsContext
        let hostname = self.serverHostname
        // The TLS handler goes in front of the reply decoder so that the decoder sees decrypted bytes; the
        // handshake starts as soon as it is added because the channel is already active.
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(
                NIOSSLClientHandler(context: context, serverHostname: hostname),
                position: .first
            )
        }.get()
        self.isEncrypted = true
    }

    /// Authenticates with AUTH PLAIN, or AUTH LOGIN when the server offers only that.
    private mutating func authenticate(username: String, password: String, extensions: SMTPExtensions) async throws {
        let mechanisms = extensions.authMechanisms
        if mechanisms.contains("PLAIN") {
            // RFC 4616: authorization identity (empty), NUL, user name, NUL, password.
            let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            _ = try await self.exchange(SMTPCommand(secret: "AUTH PLAIN \(token)", label: "AUTH PLAIN"), expecting: [235])
        } else if mechanisms.contains("LOGIN") {
            _ = try await self.exchange(SMTPCommand("AUTH LOGIN"), expecting: [334])
            let user = Data(username.utf8).base64EncodedString()
            _ = try await self.exchange(SMTPCommand(secret: user, label: "AUTH LOGIN user name"), expecting: [334])
            let pass = Data(password.utf8).base64EncodedString()
            _ = try await self.exchange(SMTPCommand(secret: pass, label: "AUTH LOGIN password"), expecting: [235])
        } else {
            throw SMTPError.authenticationUnavailable(offered: mechanisms)
        }
    }

    /// Sends `command` (if any), waits for the reply and checks its code against `expecting`
    /// (`nil` accepts any code), all within the configured timeout.
    private mutating func exchange(_ command: SMTPCommand?, label: String? = nil, expecting: Set<Int>?) async throws -> SMTPReply {
        let step = label ?? command?.label ?? "reply"
        let channel = self.channel
        // Closing the channel is what ends a stalled write or read; the deadline's future tells afterwards
        // whether that is why the step failed.
        let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(self.configuration.timeout)) {
            channel.close(promise: nil)
        }
        let reply: SMTPReply
        do {
            if let command {
                try await self.outbound.write(ByteBuffer(string: command.wire))
            }
            guard let next = try await self.replies.next() else {
                throw SMTPError.connectionFailed(step: step, reason: "the server closed the connection")
            }
            reply = next
            deadline.cancel()
        } catch {
            deadline.cancel()
            try Task.checkCancellation()
            if (try? await deadline.futureResult.get()) != nil {
                throw SMTPError.timedOut(step: step)
            }
            if error is SMTPError {
                throw error
            }
            throw SMTPError.connectionFailed(step: step, reason: "\(error)")
        }
        if let expecting, !expecting.contains(reply.code) {
            throw SMTPError.unexpectedReply(command: step, code: reply.code, text: reply.text)
        }
        return reply
    }
}

// MARK: - Replies
