import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One line (or, for the message itself, one block) sent to the server.
struct SMTPCommand {
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
