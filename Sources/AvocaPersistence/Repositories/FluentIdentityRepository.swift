import AvocaCore
import FluentKit
import Foundation
import SQLKit

/// `IdentityRepository` on FluentKit (SQLite and PostgreSQL).
public struct FluentIdentityRepository: IdentityRepository {
    private let database: AvocaDatabase
    private var db: any Database { database.db }

    /// Creates the repository.
    public init(database: AvocaDatabase) { self.database = database }

    // MARK: Employees

    public func createEmployee(
        email: String, firstName: String, lastName: String, passwordHash: String, now: Date
    ) async throws
        -> Employee
    {
        let model = EmployeeModel()
        model.id = UUID()
        model.email = email
        model.firstName = firstName
        model.lastName = lastName
        model.role = EmployeeRole.agent.rawValue
        model.isActive = true
        model.passwordHash = passwordHash
        model.createdAt = now
        do {
            try await model.create(on: db)
        } catch  where error.isUniqueViolation {
            throw DomainError.conflict(code: "email_taken", message: "This e-mail address is already registered.")
        }
        return model.domain
    }

    public func employee(email: String) async throws -> Employee? {
        try await EmployeeModel.query(on: db).filter(\.$email == email).first()?.domain
    }

    public func employee(id: EmployeeID) async throws -> Employee? {
        try await EmployeeModel.find(id.uuid, on: db)?.domain
    }

    public func listEmployees(page: Int, pageSize: Int) async throws -> ResultPage<Employee> {
        let total = try await EmployeeModel.query(on: db).count()
        let rows = try await EmployeeModel.query(on: db).sort(\.$createdAt, .ascending).sort(\.$id, .ascending)
            .range(try PageWindow(page: page, pageSize: pageSize).rows).all()
        return ResultPage(items: rows.map(\.domain), page: page, pageSize: pageSize, totalItems: total)
    }

    public func completeVerification(
        _ id: EmployeeID, passwordHash: String?, grant: VerificationGrant, at: Date
    ) async throws
        -> Employee?
    {
        try await db.transaction { tx in
            var update = try tx.sql.update("employees").set("email_verified_at", to: at).where("id", .equal, id.uuid)
            if let passwordHash { update = update.set("password_hash", to: passwordHash) }
            if let role = grant.role { update = update.set("role", to: role.rawValue) }
            if grant.approve {
                update = update.set("approved_at", to: at)
            }
            try await update.run()
            if let invitation = grant.invitationID {
                try await tx.sql.update("invitations").set("accepted_at", to: at).where("id", .equal, invitation).run()
            }
            // The first verified employee becomes admin — not the first row, which anyone could
            // create with someone else's address. The marker's primary key decides who was first:
            // of two verifications at once, one inserts it and the other inserts nothing.
            let first = try await tx.sql.insert(into: "app_markers").columns("key", "value")
                .values(SQLBind("first_admin"), SQLBind(id.uuid.uuidString)).ignoringConflicts(with: "key")
                .returning("key").all()
            if !first.isEmpty {
                try await tx.sql.update("employees").set("role", to: EmployeeRole.admin.rawValue).set("approved_at", to: at)
                    .where("id", .equal, id.uuid).run()
            }
            return try await EmployeeModel.find(id.uuid, on: tx)?.domain
        }
    }

    public func firstAdminExists() async throws -> Bool {
        try await AppMarkerModel.find("first_admin", on: db) != nil
    }

    public func approveEmployee(_ id: EmployeeID, at: Date) async throws -> Employee? {
        // Conditional, so approving twice keeps the first approval time.
        try await db.sql.update("employees").set("approved_at", to: at)
            .where("id", .equal, id.uuid).where("approved_at", .is, SQLLiteral.null).run()
        return try await EmployeeModel.find(id.uuid, on: db)?.domain
    }

    public func activeAdmins() async throws -> [Employee] {
        try await EmployeeModel.query(on: db).filter(\.$role == EmployeeRole.admin.rawValue).filter(\.$isActive == true)
            .filter(\.$approvedAt != nil).sort(\.$createdAt, .ascending).limit(100).all().map(\.domain)
    }

    // MARK: Invitations

    public func saveInvitation(_ invitation: Invitation) async throws {
        try await db.transaction { tx in
            try await InvitationModel.query(on: tx).filter(\.$email == invitation.email).delete()
            let model = InvitationModel()
            model.id = invitation.id
            model.email = invitation.email
            model.role = invitation.role.rawValue
            model.invitedBy = invitation.invitedBy.uuid
            model.createdAt = invitation.createdAt
            model.expiresAt = invitation.expiresAt
            model.acceptedAt = invitation.acceptedAt
            try await model.create(on: tx)
        }
    }

    public func invitation(email: String) async throws -> Invitation? {
        try await InvitationModel.query(on: db).filter(\.$email == email).first()?.domain
    }

    public func pendingInvitations() async throws -> [Invitation] {
        try await InvitationModel.query(on: db).filter(\.$acceptedAt == nil).sort(\.$createdAt, .descending).limit(500).all()
            .map(\.domain)
    }

    public func deleteInvitation(_ id: UUID) async throws -> Bool {
        guard let model = try await InvitationModel.find(id, on: db) else { return false }
        try await model.delete(on: db)
        return true
    }

    public func updatePassword(_ id: EmployeeID, hash: String) async throws {
        try await EmployeeModel.query(on: db).filter(\.$id == id.uuid).set(\.$passwordHash, to: hash).update()
    }

    public func activateTOTP(_ id: EmployeeID, sealedSecret: Data, step: Int64, at: Date) async throws -> Bool {
        // Conditional on no active authenticator, so of two enrolments racing only one activates.
        let rows = try await db.sql.update("employees")
            .set("totp_secret", to: sealedSecret).set("totp_enabled_at", to: at).set("totp_last_step", to: step)
            .where("id", .equal, id.uuid).where("totp_enabled_at", .is, SQLLiteral.null)
            .returning("id").all()
        return !rows.isEmpty
    }

    public func claimTOTPStep(_ id: EmployeeID, step: Int64) async throws -> Bool {
        // One conditional UPDATE: of two concurrent uses of the same code, exactly one matches.
        let rows = try await db.sql.update("employees")
            .set("totp_last_step", to: step)
            .where("id", .equal, id.uuid)
            .where { $0.where("totp_last_step", .is, SQLLiteral.null).orWhere("totp_last_step", .lessThan, step) }
            .returning("id").all()
        return !rows.isEmpty
    }

    public func changeAccess(_ id: EmployeeID, role: EmployeeRole?, deactivate: Bool) async throws -> AccessChange {
        try await db.transaction { tx in
            // Lock the active admins first. On PostgreSQL a concurrent change waits here and then
            // sees the committed result (a row that stopped being an active admin drops out); on
            // SQLite the single connection runs one transaction at a time.
            let lock = database.location.isPostgres ? " FOR UPDATE" : ""
            let admins = try await tx.sql.raw(
                "SELECT id FROM employees WHERE role = \(bind: EmployeeRole.admin.rawValue) AND is_active = \(bind: true)\(unsafeRaw: lock)"
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            guard let model = try await EmployeeModel.find(id.uuid, on: tx) else { return .notFound }
            let losesAdmin = (role != nil && role != .admin) || deactivate
            if losesAdmin && admins == [id.uuid] { return .lastAdmin }
            if let role { model.role = role.rawValue }
            if deactivate { model.isActive = false }
            try await model.update(on: tx)
            return .changed(model.domain)
        }
    }

    public func touchEmployee(_ id: EmployeeID, at: Date) async throws {
        try await EmployeeModel.query(on: db).filter(\.$id == id.uuid).set(\.$lastActiveAt, to: at).update()
    }

    // MARK: E-mailed codes

    public func replaceEmailCode(_ code: EmailCode) async throws {
        try await db.transaction { tx in
            try await EmailCodeModel.query(on: tx)
                .filter(\.$employeeID == code.employeeID.uuid).filter(\.$purpose == code.purpose.rawValue)
                .filter(\.$consumedAt == nil).set(\.$consumedAt, to: code.createdAt).update()
            let model = EmailCodeModel()
            model.id = code.id
            model.employeeID = code.employeeID.uuid
            model.purpose = code.purpose.rawValue
            model.codeHash = code.codeHash
            model.attempts = code.attempts
            model.createdAt = code.createdAt
            model.expiresAt = code.expiresAt
            model.passwordHash = code.passwordHash
            try await model.create(on: tx)
        }
    }

    public func latestEmailCode(_ employeeID: EmployeeID, purpose: EmailCodePurpose) async throws -> EmailCode? {
        try await EmailCodeModel.query(on: db)
            .filter(\.$employeeID == employeeID.uuid).filter(\.$purpose == purpose.rawValue)
            .sort(\.$createdAt, .descending).first()
            .map {
                EmailCode(
                    id: $0.id!, employeeID: EmployeeID($0.employeeID), purpose: EmailCodePurpose(rawValue: $0.purpose)!,
                    codeHash: $0.codeHash, attempts: $0.attempts, createdAt: $0.createdAt, expiresAt: $0.expiresAt,
                    consumedAt: $0.consumedAt, passwordHash: $0.passwordHash)
            }
    }

    public func claimEmailCodeAttempt(_ codeID: UUID, limit: Int) async throws -> Bool {
        let rows = try await db.sql.update("email_codes")
            .set("attempts", to: SQLBinaryExpression(SQLColumn("attempts"), .add, SQLLiteral.numeric("1")))
            .where("id", .equal, codeID).where("attempts", .lessThan, limit).where("consumed_at", .is, SQLLiteral.null)
            .returning("attempts").all()
        return !rows.isEmpty
    }

    public func consumeEmailCode(_ codeID: UUID, at: Date) async throws -> Bool {
        let rows = try await db.sql.update("email_codes").set("consumed_at", to: at)
            .where("id", .equal, codeID).where("consumed_at", .is, SQLLiteral.null).returning("id").all()
        return !rows.isEmpty
    }

    // MARK: Second-factor challenges

    public func createChallenge(_ challenge: MFAChallenge, tokenHash: String) async throws {
        let model = MFAChallengeModel()
        model.id = challenge.id
        model.tokenHash = tokenHash
        model.employeeID = challenge.employeeID.uuid
        model.purpose = challenge.purpose.rawValue
        model.expiresAt = challenge.expiresAt
        model.pendingSecret = challenge.pendingSecretSealed
        try await model.create(on: db)
    }

    public func challenge(tokenHash: String) async throws -> MFAChallenge? {
        try await MFAChallengeModel.query(on: db).filter(\.$tokenHash == tokenHash).first().map {
            MFAChallenge(
                id: $0.id!, employeeID: EmployeeID($0.employeeID), purpose: MFAPurpose(rawValue: $0.purpose)!,
                expiresAt: $0.expiresAt, consumedAt: $0.consumedAt, pendingSecretSealed: $0.pendingSecret)
        }
    }

    public func setChallengePendingSecret(_ id: UUID, sealed: Data) async throws {
        try await MFAChallengeModel.query(on: db).filter(\.$id == id).set(\.$pendingSecret, to: sealed).update()
    }

    public func consumeChallenge(_ id: UUID, at: Date) async throws -> Bool {
        let rows = try await db.sql.update("mfa_challenges").set("consumed_at", to: at)
            .where("id", .equal, id).where("consumed_at", .is, SQLLiteral.null).returning("id").all()
        return !rows.isEmpty
    }

    public func recordChallengeFailure(_ id: UUID, limit: Int, at: Date) async throws -> Bool {
        // One statement counts the guess and, at the limit, uses the token up: concurrent guesses
        // cannot all slip in under the limit.
        let rows = try await db.sql.raw(
            """
            UPDATE mfa_challenges SET failed_attempts = failed_attempts + 1,
              consumed_at = CASE WHEN failed_attempts + 1 >= \(bind: limit) THEN \(bind: at) ELSE consumed_at END
            WHERE id = \(bind: id) AND consumed_at IS NULL RETURNING failed_attempts
            """
        ).all()
        guard let failures = try rows.first?.decode(column: "failed_attempts", as: Int.self) else { return true }
        return failures >= limit
    }

    // MARK: Recovery codes

    public func replaceRecoveryCodes(_ employeeID: EmployeeID, hashes: [String], at: Date) async throws {
        try await db.transaction { tx in
            try await RecoveryCodeModel.query(on: tx).filter(\.$employeeID == employeeID.uuid).delete()
            for hash in hashes {
                let model = RecoveryCodeModel()
                model.id = UUID()
                model.employeeID = employeeID.uuid
                model.codeHash = hash
                model.createdAt = at
                try await model.create(on: tx)
            }
        }
    }

    public func consumeRecoveryCode(_ employeeID: EmployeeID, hash: String, at: Date) async throws -> Bool {
        let rows = try await db.sql.update("recovery_codes").set("used_at", to: at)
            .where("employee_id", .equal, employeeID.uuid).where("code_hash", .equal, hash)
            .where("used_at", .is, SQLLiteral.null).returning("id").all()
        return !rows.isEmpty
    }

    // MARK: Sessions and refresh tokens

    public func createSession(_ session: AuthSession) async throws {
        let model = SessionModel()
        model.id = session.id.uuid
        model.employeeID = session.employeeID.uuid
        model.createdAt = session.createdAt
        model.lastUsedAt = session.lastUsedAt
        model.expiresAt = session.expiresAt
        model.userAgent = session.userAgent.map { String($0.prefix(255)) }
        model.ipAddress = session.ipAddress
        try await model.create(on: db)
    }

    public func session(_ id: SessionID) async throws -> AuthSession? {
        try await SessionModel.find(id.uuid, on: db)?.domain
    }

    public func liveSessions(_ employeeID: EmployeeID, now: Date) async throws -> [AuthSession] {
        try await SessionModel.query(on: db).filter(\.$employeeID == employeeID.uuid).filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > now).sort(\.$createdAt, .descending).all().map(\.domain)
    }

    public func revokeSession(_ id: SessionID, reason: SessionEndReason, at: Date) async throws {
        try await SessionModel.query(on: db).filter(\.$id == id.uuid).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: at).set(\.$revokedReason, to: reason.rawValue).update()
    }

    public func revokeSessions(of employeeID: EmployeeID, except: SessionID?, reason: SessionEndReason, at: Date) async throws {
        var query = SessionModel.query(on: db).filter(\.$employeeID == employeeID.uuid).filter(\.$revokedAt == nil)
        if let except { query = query.filter(\.$id != except.uuid) }
        try await query.set(\.$revokedAt, to: at).set(\.$revokedReason, to: reason.rawValue).update()
    }

    public func addRefreshToken(hash: String, sessionID: SessionID, at: Date) async throws {
        let model = RefreshTokenModel()
        model.id = UUID()
        model.tokenHash = hash
        model.sessionID = sessionID.uuid
        model.createdAt = at
        try await model.create(on: db)
    }

    public func rotateRefreshToken(hash: String, newHash: String, at: Date) async throws -> RefreshTokenUse {
        let outcome: RefreshTokenUse? = try await db.transaction { tx in
            // The conditional update is the decision: only the first presenter of a token sets
            // used_at (on PostgreSQL, concurrent presenters wait on the row lock, then match nothing).
            let rows = try await tx.sql.update("refresh_tokens").set("used_at", to: at)
                .where("token_hash", .equal, hash).where("used_at", .is, SQLLiteral.null).returning("session_id").all()
            guard let row = rows.first else { return nil }
            let sessionID = try row.decode(column: "session_id", as: UUID.self)
            guard let session = try await SessionModel.find(sessionID, on: tx), session.domain.isLive(at: at) else { return .sessionEnded }
            session.lastUsedAt = at
            try await session.update(on: tx)
            let next = RefreshTokenModel()
            next.id = UUID()
            next.tokenHash = newHash
            next.sessionID = sessionID
            next.createdAt = at
            try await next.create(on: tx)
            return .fresh(session.domain)
        }
        if let outcome { return outcome }
        if let used = try await RefreshTokenModel.query(on: db).filter(\.$tokenHash == hash).first() {
            return .replayed(SessionID(used.sessionID))
        }
        return .unknown
    }

    // MARK: API keys

    public func createAPIKey(_ key: APIKey) async throws {
        let model = APIKeyModel()
        model.id = key.id.uuid
        model.name = key.name
        model.scopes = key.scopes.map(\.rawValue).joined(separator: ",")
        model.prefix = key.prefix
        model.keyHash = key.keyHash
        model.createdAt = key.createdAt
        try await model.create(on: db)
    }

    public func listAPIKeys() async throws -> [APIKey] {
        try await APIKeyModel.query(on: db).sort(\.$createdAt, .descending).all().map(\.domain)
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await APIKeyModel.query(on: db).filter(\.$keyHash == hash).first()?.domain
    }

    public func revokeAPIKey(_ id: APIKeyID, at: Date) async throws -> Bool {
        guard let model = try await APIKeyModel.find(id.uuid, on: db) else { return false }
        if model.revokedAt == nil {
            model.revokedAt = at
            try await model.update(on: db)
        }
        return true
    }

    public func touchAPIKey(_ id: APIKeyID, at: Date) async throws {
        try await APIKeyModel.query(on: db).filter(\.$id == id.uuid).set(\.$lastUsedAt, to: at).update()
    }
}

extension EmployeeModel {
    var domain: Employee {
        Employee(
            id: EmployeeID(id!), email: email, firstName: firstName, lastName: lastName,
            role: EmployeeRole(rawValue: role) ?? .agent, isActive: isActive, passwordHash: passwordHash,
            emailVerifiedAt: emailVerifiedAt, approvedAt: approvedAt, totpSecretSealed: totpSecret, totpEnabledAt: totpEnabledAt,
            totpLastStep: totpLastStep, lastActiveAt: lastActiveAt, createdAt: createdAt)
    }
}

extension InvitationModel {
    var domain: Invitation {
        Invitation(
            id: id!, email: email, role: EmployeeRole(rawValue: role) ?? .agent, invitedBy: EmployeeID(invitedBy),
            createdAt: createdAt, expiresAt: expiresAt, acceptedAt: acceptedAt)
    }
}

extension SessionModel {
    var domain: AuthSession {
        AuthSession(
            id: SessionID(id!), employeeID: EmployeeID(employeeID), createdAt: createdAt, lastUsedAt: lastUsedAt,
            expiresAt: expiresAt, revokedAt: revokedAt, revokedReason: revokedReason, userAgent: userAgent, ipAddress: ipAddress)
    }
}

extension APIKeyModel {
    var domain: APIKey {
        APIKey(
            id: APIKeyID(id!), name: name, scopes: scopes.split(separator: ",").compactMap { APIKeyScope(rawValue: String($0)) },
            prefix: prefix, keyHash: keyHash, createdAt: createdAt, lastUsedAt: lastUsedAt, revokedAt: revokedAt)
    }
}
