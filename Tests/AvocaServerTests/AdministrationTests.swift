import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

@Suite("Administration: API keys, employees, deactivation", .timeLimit(.minutes(2)))
struct AdministrationTests {
    @Test("an admin creates a scoped API key; it works with the Token scheme until revoked")
    func apiKeys() async throws {
        try await Harness.run { h in
            let admin = try await h.enrolledEmployee("admin@example.com")
            let created = try await h.request(
                .post, "/api/api-keys", json: ["name": "bridge", "scopes": ["directory:read"]], bearer: admin.accessToken)
            #expect(created.status == .created)
            let key = try #require(created["key"] as? String)
            let id = try #require(created["id"] as? String)
            let employees = try await h.request(.get, "/api/employees", token: key)
            #expect(employees.status == .ok)
            #expect(employees["total_items"] as? Int == 1)
            #expect(employees["page"] as? Int == 1)
            // A key cannot do employee-only things.
            #expect(try await h.request(.get, "/api/auth/me", token: key).status == .forbidden)
            let list = try await h.request(.get, "/api/api-keys", bearer: admin.accessToken)
            let keys = try #require(list["api_keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            #expect(keys[0]["key"] == nil)
            #expect(try await h.request(.delete, "/api/api-keys/\(id)", bearer: admin.accessToken).status == .noContent)
            #expect(try await h.request(.get, "/api/employees", token: key).status == .unauthorized)
        }
    }

    @Test("a key without the needed scope is refused with 403")
    func scopes() async throws {
        try await Harness.run { h in
            let (key, secret) = try await h.services.identity.createAPIKey(name: "ingest", scopes: [.callsIngest])
            #expect(key.scopes == [.callsIngest])
            #expect(try await h.request(.get, "/api/employees", token: secret).status == .forbidden)
        }
    }

    @Test("agents cannot manage API keys or deactivate anyone")
    func agentsAreNotAdmins() async throws {
        try await Harness.run { h in
            let admin = try await h.enrolledEmployee("boss@example.com")
            let agent = try await h.enrolledEmployee("rep@example.com")
            #expect(try await h.request(.get, "/api/api-keys", bearer: agent.accessToken).status == .forbidden)
            #expect(
                try await h.request(.post, "/api/api-keys", json: ["name": "x", "scopes": ["calls:read"]], bearer: agent.accessToken).status
                    == .forbidden)
            #expect(try await h.request(.post, "/api/employees/\(admin.employeeID)/deactivate", bearer: agent.accessToken).status == .forbidden)
        }
    }

    @Test("deactivating an employee ends their sessions at once and blocks sign-in")
    func deactivation() async throws {
        try await Harness.run { h in
            let admin = try await h.enrolledEmployee("boss@example.com")
            let agent = try await h.enrolledEmployee("rep@example.com")
            let response = try await h.request(.post, "/api/employees/\(agent.employeeID)/deactivate", bearer: admin.accessToken)
            #expect(response.status == .ok)
            #expect(response["is_active"] as? Bool == false)
            #expect(try await h.request(.get, "/api/auth/me", bearer: agent.accessToken).status == .unauthorized)
            #expect(try await h.request(.post, "/api/auth/refresh-token", json: ["refresh_token": agent.refreshToken]).status == .unauthorized)
            #expect(try await h.request(.post, "/api/auth/signin", json: ["email": agent.email, "password": agent.password]).status == .unauthorized)
            #expect(try await h.request(.post, "/api/employees/\(admin.employeeID)/deactivate", bearer: admin.accessToken).status == .conflict)
        }
    }

    @Test("the api-key validation names the fields")
    func apiKeyValidation() async throws {
        try await Harness.run { h in
            let admin = try await h.enrolledEmployee("boss@example.com")
            let response = try await h.request(.post, "/api/api-keys", json: ["name": " ", "scopes": []], bearer: admin.accessToken)
            #expect(response.status == .unprocessableContent)
            #expect(Set(response.errorFields.keys) == ["name", "scopes"])
            #expect(
                try await h.request(.post, "/api/api-keys", json: ["name": "x", "scopes": ["root"]], bearer: admin.accessToken).status == .badRequest)
        }
    }
}
