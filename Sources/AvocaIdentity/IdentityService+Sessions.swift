import AvocaCore
import Foundation

extension IdentityService {
    /// Opens a session and issues its first tokens.
    func startSession(for employee: Employee, client: ClientInfo) async throws -> IssuedSession {
        let now = clock.now()
        let session = AuthSession(
            id: .random(), employeeID: employee.id, createdAt: now, lastUsedAt: now,
            expiresAt: now.addingTimeInterval(configuration.sessionLifetime), userAgent: client.userAgent, ipAddress: client.ipAddress)
        try await repository.createSession(session)
        try await repository.touchEmployee(employee.id, at: now)
        let current = try await repository.employee(id: employee.id) ?? employee
        return try await issueTokens(for: current, session: session)
    }

    /// A new access token and a new refresh token for a session.
    private func issueTokens(for employee: Employee, session: AuthSession) async throws -> IssuedSession {
        let refresh = RandomToken.urlSafe()
        try await repository.addRefreshToken(hash: tokenHasher.hash(refresh), sessionID: session.id, at: clock.now())
        return try await accessToken(for: employee, session: session, refreshToken: refresh)
    }

    /// Signs an access token to go with `refreshToken`.
    private func accessToken(for employee: Employee, session: AuthSession, refreshToken refresh: String) async throws -> IssuedSession {
        let now = clock.now()
        let expires = min(now.addingTimeInterval(configuration.accessTokenLifetime), session.expiresAt)
        let access = try await signer.sign(employee: employee.id, session: session.id, now: now, expires: expires)
        return IssuedSession(
            employee: employee, sessionID: session.id, accessToken: access, expiresIn: Int(expires.timeIntervalSince(now)),
            refreshToken: refresh, recoveryCodes: nil)
    }

    /// Rotates a refresh token. A token works once; presenting a used one revokes the whole session,
    /// because either the client or a thief is replaying it and we cannot tell which.
    public func refresh(refreshToken: String) async throws -> IssuedSession {
        let now = clock.now()
        let invalid = DomainError.unauthorized(code: "invalid_refresh_token", message: "Your session has ended. Sign in again.")
        let next = RandomToken.urlSafe()
        switch try await repository.rotateRefreshToken(hash: tokenHasher.hash(refreshToken), newHash: tokenHasher.hash(next), at: now) {
        case .unknown, .sessionEnded:
            throw invalid
        case .replayed(let sessionID):
            try await repository.revokeSession(sessionID, reason: .refreshTokenReuse, at: now)
            await sessionEnded(sessionID)
            logger.warning("refresh token replayed; session revoked", metadata: ["session_id": "\(sessionID)"])
            throw DomainError.unauthorized(code: "refresh_token_reused", message: "This session was ended for your safety. Sign in again.")
        case .fresh(let session):
            guard let employee = try await repository.employee(id: session.employeeID), employee.mayWork else { throw invalid }
            return try await accessToken(for: employee, session: session, refreshToken: next)
        }
    }

    /// The employee behind a bearer access token — only if its session is still live, the employee
    /// active and enrolled in TOTP. Revocation therefore takes effect before the token expires.
    public func authenticate(accessToken: String) async throws -> AuthenticatedEmployee? {
        let now = clock.now()
        guard let (employeeID, sessionID) = await signer.verify(accessToken, now: now) else { return nil }
        if let cached = authCache.session(sessionID, at: now) { return cached.employee.id == employeeID ? cached : nil }
        guard let session = try await repository.session(sessionID), session.isLive(at: now), session.employeeID == employeeID,
            let employee = try await repository.employee(id: employeeID), employee.mayWork, employee.totpEnabledAt != nil
        else { return nil }
        let caller = AuthenticatedEmployee(employee: employee, sessionID: sessionID)
        authCache.remember(caller, sessionExpires: session.expiresAt, at: now)
        return caller
    }

    /// The live, unrevoked API key for `Authorization: Token <key>`.
    public func authenticate(apiKey: String) async throws -> APIKey? {
        guard apiKey.count <= 200 else { return nil }
        let now = clock.now()
        let hash = tokenHasher.hash(apiKey)
        if let cached = authCache.apiKey(hash: hash, at: now) { return cached }
        guard var key = try await repository.apiKey(hash: hash), key.revokedAt == nil else { return nil }
        // Bound the write load: note usage at most once a minute per key (a cached key is read
        // again every second, so the note is at most a second late).
        if key.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try await repository.touchAPIKey(key.id, at: now)
            key.lastUsedAt = now
        }
        authCache.remember(key, at: now)
        return key
    }

    /// A session was revoked: this instance forgets it at once, and every instance closes its sockets.
    func sessionEnded(_ id: SessionID) async {
        authCache.clear()
        await events?.publish(.sessionEnded(id))
    }

    /// Every session of an employee but `except` was revoked.
    func sessionsEnded(of employee: EmployeeID, except: SessionID?) async {
        authCache.clear()
        await events?.publish(.employeeSessionsEnded(employee, except: except))
    }

    /// Whether a session may still be used (live, and its employee active). A database error counts
    /// as "no": a check that cannot be made must not keep a possibly revoked session connected (the
    /// client reconnects, and is let in again once the check can be made).
    public func isSessionLive(_ id: SessionID) async -> Bool {
        do {
            guard let session = try await repository.session(id), session.isLive(at: clock.now()),
                let employee = try await repository.employee(id: session.employeeID)
            else { return false }
            return employee.mayWork
        } catch {
            logger.warning("cannot check a session; treating it as ended", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Ends the caller's session.
    public func signOut(_ caller: AuthenticatedEmployee) async throws {
        try await repository.revokeSession(caller.sessionID, reason: .signedOut, at: clock.now())
        await sessionEnded(caller.sessionID)
    }

    /// The caller's live sessions.
    public func sessions(of caller: AuthenticatedEmployee) async throws -> [AuthSession] {
        try await repository.liveSessions(caller.employee.id, now: clock.now())
    }

    /// Ends one of the caller's own sessions.
    public func revokeSession(_ id: SessionID, by caller: AuthenticatedEmployee) async throws {
        guard let session = try await repository.session(id), session.employeeID == caller.employee.id else {
            throw DomainError.notFound(entity: "session")
        }
        try await repository.revokeSession(id, reason: .revokedByUser, at: clock.now())
        await sessionEnded(id)
    }
}
