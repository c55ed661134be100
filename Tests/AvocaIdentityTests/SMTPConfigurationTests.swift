import AvocaCore
import Foundation
import Testing

@testable import AvocaIdentity

@Suite("SMTP configuration from AVOCA_SMTP_URL")
struct SMTPConfigurationTests {
    let from = "Avoca <no-reply@localhost>"

    @Test("smtp:// without options uses port 25, opportunistic STARTTLS and full verification")
    func plainDefaults() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.com", from: self.from)
        #expect(configuration.host == "mail.example.com")
        #expect(configuration.port == 25)
        #expect(configuration.security == .none)
        #expect(configuration.username == nil)
        #expect(configuration.password == nil)
        #expect(configuration.from == self.from)
        #expect(configuration.heloName == "localhost")
        #expect(configuration.timeout == .seconds(30))
        #expect(configuration.certificateVerification == .fullVerification)
        #expect(configuration.trustRoots == .default)
    }

    @Test("an explicit port wins over the default")
    func explicitPort() throws {
        let configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:2525", from: self.from)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 2525)
    }

    @Test("starttls=required makes STARTTLS mandatory and defaults to port 587")
    func startTLSRequired() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.com?starttls=required", from: self.from)
        #expect(configuration.security == .startTLSRequired)
        #expect(configuration.port == 587)

        let withPort = try SMTPConfiguration(url: "smtp://mail.example.com:2587?starttls=required", from: self.from)
        #expect(withPort.port == 2587)
        #expect(withPort.security == .startTLSRequired)
    }

    @Test("starttls=auto keeps the opportunistic default")
    func startTLSAuto() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.com?starttls=auto", from: self.from)
        #expect(configuration.security == .none)
        #expect(configuration.port == 25)
    }

    @Test("smtps:// means implicit TLS on port 465")
    func implicitTLS() throws {
        let configuration = try SMTPConfiguration(url: "SMTPS://mail.example.com", from: self.from)
        #expect(configuration.security == .implicitTLS)
        #expect(configuration.port == 465)
    }

    @Test("user name and password are percent-decoded")
    func percentDecoding() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://avoca%20user:p%40ss%3Aw%2Frd%25@mail.example.com:587",
            from: self.from
        )
        #expect(configuration.username == "avoca user")
        #expect(configuration.password == "p@ss:w/rd%")
        #expect(configuration.host == "mail.example.com")
        #expect(configuration.port == 587)
    }

    @Test("a user name without a password is allowed")
    func userWithoutPassword() throws {
        let configuration = try SMTPConfiguration(url: "smtp://bob@mail.example.com", from: self.from)
        #expect(configuration.username == "bob")
        #expect(configuration.password == nil)
    }

    @Test("IPv6 literals lose their brackets")
    func ipv6Host() throws {
        let configuration = try SMTPConfiguration(url: "smtp://[::1]:2525", from: self.from)
        #expect(configuration.host == "::1")
        #expect(configuration.port == 2525)
    }

    @Test("tls_verify, tls_ca_file, helo and timeout options are read")
    func options() throws {
        let configuration = try SMTPConfiguration(
            url: "smtps://mail.example.com?tls_verify=none&tls_ca_file=/etc/avoca/ca.pem&helo=avoca.example.org&timeout=2.5",
            from: self.from
        )
        #expect(configuration.certificateVerification == .none)
        #expect(configuration.trustRoots == .file("/etc/avoca/ca.pem"))
        #expect(configuration.heloName == "avoca.example.org")
        #expect(configuration.timeout == .milliseconds(2500))

        let noHostname = try SMTPConfiguration(url: "smtp://h?tls_verify=no_hostname", from: self.from)
        #expect(noHostname.certificateVerification == .noHostnameVerification)
    }

    @Test(
        "unusable URLs throw",
        arguments: [
            "http://mail.example.com",
            "mailto:someone@example.com",
            "mail.example.com:25",
            "smtp://",
            "smtp:///path-only",
            "smtp://mail.example.com/somewhere",
            "smtp://mail.example.com:0",
            "smtp://mail.example.com:70000",
            "smtp://:secret@mail.example.com",
            "smtps://mail.example.com?starttls=required",
            "smtp://mail.example.com?starttls=maybe",
            "smtp://mail.example.com?startls=required",
            "smtp://mail.example.com?tls_verify=sometimes",
            "smtp://mail.example.com?timeout=-1",
            "smtp://mail.example.com?helo=two%20words",
        ]
    )
    func invalidURLs(url: String) {
        #expect(throws: SMTPError.self) {
            try SMTPConfiguration(url: url, from: self.from)
        }
    }

    @Test("an unusable sender address throws", arguments: ["", "no-at-sign", "Avoca <no-reply@localhost>\r\nBcc: x@y", "Avoca <broken"])
    func invalidFrom(from: String) {
        #expect(throws: SMTPError.self) {
            try SMTPConfiguration(url: "smtp://mail.example.com", from: from)
        }
    }

    @Test("errors and descriptions never show the password")
    func passwordIsHidden() throws {
        let configuration = try SMTPConfiguration(url: "smtp://bob:hunter2@mail.example.com", from: self.from)
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description.contains("bob"))

        do {
            _ = try SMTPConfiguration(url: "smtp://bob:hunter2@mail.example.com?nonsense=1", from: self.from)
            Issue.record("expected an error")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }
}

@Suite("SMTP message rendering")
struct SMTPMessageFormatterTests {
    func render(_ message: MailMessage, from: String = "Avoca <no-reply@localhost>") throws -> String {
        try SMTPMessageFormatter.render(message, from: from, date: Date(timeIntervalSince1970: 0), messageIDDomain: "localhost")
    }

    @Test("plain ASCII mail has the expected headers, CRLF line endings and the terminating dot")
    func asciiMessage() throws {
        let data = try self.render(MailMessage(to: "bob@example.com", subject: "Hello", textBody: "Line one\nLine two\n"))
        let lines = data.components(separatedBy: "\r\n")
        #expect(lines.contains("From: Avoca <no-reply@localhost>"))
        #expect(lines.contains("To: bob@example.com"))
        #expect(lines.contains("Subject: Hello"))
        #expect(lines.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000"))
        #expect(lines.contains { $0.hasPrefix("Message-ID: <") && $0.hasSuffix("@localhost>") })
        #expect(lines.contains("MIME-Version: 1.0"))
        #expect(lines.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(lines.contains("Content-Transfer-Encoding: 7bit"))
        #expect(data.hasSuffix("\r\n\r\nLine one\r\nLine two\r\n.\r\n"))
        // No bare LF or CR anywhere.
        #expect(data.replacingOccurrences(of: "\r\n", with: "").allSatisfy { $0 != "\n" && $0 != "\r" })
    }

    @Test("lines starting with a dot are dot-stuffed")
    func dotStuffing() throws {
        let data = try self.render(MailMessage(to: "bob@example.com", subject: "Dots", textBody: ".hidden\n.\n..two\nnormal"))
        #expect(data.hasSuffix("\r\n\r\n..hidden\r\n..\r\n...two\r\nnormal\r\n.\r\n"))
    }

    @Test("non-ASCII bodies are quoted-printable with lines of at most 76 characters")
    func quotedPrintableBody() throws {
        let body = "Grüße ✓\n.dot after\n" + String(repeating: "ä", count: 100) + "\ntrailing space "
        let data = try self.render(MailMessage(to: "bob@example.com", subject: "QP", textBody: body))
        #expect(data.contains("Content-Transfer-Encoding: quoted-printable\r\n"))
        #expect(data.contains("\r\nGr=C3=BC=C3=9Fe =E2=9C=93\r\n"))
        #expect(data.contains("\r\n..dot after\r\n"))
        #expect(data.contains("\r\ntrailing space=20\r\n"))
        #expect(data.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 || $0.hasPrefix("Subject:") })
    }

    @Test("non-ASCII subjects and display names become RFC 2047 encoded words")
    func encodedWords() throws {
        let data = try self.render(MailMessage(to: "Jörg <joerg@example.com>", subject: "Passwort zurücksetzen", textBody: "x"))
        let subject = "Passwort zurücksetzen"
        let encodedSubject = "=?utf-8?B?\(Data(subject.utf8).base64EncodedString())?="
        #expect(data.contains("Subject: \(encodedSubject)\r\n"))
        #expect(data.contains("To: =?utf-8?B?\(Data("Jörg".utf8).base64EncodedString())?=\r\n <joerg@example.com>\r\n"))
        #expect(data.allSatisfy { $0.isASCII })
    }

    @Test("long subjects are split into encoded words of at most 75 characters")
    func longSubject() {
        let words = MIMEHeader.encodedWords(String(repeating: "ü", count: 80))
        #expect(words.count > 1)
        #expect(words.allSatisfy { $0.count <= 75 })
        let decoded = words.map { word in
            let base64 = word.dropFirst("=?utf-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
        }.joined()
        #expect(decoded == String(repeating: "ü", count: 80))
    }

    @Test("line breaks in header values are rejected")
    func headerInjection() {
        #expect(throws: SMTPError.invalidHeaderValue(field: "Subject")) {
            try self.render(MailMessage(to: "bob@example.com", subject: "Hi\r\nBcc: eve@example.com", textBody: "x"))
        }
        #expect(throws: SMTPError.invalidHeaderValue(field: "To")) {
            try self.render(MailMessage(to: "bob@example.com\nBcc: eve@example.com", subject: "Hi", textBody: "x"))
        }
        #expect(throws: SMTPError.invalidHeaderValue(field: "From")) {
            try self.render(MailMessage(to: "bob@example.com", subject: "Hi", textBody: "x"), from: "a@b\rX: y")
        }
    }

    @Test("envelope addresses come from the angle brackets or the whole value")
    func envelopeAddresses() throws {
        #expect(try MailAddress.envelopeAddress(of: "Avoca <no-reply@localhost>", field: "From") == "no-reply@localhost")
        #expect(try MailAddress.envelopeAddress(of: "  bob@example.com ", field: "To") == "bob@example.com")
        #expect(throws: SMTPError.self) { try MailAddress.envelopeAddress(of: "bob@example.com> <x", field: "To") }
        #expect(throws: SMTPError.self) { try MailAddress.envelopeAddress(of: "a@b, c@d", field: "To") }
        #expect(throws: SMTPError.self) { try MailAddress.envelopeAddress(of: "<>", field: "To") }
    }

    @Test("SMTP errors are readable and quote the server's reply")
    func errorDescription() {
        let error = SMTPError.unexpectedReply(command: "AUTH PLAIN", code: 535, text: "5.7.8 Authentication credentials invalid")
        #expect(error.description == "SMTP server answered 'AUTH PLAIN' with 535 5.7.8 Authentication credentials invalid")
    }
}
