import Foundation
import Testing

@testable import AvocaServer

/// Production does not send codes or customer rows in clear unless told to, explicitly.
@Suite("Production transport", .timeLimit(.minutes(4)))
struct ProductionTransportTests {
    static let production = [
        "AVOCA_ENV": "production", "AVOCA_PUBLIC_URL": "https://desk.example.com",
        "AVOCA_JWT_SECRET": Data(repeating: 1, count: 32).base64EncodedString(),
        "AVOCA_ENCRYPTION_KEY": Data(repeating: 2, count: 32).base64EncodedString(),
    ]

    func problems(_ extra: [String: String]) -> [String] {
        do {
            _ = try AppConfig.fromEnvironment(Self.production.merging(extra) { $1 })
            return []
        } catch let error as ConfigurationError {
            return error.problems
        } catch {
            return ["\(error)"]
        }
    }

    @Test("plain SMTP, unverified TLS and PostgreSQL without sslmode=require are refused in production unless explicitly allowed")
    func refusesPlainTransport() {
        let plain = ["AVOCA_SMTP_URL": "smtp://mail.example.com", "DATABASE_URL": "postgres://avoca@db.example.com/avoca"]
        let found = problems(plain)
        #expect(found.contains { $0.hasPrefix("AVOCA_SMTP_URL") })
        #expect(found.contains { $0.hasPrefix("DATABASE_URL") })
        #expect(problems(["AVOCA_SMTP_URL": "smtps://mail.example.com?tls_verify=none"]).contains { $0.hasPrefix("AVOCA_SMTP_URL") })
        #expect(
            problems(["AVOCA_SMTP_URL": "smtp://mail.example.com?starttls=required", "DATABASE_URL": "postgres://avoca@db/avoca?sslmode=require"])
                .isEmpty)
        #expect(problems(["AVOCA_SMTP_URL": "smtps://mail.example.com"]).isEmpty, "SQLite stays on the machine")
        #expect(problems(plain.merging(["AVOCA_ALLOW_INSECURE_TRANSPORT": "on"]) { $1 }).isEmpty)
        #expect(((try? AppConfig.fromEnvironment(plain)) != nil), "development does not insist")
    }

    @Test("production keeps the fast paths on and the try-out features off unless told otherwise")
    func productionDefaults() throws {
        let smtp = ["AVOCA_SMTP_URL": "smtps://mail.example.com"]
        let config = try AppConfig.fromEnvironment(Self.production.merging(smtp) { $1 })
        #expect(config.directReads)
        #expect(!config.simulator)
        #expect(!config.demoData)
        let switched = try AppConfig.fromEnvironment(
            Self.production.merging(smtp.merging(["AVOCA_DIRECT_READS": "off", "AVOCA_SIMULATOR": "on"]) { $1 }) { $1 })
        #expect(!switched.directReads)
        #expect(switched.simulator)
        #expect(problems(smtp.merging(["AVOCA_DIRECT_READS": "sometimes"]) { $1 }).contains { $0.hasPrefix("AVOCA_DIRECT_READS") })
    }
}
