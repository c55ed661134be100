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
}

extension Components.Schemas.Employee {
    init(_ employee: Employee) {
        self.init(
            id: employee.id.description, firstName: employee.firstName, lastName: employee.lastName, email: employee.email,
            mobileNumber: nil, colorHex: nil, avatarUrl: nil, role: .init(rawValue: employee.role.rawValue) ?? .agent,
            isActive: employee.isActive,
            permissions: .init(additionalProperties: ["can_manage_api_keys": employee.role == .admin, "can_supervise": employee.role.canSupervise]))
    }
}
