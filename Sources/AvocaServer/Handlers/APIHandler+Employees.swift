import AvocaAPI
import AvocaCore
import AvocaIdentity
import Foundation

extension APIHandler {
    func getCompany(_ input: Operations.GetCompany.Input) async throws -> Operations.GetCompany.Output {
        .ok(.init(body: .json(.init(timeZone: jobs.timeZone.identifier))))
    }

    func listEmployees(_ input: Operations.ListEmployees.Input) async throws -> Operations.ListEmployees.Output {
        let (page, size) = try Paging.validate(page: input.query.page, pageSize: input.query.pageSize)
        let result = try await identity.employees(page: page, pageSize: size)
        return .ok(
            .init(
                body: .json(
                    .init(
                        page: result.page, pageSize: result.pageSize, totalPages: result.totalPages, totalItems: result.totalItems,
                        employees: result.items.map(Components.Schemas.Employee.init)))))
    }

    func deactivateEmployee(_ input: Operations.DeactivateEmployee.Input) async throws -> Operations.DeactivateEmployee.Output {
        guard let id = EmployeeID(input.path.employeeId) else { throw DomainError.notFound(entity: "employee") }
        let employee = try await identity.deactivate(id, by: try RequestEnvironment.employee)
        return .ok(.init(body: .json(.init(employee))))
    }

    func setEmployeeRole(_ input: Operations.SetEmployeeRole.Input) async throws -> Operations.SetEmployeeRole.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        guard let id = EmployeeID(input.path.employeeId) else { throw DomainError.notFound(entity: "employee") }
        let role: EmployeeRole =
            switch body.role {
            case .admin: .admin
            case .supervisor: .supervisor
            case .agent: .agent
            }
        let employee = try await identity.setRole(id, to: role, by: try RequestEnvironment.employee)
        return .ok(.init(body: .json(.init(employee))))
    }

    func approveEmployee(_ input: Operations.ApproveEmployee.Input) async throws -> Operations.ApproveEmployee.Output {
        guard let id = EmployeeID(input.path.employeeId) else { throw DomainError.notFound(entity: "employee") }
        let employee = try await identity.approve(id, by: try RequestEnvironment.employee)
        return .ok(.init(body: .json(.init(employee))))
    }

    func listInvitations(_ input: Operations.ListInvitations.Input) async throws -> Operations.ListInvitations.Output {
        let invitations = try await identity.invitations(by: try RequestEnvironment.employee)
        return .ok(.init(body: .json(.init(invitations: invitations.map(Components.Schemas.Invitation.init)))))
    }

    func createInvitation(_ input: Operations.CreateInvitation.Input) async throws -> Operations.CreateInvitation.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let role: EmployeeRole =
            switch body.role {
            case .admin: .admin
            case .supervisor: .supervisor
            case .agent: .agent
            }
        let invitation = try await identity.invite(email: body.email, role: role, by: try RequestEnvironment.employee)
        return .created(.init(body: .json(.init(invitation))))
    }

    func withdrawInvitation(_ input: Operations.WithdrawInvitation.Input) async throws -> Operations.WithdrawInvitation.Output {
        guard let id = UUID(uuidString: input.path.invitationId) else { throw DomainError.notFound(entity: "invitation") }
        try await identity.withdrawInvitation(id, by: try RequestEnvironment.employee)
        return .noContent(.init())
    }
}

extension Components.Schemas.Invitation {
    init(_ invitation: Invitation) {
        self.init(
            id: invitation.id.uuidString.lowercased(), email: invitation.email, role: .init(rawValue: invitation.role.rawValue) ?? .agent,
            invitedBy: invitation.invitedBy.description, createdAt: invitation.createdAt, expiresAt: invitation.expiresAt)
    }
}

extension Components.Schemas.Employee {
    init(_ employee: Employee) {
        self.init(
            id: employee.id.description, firstName: employee.firstName, lastName: employee.lastName, email: employee.email,
            mobileNumber: nil, colorHex: nil, avatarUrl: nil, role: .init(rawValue: employee.role.rawValue) ?? .agent,
            isActive: employee.isActive, isApproved: employee.approvedAt != nil,
            permissions: .init(additionalProperties: ["can_manage_api_keys": employee.role == .admin, "can_supervise": employee.role.canSupervise]))
    }
}
