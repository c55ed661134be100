import AvocaIdentity
import AvocaPersistence
import Foundation

/// In production, mail and database traffic leave the machine: codes, password-reset mails and
/// every customer row must not travel in clear, nor to a peer whose certificate is not checked.
/// `AVOCA_ALLOW_INSECURE_TRANSPORT=on` is the explicit way out (a database on the same host, a
/// relay on loopback).
enum TransportPolicy {
    /// The problems with `config`'s SMTP and PostgreSQL URLs (empty when both are safe).
    static func problems(_ config: AppConfig) -> [String] {
        var problems: [String] = []
        if let smtp = config.smtpURL, let parsed = try? SMTPConfiguration(url: smtp, from: config.mailFrom),
            parsed.security == .none || parsed.certificateVerification == .none
        {
            problems.append(
                "AVOCA_SMTP_URL must use verified TLS in production (smtps://, or smtp://…?starttls=required, without tls_verify=none)")
        }
        if case .postgres(let url) = config.database {
            let mode = URLComponents(string: url)?.queryItems?.last { ["tlsmode", "sslmode", "ssl", "tls"].contains($0.name.lowercased()) }?.value
            if !["require", "verify-ca", "verify-full"].contains(mode?.lowercased() ?? "") {
                problems.append("DATABASE_URL must ask for TLS in production (?sslmode=require)")
            }
        }
        if !problems.isEmpty { problems.append("(or set AVOCA_ALLOW_INSECURE_TRANSPORT=on if this traffic never leaves a trusted network)") }
        return problems
    }
}
