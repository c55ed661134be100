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
        await events?.publish(.roleChanged(id))
        return employee
    }

    /// Invites an address (admin only): it may then sign up whatever the mode, and verifying it
    /// lets the employee in with `role`. Inviting again replaces the invitation and mails it anew.
    public func invite(email rawEmail: String, role: EmployeeRole, by caller: AuthenticatedEmployee) async throws -> Invitation {
        try requireAdmin(caller)
        guard let email = EmailAddress(rawEmail) else {
            throw DomainError.validation(message: "Enter a valid e-mail address.", fields: ["email": "Enter a valid e-mail address."])
        }
        if let existing = try await repository.employee(email: email.value), existing.emailVerifiedAt != nil {
            throw DomainError.conflict(code: "already_employee", message: "\(email.value) already has an account.")
        }
        let now = clock.now()
        let invitation = Invitation(
            id: UUID(), email: email.value, role: role, invitedBy: caller.employee.id, createdAt: now,
            expiresAt: now.addingTimeInterval(configuration.invitationLifetime))
        try await repository.saveInvitation(invitation)
        try await outbox.enqueue(
            MailTemplates.invitation(
                email: email.value, role: role, by: caller.employee, publicURL: configuration.publicURL, expiresAt: invitation.expiresAt),
            at: now)
        logger.notice("employee invited", metadata: ["role": "\(role.rawValue)", "by": "\(caller.employee.id)"])
        return invitation
    }

    /// Invitations not yet accepted (admin only).
    public func invitations(by caller: AuthenticatedEmployee) async throws -> [Invitation] {
        try requireAdmin(caller)
        return try await repository.pendingInvitations()
    }

    /// Withdraws an invitation (admin only); the address can no longer use it.
    public func withdrawInvitation(_ id: UUID, by caller: AuthenticatedEmployee) async throws {
        try requireAdmin(caller)
        guard try await repository.deleteInvitation(id) else { throw DomainError.notFound(entity: "invitation") }
    }

    /// Lets a signed-up employee in (admin only). Until then they cannot sign in.
    public func approve(_ id: EmployeeID, by caller: AuthenticatedEmployee) async throws -> Employee {
        try requireAdmin(caller)
        guard let employee = try await repository.employee(id: id) else { throw DomainError.notFound(entity: "employee") }
        guard employee.emailVerifiedAt != nil else {
            throw DomainError.conflict(code: "not_verified", message: "\(employee.email) has not verified the address yet.")
        }
        guard employee.isActive else {
            throw DomainError.conflict(code: "deactivated", message: "\(employee.email) is deactivated.")
        }
        guard let approved = try await repository.approveEmployee(id, at: clock.now()) else { throw DomainError.notFound(entity: "employee") }
        logger.notice("employee approved", metadata: ["employee_id": "\(id)", "by": "\(caller.employee.id)"])
        return approved
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
