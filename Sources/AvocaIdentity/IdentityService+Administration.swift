import AvocaCore
import Foundation

extension IdentityService {
    /// One page of employees.
    public func employees(page: Int, pageSize: Int) async throws -> ResultPage<Employee> {
        try await repository.listEmployees(page: page, pageSize: pageSize)
    }

    /// One employee, if it exists.
    public func employee(_ id: EmployeeID) async throws -> Employee? { try await repository.employee(id: id) }

    /// Deactivates an employee (admin only); their sessions end at once. The last active admin stays.
    public func deactivate(_ id: EmployeeID, by caller: AuthenticatedEmployee) async throws -> Employee {
        try requireAdmin(caller)
        guard id != caller.employee.id else {
            throw DomainError.conflict(code: "cannot_deactivate_self", message: "You cannot deactivate your own account.")
        }
        let employee = try Self.changed(try await repository.changeAccess(id, role: nil, deactivate: true))
        try await repository.revokeSessions(of: id, except: nil, reason: .deactivated, at: clock.now())
        await sessionsEnded(of: id, except: nil)
        return employee
    }

    /// Promotes an agent to admin or demotes an admin to agent (admin only). An admin may demote
    /// themselves, but never the last active admin: someone must be able to manage the desk.
    public func setRole(_ id: EmployeeID, to role: EmployeeRole, by caller: AuthenticatedEmployee) async throws -> Employee {
        try requireAdmin(caller)
        let employee = try Self.changed(try await repository.changeAccess(id, role: role, deactivate: false))
        logger.notice("employee role set", metadata: ["employee_id": "\(id)", "role": "\(role.rawValue)", "by": "\(caller.employee.id)"])
        authCache.clear()  // a cached caller still carries the old role
        return employee
    }

    /// The employee after an access change, or the error that refused it.
    private static func changed(_ change: AccessChange) throws -> Employee {
        switch change {
        case .changed(let employee): return employee
        case .notFound: throw DomainError.notFound(entity: "employee")
        case .lastAdmin:
            throw DomainError.conflict(code: "last_admin", message: "This is the last active admin. Make someone else an admin first.")
        }
    }

    /// Creates an API key and returns it with its secret, which is never shown again.
    public func createAPIKey(name: String, scopes: [APIKeyScope]) async throws -> (APIKey, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var fields: [String: String] = [:]
        if trimmed.isEmpty || trimmed.count > 100 { fields["name"] = "Enter a name (up to 100 characters)." }
        if scopes.isEmpty { fields["scopes"] = "Choose at least one scope." }
        guard fields.isEmpty else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields) }
        let secret = "avk_" + RandomToken.urlSafe()
        let key = APIKey(
            id: .random(), name: trimmed, scopes: Array(Set(scopes)).sorted { $0.rawValue < $1.rawValue },
            prefix: String(secret.prefix(10)), keyHash: tokenHasher.hash(secret), createdAt: clock.now())
        try await repository.createAPIKey(key)
        return (key, secret)
    }

    /// Every API key, newest first.
    public func apiKeys() async throws -> [APIKey] { try await repository.listAPIKeys() }

    /// Revokes an API key.
    public func revokeAPIKey(_ id: APIKeyID) async throws {
        guard try await repository.revokeAPIKey(id, at: clock.now()) else { throw DomainError.notFound(entity: "api_key") }
        authCache.clear()
    }

    /// Throws `forbidden` unless the caller is an admin.
    public func requireAdmin(_ caller: AuthenticatedEmployee) throws {
        guard caller.employee.role == .admin else { throw DomainError.forbidden(message: "Only an admin can do this.") }
    }
}
