import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

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
