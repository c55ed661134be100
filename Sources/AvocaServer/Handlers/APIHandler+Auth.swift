import AvocaAPI
import AvocaCore
import AvocaIdentity
import Foundation

extension APIHandler {
    func signUp(_ input: Operations.SignUp.Input) async throws -> Operations.SignUp.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        try await identity.signUp(
            email: body.email, password: body.password, firstName: body.firstName, lastName: body.lastName,
            client: RequestEnvironment.current.client)
        return .created(.init(body: .json(.init(message: IdentityService.signUpMessage))))
    }

    func verifyEmail(_ input: Operations.VerifyEmail.Input) async throws -> Operations.VerifyEmail.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        try await identity.verifyEmail(email: body.email, code: body.code, client: RequestEnvironment.current.client)
        return .ok(.init(body: .json(.init(message: "Email verified successfully."))))
    }

    func resendVerification(_ input: Operations.ResendVerification.Input) async throws -> Operations.ResendVerification.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        try await identity.resendVerification(email: body.email, client: RequestEnvironment.current.client)
        return .ok(.init(body: .json(.init(message: IdentityService.codeSentMessage))))
    }

    func signIn(_ input: Operations.SignIn.Input) async throws -> Operations.SignIn.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let challenge = try await identity.signIn(email: body.email, password: body.password, client: RequestEnvironment.current.client)
        return .ok(
            .init(
                body: .json(
                    .init(
                        message: challenge.purpose == .enroll ? "Set up your authenticator app." : "Enter the code from your authenticator app.",
                        mfaToken: challenge.token, mfaRequired: challenge.purpose == .enroll ? .enroll : .verify,
                        expiresAt: challenge.expiresAt))))
    }

    func totpSetup(_ input: Operations.TotpSetup.Input) async throws -> Operations.TotpSetup.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let enrolment = try await identity.beginTOTPEnrolment(mfaToken: body.mfaToken)
        return .ok(.init(body: .json(.init(otpauthUrl: enrolment.uri, secret: enrolment.secret, qrSvg: enrolment.qrSVG))))
    }

    func totpVerify(_ input: Operations.TotpVerify.Input) async throws -> Operations.TotpVerify.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let session = try await identity.completeWithTOTP(mfaToken: body.mfaToken, code: body.code, client: RequestEnvironment.current.client)
        let payload = sessionResponse(session, transport: body.refreshTransport, message: "TOTP verified successfully")
        return .ok(.init(body: .json(payload)))
    }

    func recoveryCodeSignIn(_ input: Operations.RecoveryCodeSignIn.Input) async throws -> Operations.RecoveryCodeSignIn.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let session = try await identity.completeWithRecoveryCode(
            mfaToken: body.mfaToken, recoveryCode: body.recoveryCode, client: RequestEnvironment.current.client)
        let payload = sessionResponse(session, transport: body.refreshTransport, message: "Signed in with a recovery code")
        return .ok(.init(body: .json(payload)))
    }

    func regenerateRecoveryCodes(_ input: Operations.RegenerateRecoveryCodes.Input) async throws -> Operations.RegenerateRecoveryCodes.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let codes = try await identity.regenerateRecoveryCodes(
            try RequestEnvironment.employee, currentPassword: body.currentPassword, client: RequestEnvironment.current.client)
        return .ok(.init(body: .json(.init(recoveryCodes: codes))))
    }

    func refreshToken(_ input: Operations.RefreshToken.Input) async throws -> Operations.RefreshToken.Output {
        var body: Components.Schemas.RefreshRequest?
        if case .json(let json) = input.body { body = json }
        // The body token wins; otherwise the console's cookie.
        let fromCookie = body?.refreshToken == nil
        guard let token = body?.refreshToken ?? RequestEnvironment.current.cookies[RefreshCookie.name], !token.isEmpty else {
            throw DomainError.unauthorized(code: "invalid_refresh_token", message: "Your session has ended. Sign in again.")
        }
        let session = try await identity.refresh(refreshToken: token)
        // A token that came from the HttpOnly cookie goes back only into the cookie, whatever the
        // body asks: otherwise a script on the page could read the refresh token by asking for it.
        let transport = fromCookie ? .cookie : body?.refreshTransport ?? .body
        let payload = sessionResponse(session, transport: transport, message: "Token refreshed")
        return .ok(.init(body: .json(payload)))
    }

    func signOut(_ input: Operations.SignOut.Input) async throws -> Operations.SignOut.Output {
        try await identity.signOut(try RequestEnvironment.employee)
        RequestEnvironment.current.responseCookies.add(cookies.clear())
        return .noContent(.init())
    }

    func forgotPassword(_ input: Operations.ForgotPassword.Input) async throws -> Operations.ForgotPassword.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        try await identity.forgotPassword(email: body.email, client: RequestEnvironment.current.client)
        return .ok(.init(body: .json(.init(message: IdentityService.codeSentMessage))))
    }

    func resetPassword(_ input: Operations.ResetPassword.Input) async throws -> Operations.ResetPassword.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        try await identity.resetPassword(email: body.email, code: body.code, newPassword: body.newPassword, client: RequestEnvironment.current.client)
        return .ok(.init(body: .json(.init(message: "Password updated"))))
    }

    func changePassword(_ input: Operations.ChangePassword.Input) async throws -> Operations.ChangePassword.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        try await identity.changePassword(
            try RequestEnvironment.employee, current: body.currentPassword, new: body.newPassword, client: RequestEnvironment.current.client)
        return .ok(.init(body: .json(.init(message: "Password updated"))))
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        .ok(.init(body: .json(.init(try RequestEnvironment.employee.employee))))
    }

    func listSessions(_ input: Operations.ListSessions.Input) async throws -> Operations.ListSessions.Output {
        let caller = try RequestEnvironment.employee
        let sessions = try await identity.sessions(of: caller).map {
            Components.Schemas.Session(
                id: $0.id.description, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt, expiresAt: $0.expiresAt,
                userAgent: $0.userAgent, ipAddress: $0.ipAddress, current: $0.id == caller.sessionID)
        }
        return .ok(.init(body: .json(.init(sessions: sessions))))
    }

    func revokeSession(_ input: Operations.RevokeSession.Input) async throws -> Operations.RevokeSession.Output {
        guard let id = SessionID(input.path.sessionId) else { throw DomainError.notFound(entity: "session") }
        try await identity.revokeSession(id, by: try RequestEnvironment.employee)
        return .noContent(.init())
    }

    /// The session body; with the cookie transport the refresh token goes into the HttpOnly cookie instead.
    private func sessionResponse(
        _ session: IssuedSession, transport: Components.Schemas.RefreshTransport?, message: String
    )
        -> Components.Schemas.SessionResponse
    {
        let useCookie = transport == .cookie
        let payload = Components.Schemas.SessionResponse(
            message: message, employee: .init(session.employee), accessToken: session.accessToken, tokenType: .bearer,
            expiresIn: session.expiresIn, refreshToken: useCookie ? nil : session.refreshToken, sessionId: session.sessionID.description,
            recoveryCodes: session.recoveryCodes)
        if useCookie { RequestEnvironment.current.responseCookies.add(cookies.set(session.refreshToken)) }
        return payload
    }
}

extension Components.Schemas.AuthEmployee {
    init(_ employee: Employee) {
        self.init(
            employeeId: employee.id.description, id: employee.id.description, email: employee.email, firstName: employee.firstName,
            lastName: employee.lastName, role: .init(rawValue: employee.role.rawValue) ?? .agent, isActive: employee.isActive,
            authEmailVerified: employee.emailVerifiedAt != nil, authTotpEnabled: employee.totpEnabledAt != nil,
            authTotpVerifiedAt: employee.totpEnabledAt, lastActiveAt: employee.lastActiveAt)
    }
}
