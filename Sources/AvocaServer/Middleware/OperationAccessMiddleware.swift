import AvocaCore
import AvocaIdentity
import HTTPTypes
import OpenAPIRuntime

/// Who may call an operation.
enum Access: Sendable, Equatable {
    /// Anyone (sign-up, sign-in …).
    case anyone
    /// A signed-in employee (completed TOTP).
    case employee
    /// A signed-in admin.
    case admin
    /// A signed-in employee, or an API key holding the scope.
    case employeeOrKey(APIKeyScope)
    /// An API key holding the scope (or an admin, for manual testing from the console).
    case keyOrAdmin(APIKeyScope)
    /// A signed-in supervisor or admin.
    case supervisor
    /// A signed-in supervisor or admin, or an API key holding the scope.
    case supervisorOrKey(APIKeyScope)
    /// A carrier webhook whose signature `TwilioSignatureMiddleware` verified (no other credential counts).
    case carrier
}

/// Enforces the access rule of each OpenAPI operation before its handler runs, so a handler is
/// only ever reached by a caller it accepts. Operations missing from the table are refused (fail closed).
struct OperationAccessMiddleware: ServerMiddleware {
    let rules: [String: Access]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        try OperationRules.authorize(operationID, principal: RequestEnvironment.current.principal, among: rules)
        return try await next(request, body, metadata)
    }
}

extension OperationRules {
    /// The one access decision: whether `principal` may call `operationID` under `rules`, for
    /// the generated handlers (through `OperationAccessMiddleware`) and the direct routes alike.
    /// Throws the domain error the caller is answered with.
    static func authorize(_ operationID: String, principal: Principal?, among rules: [String: Access] = all) throws {
        guard let rule = rules[operationID] else { throw DomainError.forbidden(message: "This operation is not available.") }
        switch (rule, principal) {
        case (.anyone, _):
            break
        case (.carrier, _):
            // Fails closed should the route ever be reached without the signature check.
            guard CarrierRequest.current != nil else { throw DomainError.forbidden(message: "Only the carrier, by its signature.") }
        case (_, nil):
            throw DomainError.unauthorized()
        case (.employee, .employee), (.employeeOrKey, .employee):
            break
        case (.admin, .employee(let caller)), (.keyOrAdmin, .employee(let caller)):
            guard caller.employee.role == .admin else { throw DomainError.forbidden(message: "Only an admin can do this.") }
        case (.supervisor, .employee(let caller)), (.supervisorOrKey, .employee(let caller)):
            guard caller.employee.role.canSupervise else { throw DomainError.forbidden(message: "Only a supervisor or an admin can do this.") }
        case (.employeeOrKey(let scope), .apiKey(let key)), (.keyOrAdmin(let scope), .apiKey(let key)),
            (.supervisorOrKey(let scope), .apiKey(let key)):
            guard key.scopes.contains(scope) else { throw DomainError.forbidden(message: "This API key lacks the \(scope.rawValue) scope.") }
        case (.employee, .apiKey), (.admin, .apiKey), (.supervisor, .apiKey):
            throw DomainError.forbidden(message: "This operation needs a signed-in employee, not an API key.")
        }
    }
}

extension RequestEnvironment {
    /// The signed-in employee; `OperationAccessMiddleware` guarantees it for employee-only operations.
    static var employee: AuthenticatedEmployee {
        get throws {
            guard case .employee(let caller) = current.principal else { throw DomainError.unauthorized() }
            return caller
        }
    }
}
