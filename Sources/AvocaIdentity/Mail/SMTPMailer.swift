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

/// One line (or, for the message itself, one block) sent to the server.
private struct SMTPCommand {
    /// The bytes sent, including the final CRLF.
    var wire: String
    /// How the command appears in errors; differs from `wire` where that carries credentials.
    var label: String

    /// A command whose text may appear in errors.
    init(_ line: String) {
        self.wire = line + "\r\n"
        self.label = line
    }

    /// A command whose text must not appear in errors.
    init(secret line: String, label: String) {
        self.wire = line + "\r\n"
        self.label = label
    }

    /// Data sent as is, already CRLF-terminated.
    init(raw: String, label: String) {
        self.wire = raw
        self.label = label
    }
}

/// The service extensions a server announced in its EHLO reply.
private struct SMTPExtensions {
    /// Upper-cased keyword → its parameters, e.g. `AUTH` → `["PLAIN", "LOGIN"]`.
    var keywords: [String: [String]] = [:]

    /// No extensions, as after a HELO.
    init() {}

    /// Reads the lines after the first of a `250` EHLO reply.
    init(ehloReply: SMTPReply) {
        for line in ehloReply.lines.dropFirst() {
            let words = line.split(separator: " ").map { $0.uppercased() }
            guard var keyword = words.first else { continue }
            var parameters = Array(words.dropFirst())
            // Some old servers announce `AUTH=PLAIN LOGIN` next to (or instead of) the standard form.
            if keyword.hasPrefix("AUTH=") {
                parameters.insert(String(keyword.dropFirst("AUTH=".count)), at: 0)
                keyword = "AUTH"
            }
            self.keywords[keyword, default: []].append(contentsOf: parameters)
        }
    }

    /// Whether the server announced `keyword`.
    func supports(_ keyword: String) -> Bool {
        self.keywords[keyword] != nil
    }

    /// The SASL mechanisms the server offers.
    var authMechanisms: [String] {
        var seen = Set<String>()
        return (self.keywords["AUTH"] ?? []).filter { seen.insert($0).inserted }
    }
}

/// The state of one SMTP conversation over an open connection.
private struct SMTPSession {
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

/// One complete, possibly multi-line, server reply.
struct SMTPReply: Sendable, Equatable {
    /// The three-digit reply code.
    var code: Int
    /// The text of each line, without code and separator.
    var lines: [String]
    /// Whether more bytes were already waiting after this reply when it was decoded.
    var isFollowedByData: Bool

    /// All lines on one line, for error messages.
    var text: String {
        self.lines.joined(separator: " ")
    }
}

/// Turns the byte stream from the server into ``SMTPReply`` values, joining `250-…` continuation lines.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// Longer lines are refused so a broken or hostile server cannot make the client buffer without end.
    static let maximumLineLength = 4096
    /// Likewise for the number of lines in one reply.
    static let maximumLineCount = 512

    private var pendingCode: Int?
    private var pendingLines: [String] = []

    /// Creates a decoder that has not seen any bytes yet.
    init() {}

    /// Decodes one line; emits a reply when that line is the last of one.
    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let reply = try self.decodeLine(from: &buffer) else {
            return .needMoreData
        }
        if let reply {
            context.fireChannelRead(Self.wrapInboundOut(reply))
        }
        return .continue
    }

    /// Replies cut short by the end of the connection are dropped; the conversation reports the closed connection.
    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try self.decode(context: context, buffer: &buffer)
    }

    /// Reads one line. Returns `nil` when no complete line is buffered, `.some(nil)` for a continuation line
    /// and `.some(reply)` for the last line of a reply. Kept separate from the channel so it is easy to test.
    mutating func decodeLine(from buffer: inout ByteBuffer) throws -> SMTPReply?? {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength {
                throw SMTPError.malformedReply("line longer than \(Self.maximumLineLength) bytes")
            }
            return nil
        }
        let length = newline - buffer.readerIndex + 1
        guard length <= Self.maximumLineLength + 1 else {
            throw SMTPError.malformedReply("line longer than \(Self.maximumLineLength) bytes")
        }
        var bytes = buffer.readBytes(length: length)!.dropLast()
        // RFC 5321 ends lines with CRLF; a bare LF is tolerated because some test servers send it.
        if bytes.last == UInt8(ascii: "\r") {
            bytes = bytes.dropLast()
        }
        let line = String(decoding: bytes, as: UTF8.self)

        // "ddd" alone, "ddd text" (last line) or "ddd-text" (more lines follow).
        let digits = line.prefix(3)
        guard digits.count == 3, digits.allSatisfy(\.isASCII), let code = Int(digits), (200...599).contains(code) else {
            throw SMTPError.malformedReply(line)
        }
        let separator = line.dropFirst(3).first
        guard separator == nil || separator == " " || separator == "-" else {
            throw SMTPError.malformedReply(line)
        }
        if let pendingCode = self.pendingCode, pendingCode != code {
            throw SMTPError.malformedReply("continuation line with a different code: \(line)")
        }
        self.pendingLines.append(String(line.dropFirst(4)))
        guard self.pendingLines.count <= Self.maximumLineCount else {
            throw SMTPError.malformedReply("reply with more than \(Self.maximumLineCount) lines")
        }

        if separator == "-" {
            self.pendingCode = code
            return .some(nil)
        }
        let reply = SMTPReply(code: code, lines: self.pendingLines, isFollowedByData: buffer.readableBytes > 0)
        self.pendingCode = nil
        self.pendingLines = []
        return .some(reply)
    }
}

// MARK: - Addresses and message format

/// Helpers for the address strings in ``MailMessage/to`` and ``SMTPConfiguration/from``, which may be a bare
/// `user@example.com` or `Display Name <user@example.com>`.
enum MailAddress {
    /// Throws unless `value` is free of line breaks and other control characters, which would let it add
    /// headers or SMTP commands of its own.
    static func checkHeaderValue(_ value: String, field: String) throws {
        let forbidden = value.unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
                || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
        }
        if forbidden {
            throw SMTPError.invalidHeaderValue(field: field)
        }
    }

    /// The bare address for MAIL FROM or RCPT TO: the part in angle brackets, or the whole trimmed value.
    static func envelopeAddress(of value: String, field: String) throws -> String {
        try self.checkHeaderValue(value, field: field)
        var address = value.trimmingCharacters(in: .whitespaces)
        if let open = address.lastIndex(of: "<") {
            guard let close = address[open...].firstIndex(of: ">"),
                address[address.index(after: close)...].allSatisfy(\.isWhitespace)
            else {
                throw SMTPError.invalidAddress(field: field, address: value)
            }
            address = String(address[address.index(after: open)..<close])
        }
        let usable =
            !address.isEmpty && address.contains("@") && !address.hasPrefix("@") && !address.hasSuffix("@")
            && !address.contains { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," }
        guard usable else {
            throw SMTPError.invalidAddress(field: field, address: value)
        }
        return address
    }

    /// The domain of a bare address, if it is plain ASCII (it ends up in the Message-ID).
    static func domain(of address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...]
        return !domain.isEmpty && domain.allSatisfy(\.isASCII) ? String(domain) : nil
    }

    /// The value for a `From:` or `To:` header: unchanged when ASCII, otherwise with an RFC 2047 encoded
    /// display name. Addresses that are themselves non-ASCII stay raw UTF-8, as SMTPUTF8 (RFC 6532) expects.
    static func headerValue(of value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.allSatisfy(\.isASCII),
            let open = trimmed.lastIndex(of: "<"),
            trimmed[open...].allSatisfy(\.isASCII)
        else {
            return trimmed
        }
        var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast())
        }
        return (MIMEHeader.encodedWords(name) + [String(trimmed[open...])]).joined(separator: "\r\n ")
    }
}

/// RFC 2047 encoding for header text.
enum MIMEHeader {
    /// UTF-8 bytes per encoded word; 45 bytes become 60 base64 characters, keeping each word within the
    /// 75-character limit together with `=?utf-8?B?` and `?=`.
    private static let bytesPerWord = 45

    /// `text` as one or more `=?utf-8?B?…?=` words, split between Unicode scalars so no word holds half a character.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > Self.bytesPerWord {
                words.append(Self.encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append(Self.encodedWord(chunk))
        }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?utf-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// A header value that is left as it is when plain, short ASCII and encoded (folded over several lines)
    /// otherwise. Text that merely looks like an encoded word is encoded too, so it reads back literally.
    static func unstructuredValue(_ text: String) -> String {
        let plain = text.allSatisfy(\.isASCII) && !text.contains("=?") && text.utf8.count <= 900
        return plain ? text : Self.encodedWords(text).joined(separator: "\r\n ")
    }
}

/// Renders a ``MailMessage`` as the text sent after DATA.
enum SMTPMessageFormatter {
    /// The complete DATA payload: headers, blank line, body, with CRLF line endings, dot-stuffing and the
    /// terminating `.` line.
    static func render(_ message: MailMessage, from: String, date: Date, messageIDDomain: String) throws -> String {
        try MailAddress.checkHeaderValue(from, field: "From")
        try MailAddress.checkHeaderValue(message.to, field: "To")
        try MailAddress.checkHeaderValue(message.subject, field: "Subject")

        let body = Self.encodeBody(message.textBody)
        let headers = [
            "From: \(MailAddress.headerValue(of: from))",
            "To: \(MailAddress.headerValue(of: message.to))",
            "Subject: \(MIMEHeader.unstructuredValue(message.subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(UUID().uuidString.lowercased())@\(messageIDDomain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(body.encoding)",
        ]
        // Folded headers contain CRLF already; splitting them keeps one rule for every line below.
        let lines = headers.flatMap { $0.components(separatedBy: "\r\n") } + [""] + body.lines
        var data = ""
        for line in lines {
            // RFC 5321 §4.5.2: a line starting with "." gets another one, or the server would take it as the end.
            if line.hasPrefix(".") {
                data += "."
            }
            data += line + "\r\n"
        }
        return data + ".\r\n"
    }

    /// The body split into lines (without line endings), plain when it is short-lined printable ASCII and
    /// quoted-printable otherwise, so that it passes servers without 8BITMIME unchanged.
    static func encodeBody(_ text: String) -> (encoding: String, lines: [String]) {
        // CRLF, LF and lone CR all end a line; the wire format needs CRLF everywhere.
        var lines: [[UInt8]] = [[]]
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\r") {
                lines.append([])
            } else if byte == UInt8(ascii: "\n") {
                if !previousWasCR { lines.append([]) }
            } else {
                lines[lines.count - 1].append(byte)
            }
            previousWasCR = byte == UInt8(ascii: "\r")
        }
        // A final line break is implied by the CRLF before the terminating "."; keeping it would add a blank line.
        if lines.count > 1, lines.last?.isEmpty == true {
            lines.removeLast()
        }

        let isPlain = lines.allSatisfy { line in
            line.count <= 998 && line.allSatisfy { $0 == UInt8(ascii: "\t") || (0x20...0x7E).contains($0) }
        }
        if isPlain {
            return ("7bit", lines.map { String(decoding: $0, as: UTF8.self) })
        }
        return ("quoted-printable", lines.flatMap(Self.quotedPrintable))
    }

    /// RFC 2045 §6.7 quoted-printable for one line, broken with soft line breaks into lines of at most 76 characters.
    static func quotedPrintable(_ line: [UInt8]) -> [String] {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var output: [String] = []
        var current: [UInt8] = []
        for (index, byte) in line.enumerated() {
            let isWhitespace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
            let isLiteral = (0x21...0x7E).contains(byte) && byte != UInt8(ascii: "=")
            // Trailing whitespace is encoded because transports may strip it.
            let token: [UInt8] =
                isLiteral || (isWhitespace && index < line.count - 1)
                ? [byte]
                : [UInt8(ascii: "="), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            // 75 characters plus the "=" of the soft line break; escapes are never split.
            if current.count + token.count > 75 {
                output.append(String(decoding: current + [UInt8(ascii: "=")], as: UTF8.self))
                current = []
            }
            current += token
        }
        output.append(String(decoding: current, as: UTF8.self))
        return output
    }

    /// `date` in RFC 5322 format in UTC, e.g. `Tue, 07 Jan 2025 09:05:00 +0000`; built by hand because the
    /// names must be English whatever the process locale.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func twoDigits(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        return "\(weekday), \(twoDigits(parts.day)) \(month) \(parts.year ?? 1970) "
            + "\(twoDigits(parts.hour)):\(twoDigits(parts.minute)):\(twoDigits(parts.second)) +0000"
    }
}
