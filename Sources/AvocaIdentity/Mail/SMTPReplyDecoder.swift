import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

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
