import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

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
