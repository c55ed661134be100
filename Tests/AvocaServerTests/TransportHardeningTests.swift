import AvocaCore
import Foundation
import HTTPTypes
import HummingbirdWSTesting
import SQLKit
import Testing
import WSClient

@testable import AvocaPersistence
@testable import AvocaServer

/// What reaches the wire and the disk: refresh tokens, sent codes, secrets, HSTS, metrics, origins.
@Suite("Transport: cookies, outbox, secrets on disk, HSTS, metrics token, Origin", .timeLimit(.minutes(4)))
struct TransportHardeningTests {
    /// A deployment served over https.
    static func httpsDesk(_ config: inout AppConfig) { config.publicURL = "https://desk.example.com" }
    /// A deployment whose metrics need a token.
    static func withMetricsToken(_ config: inout AppConfig) { config.metricsToken = "scrape-me-0123456789" }

    /// Signs in with the cookie transport and returns the `avoca_refresh=…` cookie.
    static func cookieSession(_ h: Harness, _ email: String) async throws -> String {
        try await h.signUpAndVerify(email)
        let mfa = try await h.request(.post, "/api/auth/signin", json: ["email": email, "password": Harness.password])
        let token = try #require(mfa["mfa_token"] as? String)
        let setup = try await h.request(.post, "/api/auth/totp/setup", json: ["mfa_token": token])
        let secret = try #require(setup["secret"] as? String)
        let session = try await h.request(
            .post, "/api/auth/totp/verify", json: ["mfa_token": token, "code": h.totp(secret), "refresh_transport": "cookie"])
        let cookie = try #require(session.headers[.setCookie])
        return String(cookie.split(separator: ";")[0])
    }

    @Test("a refresh with the cookie never puts the refresh token in the body, even when the body asks for it")
    func cookieRefreshStaysInTheCookie() async throws {
        try await Harness.run { h in
            let cookie = try await Self.cookieSession(h, "cookie@example.com")
            let refreshed = try await h.request(.post, "/api/auth/refresh-token", json: ["refresh_transport": "body"], headers: [.cookie: cookie])
            #expect(refreshed.status == .ok)
            #expect(refreshed["refresh_token"] == nil)
            #expect(refreshed.headers[.setCookie]?.hasPrefix("avoca_refresh=") == true)
        }
    }

    @Test("a delivered e-mail's code is no longer readable in mail_outbox")
    func outboxIsScrubbed() async throws {
        try await Harness.run { h in
            _ = try await h.request(
                .post, "/api/auth/signup", json: ["email": "scrub@example.com", "password": Harness.password, "first_name": "S", "last_name": "C"])
            try await h.flushMail()
            let code = try #require(h.mailer.code(to: "scrub@example.com", subject: "verification code"))
            let rows = try await h.services.database.db.sql.raw("SELECT subject, body, sent_at FROM mail_outbox").all()
            #expect(rows.count == 1)
            for row in rows {
                #expect(try row.decode(column: "sent_at", as: Date?.self) != nil)
                #expect(try !row.decode(column: "subject", as: String.self).contains(code))
                #expect(try !row.decode(column: "body", as: String.self).contains(code))
            }
        }
    }

    @Test("generated development secrets are 0600 in a 0700 folder")
    func secretsArePrivate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("avoca-secrets-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var config = AppConfig()
        config.dataDirectory = folder + "/nested/data"
        try config.loadDevelopmentSecrets()
        #expect(config.jwtSecret.count == 32)
        func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode(folder + "/nested/data") == 0o700)
        #expect(try mode(folder + "/nested/data/secrets") == 0o700)
        #expect(try mode(folder + "/nested/data/secrets/jwt.key") == 0o600)
        #expect(try mode(folder + "/nested/data/secrets/encryption.key") == 0o600)
        // Loading again reads the same keys.
        var again = AppConfig()
        again.dataDirectory = config.dataDirectory
        try again.loadDevelopmentSecrets()
        #expect(again.jwtSecret == config.jwtSecret)
    }

    @Test("HSTS is sent when the public URL is https, and not over plain http")
    func hsts() async throws {
        try await Harness.run(configure: Self.httpsDesk) { h in
            let health = try await h.request(.get, "/healthz")
            let refused = try await h.request(.get, "/api/auth/me")
            #expect(health.headers[.strictTransportSecurity] == "max-age=31536000")
            #expect(refused.headers[.strictTransportSecurity] == "max-age=31536000")
        }
        try await Harness.run { h in
            let health = try await h.request(.get, "/healthz")
            #expect(health.headers[.strictTransportSecurity] == nil)
        }
    }

    @Test("with AVOCA_METRICS_TOKEN set, /metrics needs it as a bearer token")
    func metricsToken() async throws {
        try await Harness.run(configure: Self.withMetricsToken) { h in
            #expect(try await h.request(.get, "/metrics").status == .unauthorized)
            #expect(try await h.request(.get, "/metrics", bearer: "wrong-token-0123456789").status == .unauthorized)
            let scraped = try await h.request(.get, "/metrics", bearer: "scrape-me-0123456789")
            #expect(scraped.status == .ok)
        }
        try await Harness.run { h in
            let open = try await h.request(.get, "/metrics")
            #expect(open.status == .ok)
        }
        #expect(throws: ConfigurationError.self) { try AppConfig.fromEnvironment(["AVOCA_METRICS_TOKEN": "short"]) }
        #expect(try AppConfig.fromEnvironment(["AVOCA_METRICS_TOKEN": "scrape-me-0123456789"]).metricsToken == "scrape-me-0123456789")
    }

    @Test("the refresh endpoint refuses another site's Origin with 403 and rotates nothing")
    func refreshChecksOrigin() async throws {
        try await Harness.run(configure: Self.httpsDesk) { h in
            let cookie = try await Self.cookieSession(h, "origin@example.com")
            let foreign = try await h.request(
                .post, "/api/auth/refresh-token", headers: [.cookie: cookie, .origin: "https://evil.example.net"])
            #expect(foreign.status == .forbidden)
            #expect(foreign.errorCode == "origin_not_allowed")
            #expect(foreign.headers[.setCookie] == nil)
            #expect(try await h.request(.post, "/api/auth/refresh-token", headers: [.cookie: cookie, .origin: "null"]).status == .forbidden)
            // The same cookie still works from the console's own origin (nothing was rotated).
            let own = try await h.request(.post, "/api/auth/refresh-token", headers: [.cookie: cookie, .origin: "https://DESK.example.com:443"])
            #expect(own.status == .ok)
        }
    }

    @Test("origins: scheme, host and port must match; loopback names are one host only in development")
    func originRules() {
        let production = OriginPolicy(publicURL: "https://desk.example.com", development: false)
        #expect(production.allows(nil))
        #expect(production.allows("https://desk.example.com"))
        #expect(!production.allows("http://desk.example.com"))
        #expect(!production.allows("https://desk.example.com:8443"))
        #expect(!production.allows("https://desk.example.com.evil.net"))
        #expect(!production.allows(""))
        #expect(!production.allows("https://" + String(repeating: "a", count: 2100)), "an over-long origin")
        let development = OriginPolicy(publicURL: "http://127.0.0.1:8080", development: true)
        #expect(development.allows("http://localhost:8080"))
        #expect(development.allows("http://[::1]:8080"))
        #expect(!development.allows("http://localhost:9090"))
        #expect(!development.allows("http://localhost.evil.net:8080"))
        #expect(!OriginPolicy(publicURL: "http://127.0.0.1:8080", development: false).allows("http://localhost:8080"))
        // What only non-browser clients send passes; what a page can be is checked, every value of it.
        #expect(production.allows("ws://localhost"))
        #expect(!production.allows("null"))
        #expect(!production.allows("HTTPS://evil.example.net"))
        #expect(!production.allows(["ws://localhost", "https://evil.example.net"]))
        #expect(production.allows([]))
    }

    @Test("the realtime upgrade refuses another site's Origin with 403 and leaves the ticket unused")
    func realtimeChecksOrigin() async throws {
        try await CallDesk.run(live: true) { d in
            let ticket = try #require(try await d.h.request(.post, "/api/realtime/tickets", bearer: d.agent.accessToken)["url"] as? String)
            // Another site's page: the upgrade is refused (the HTTP answer is a 403).
            let foreign = WebSocketClientConfiguration(additionalHeaders: [.origin: "https://evil.example.net"])
            await #expect(throws: (any Error).self) {
                try await d.h.client.ws(ticket, configuration: foreign) { _, _, _ in Issue.record("the socket opened") }
            }
            let refused = try await d.h.request(.get, ticket, headers: [.origin: "https://evil.example.net"])
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "origin_not_allowed")
            // The refused upgrade did not use the ticket up: it still opens the socket.
            try await d.h.client.ws(ticket) { inbound, _, _ in
                let events = try await collect(inbound) { !$0.isEmpty }
                #expect(events.first?["event"] as? String == "hello")
            }
        }
    }
}
