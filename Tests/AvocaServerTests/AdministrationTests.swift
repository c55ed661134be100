import AvocaCore
import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

@Suite("Administration: API keys, employees, deactivation", .timeLimit(.minutes(4)))
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

    @Test("admins promote and demote; the change takes effect at once; the last active admin cannot be demoted")
    func promoteAndDemote() async throws {
        try await Harness.run { h in
            let boss = try await h.enrolledEmployee("boss@example.com")
            let rep = try await h.enrolledEmployee("rep@example.com")
            func setRole(_ id: String, _ role: String, by caller: SignedIn) async throws -> APIResponse {
                try await h.request(.put, "/api/employees/\(id)/role", json: ["role": role], bearer: caller.accessToken)
            }
            // Alone, the admin can demote nobody: not even themselves.
            let alone = try await setRole(boss.employeeID, "agent", by: boss)
            #expect(alone.status == .conflict)
            #expect(alone.errorCode == "last_admin")
            // An agent cannot change roles, their own included.
            #expect(try await setRole(rep.employeeID, "admin", by: rep).status == .forbidden)
            // Promotion works at once: the new admin manages API keys on their current token.
            let promoted = try await setRole(rep.employeeID, "admin", by: boss)
            #expect(promoted.status == .ok)
            #expect(promoted["role"] as? String == "admin")
            #expect(try await h.request(.get, "/api/api-keys", bearer: rep.accessToken).status == .ok)
            // With two admins one may demote the other; then the remaining one is the last again.
            #expect(try await setRole(boss.employeeID, "agent", by: rep)["role"] as? String == "agent")
            #expect(try await h.request(.get, "/api/api-keys", bearer: boss.accessToken).status == .forbidden)
            #expect(try await setRole(rep.employeeID, "agent", by: rep).errorCode == "last_admin")
            // Bad input changes nothing.
            #expect(try await setRole(boss.employeeID, "root", by: rep).status == .badRequest)
            #expect(try await setRole("not-an-id", "admin", by: rep).status == .notFound)
            #expect(try await setRole(UUID().uuidString, "admin", by: rep).status == .notFound)
            let roles = try await h.services.identity.employees(page: 1, pageSize: 10).items.map { "\($0.email)=\($0.role.rawValue)" }
            #expect(Set(roles) == ["boss@example.com=agent", "rep@example.com=admin"])
        }
    }

    @Test("two admins demoting or deactivating each other at once: exactly one wins, one admin remains")
    func lastAdminUnderConcurrency() async throws {
        try await Harness.run { h in
            let first = try await h.enrolledEmployee("first@example.com")
            let second = try await h.enrolledEmployee("second@example.com")
            let identity = h.services.identity
            for round in 0..<4 {
                // Make both admins again (the one that lost its role in the last round, or the agent).
                for employee in [first, second] {
                    let id = try #require(EmployeeID(employee.employeeID))
                    if try await identity.employee(id)?.role != .admin {
                        let admin = try #require([first, second].first { $0.employeeID != employee.employeeID })
                        #expect(
                            try await h.request(.put, "/api/employees/\(id)/role", json: ["role": "admin"], bearer: admin.accessToken).status == .ok)
                    }
                }
                let deactivate = round == 3
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for (caller, target) in [(first, second), (second, first)] {
                        group.addTask {
                            deactivate
                                ? try await h.request(.post, "/api/employees/\(target.employeeID)/deactivate", bearer: caller.accessToken).status
                                : try await h.request(
                                    .put, "/api/employees/\(target.employeeID)/role", json: ["role": "agent"], bearer: caller.accessToken
                                ).status
                        }
                    }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .ok }.count == 1, "round \(round): \(statuses)")
                let admins = try await identity.employees(page: 1, pageSize: 10).items.filter { $0.role == .admin && $0.isActive }
                #expect(admins.count == 1, "round \(round)")
            }
        }
    }
}
