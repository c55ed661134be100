import Foundation
import HTTPTypes
import Testing

/// Credentials are remembered for a second so reads skip the database for authentication; a
/// revocation must still act at once where it is made and within that second everywhere else.
@Suite("Authentication cache", .timeLimit(.minutes(4)))
struct AuthCacheTests {
    @Test("a revoked API key and a signed-out session are refused at once on their instance and within a second on another")
    func revocationAcrossInstances() async throws {
        try await Harness.runPair { a, b in
            let admin = try await a.enrolledEmployee("admin@example.com")
            let created = try await a.request(
                .post, "/api/api-keys", json: ["name": "sync", "scopes": ["directory:read"]], bearer: admin.accessToken)
            let keyID = try #require(created["id"] as? String)
            let key = try #require(created["key"] as? String)
            let agent = try await a.enrolledEmployee("agent@example.com")

            // Both instances have seen both credentials, so both have them cached.
            for h in [a, b] {
                #expect(try await h.request(.get, "/api/customers", token: key).status == .ok)
                #expect(try await h.request(.get, "/api/customers", bearer: agent.accessToken).status == .ok)
            }
            #expect(try await a.request(.delete, "/api/api-keys/\(keyID)", bearer: admin.accessToken).status == .noContent)
            #expect(try await a.request(.post, "/api/auth/signout", bearer: agent.accessToken).status == .noContent)

            #expect(try await a.request(.get, "/api/customers", token: key).status == .unauthorized, "the revoking instance refuses at once")
            #expect(try await a.request(.get, "/api/customers", bearer: agent.accessToken).status == .unauthorized)
            a.clock.advance(by: 1.001)
            #expect(try await b.request(.get, "/api/customers", token: key).status == .unauthorized, "another instance refuses within a second")
            #expect(try await b.request(.get, "/api/customers", bearer: agent.accessToken).status == .unauthorized)
        }
    }
}
