import AvocaCore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

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
