import Foundation
import NIOCore
import NIOSSL

/// Where and how to deliver mail over SMTP, parsed from `AVOCA_SMTP_URL`.
///
/// Accepted URL forms:
/// - `smtp://[user[:password]@]host[:port]` — plain connection that upgrades with STARTTLS whenever the
///   server offers it (default port 25).
/// - `smtp://…?starttls=required` — STARTTLS is mandatory; delivery fails if the server does not offer it
///   (default port 587).
/// - `smtps://…` — TLS from the first byte ("implicit TLS", default port 465).
///
/// Query options (unknown options are rejected so that typos do not silently weaken security):
/// - `starttls=required|auto` — `auto` is the default for `smtp://`.
/// - `tls_verify=full|no_hostname|none` — certificate verification; `none` is meant for test servers with
///   self-signed certificates. Default `full`.
/// - `tls_ca_file=/path/ca.pem` — trust these CA certificates instead of the system trust store.
/// - `helo=name` — the name sent with EHLO (default `localhost`).
/// - `timeout=seconds` — per-command timeout (default 30).
public struct SMTPConfiguration: Sendable, Equatable {
    /// How the connection to the server is protected.
    public enum Security: Sendable, Equatable {
        /// Plain TCP, upgraded with STARTTLS when the server offers it.
        case none
        /// Plain TCP that must be upgraded with STARTTLS; delivery fails if the server does not offer it.
        case startTLSRequired
        /// TLS from the start of the connection (`smtps://`).
        case implicitTLS
    }

    /// The server's host name or IP address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The user name for SMTP AUTH; no authentication is attempted when `nil`.
    public var username: String?
    /// The password for SMTP AUTH.
    public var password: String?
    /// How the connection is protected.
    public var security: Security
    /// The sender, as it appears in the `From:` header, e.g. `Avoca <no-reply@localhost>` (`AVOCA_MAIL_FROM`).
    public var from: String
    /// The name this client announces with EHLO.
    public var heloName: String
    /// The longest any single step (connect, one command and its reply, the TLS handshake) may take.
    public var timeout: Duration
    /// How the server's certificate is checked. Full verification unless `tls_verify` says otherwise.
    public var certificateVerification: CertificateVerification
    /// The certificate authorities the server's certificate must chain to.
    public var trustRoots: NIOSSLTrustRoots

    /// Creates a configuration from its parts.
    public init(
        host: String,
        port: Int,
        username: String? = nil,
        password: String? = nil,
        security: Security = .none,
        from: String,
        heloName: String = "localhost",
        timeout: Duration = .seconds(30),
        certificateVerification: CertificateVerification = .fullVerification,
        trustRoots: NIOSSLTrustRoots = .default
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.from = from
        self.heloName = heloName
        self.timeout = timeout
        self.certificateVerification = certificateVerification
        self.trustRoots = trustRoots
    }

    /// Parses `smtp://user:pass@host:port` (STARTTLS when the server offers it; `?starttls=required` makes it
    /// mandatory; default port 25, or 587 when STARTTLS is required) or `smtps://…` (implicit TLS, default
    /// port 465). User name and password are percent-decoded.
    ///
    /// - Parameters:
    ///   - url: The value of `AVOCA_SMTP_URL`.
    ///   - from: The value of `AVOCA_MAIL_FROM`.
    /// - Throws: ``SMTPError/invalidConfiguration(_:)`` describing what is wrong; the password never appears in it.
    public init(url: String, from: String) throws {
        // URLComponents accepts almost anything, so every part is checked explicitly below.
        guard let components = URLComponents(string: url.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased()
        else {
            throw SMTPError.invalidConfiguration("AVOCA_SMTP_URL is not a URL of the form smtp://host:port or smtps://host:port")
        }

        var security: Security
        switch scheme {
        case "smtp": security = .none
        case "smtps": security = .implicitTLS
        default:
            throw SMTPError.invalidConfiguration("unsupported scheme '\(scheme)' in AVOCA_SMTP_URL; use smtp:// or smtps://")
        }

        guard var host = components.host, !host.isEmpty else {
            throw SMTPError.invalidConfiguration("AVOCA_SMTP_URL has no host")
        }
        // IPv6 literals come back bracketed from some Foundation versions; sockets want them bare.
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard components.path.isEmpty || components.path == "/" else {
            throw SMTPError.invalidConfiguration("AVOCA_SMTP_URL must not have a path (found '\(components.path)')")
        }

        var heloName = "localhost"
        var timeout = Duration.seconds(30)
        var certificateVerification = CertificateVerification.fullVerification
        var trustRoots = NIOSSLTrustRoots.default
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name.lowercased() {
            case "starttls":
                switch (value.lowercased(), security) {
                case ("required", .none): security = .startTLSRequired
                case ("auto", .none): break
                case (_, .implicitTLS):
                    throw SMTPError.invalidConfiguration("starttls cannot be combined with smtps:// (which is TLS from the start)")
                default:
                    throw SMTPError.invalidConfiguration("starttls must be 'required' or 'auto', not '\(value)'")
                }
            case "tls_verify":
                switch value.lowercased() {
                case "full": certificateVerification = .fullVerification
                case "no_hostname": certificateVerification = .noHostnameVerification
                case "none": certificateVerification = .none
                default:
                    throw SMTPError.invalidConfiguration("tls_verify must be 'full', 'no_hostname' or 'none', not '\(value)'")
                }
            case "tls_ca_file":
                guard !value.isEmpty else {
                    throw SMTPError.invalidConfiguration("tls_ca_file needs a path")
                }
                trustRoots = .file(value)
            case "helo":
                guard !value.isEmpty, value.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) else {
                    throw SMTPError.invalidConfiguration("helo must be a host name, not '\(value)'")
                }
                heloName = value
            case "timeout":
                guard let seconds = Double(value), seconds > 0, seconds.isFinite else {
                    throw SMTPError.invalidConfiguration("timeout must be a positive number of seconds, not '\(value)'")
                }
                timeout = .milliseconds(Int64(seconds * 1000))
            default:
                throw SMTPError.invalidConfiguration("unknown option '\(item.name)' in AVOCA_SMTP_URL")
            }
        }

        let defaultPort: Int
        switch security {
        case .none: defaultPort = 25
        case .startTLSRequired: defaultPort = 587
        case .implicitTLS: defaultPort = 465
        }
        let port = components.port ?? defaultPort
        guard (1...65535).contains(port) else {
            throw SMTPError.invalidConfiguration("port \(port) in AVOCA_SMTP_URL is out of range")
        }

        // `user`/`password` are already percent-decoded by URLComponents.
        let username = components.user.flatMap { $0.isEmpty ? nil : $0 }
        let password = components.password
        if username == nil, password != nil {
            throw SMTPError.invalidConfiguration("AVOCA_SMTP_URL has a password but no user name")
        }

        // Checking the sender now makes a bad AVOCA_MAIL_FROM fail at start-up instead of on every delivery.
        _ = try MailAddress.envelopeAddress(of: from, field: "From")

        self.init(
            host: host,
            port: port,
            username: username,
            password: password,
            security: security,
            from: from,
            heloName: heloName,
            timeout: timeout,
            certificateVerification: certificateVerification,
            trustRoots: trustRoots
        )
    }
}

extension SMTPConfiguration: CustomStringConvertible {
    /// A readable summary that never shows the password, so the configuration can be logged.
    public var description: String {
        let scheme = self.security == .implicitTLS ? "smtps" : "smtp"
        let credentials = self.username.map { "\($0):***@" } ?? ""
        let hostPart = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "\(scheme)://\(credentials)\(hostPart):\(self.port) (security: \(self.security), from: \(self.from))"
    }
}
