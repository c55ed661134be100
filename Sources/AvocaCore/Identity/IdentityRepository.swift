import Foundation

/// Persistence for identity. Every "exactly once" decision (single-use codes, TOTP steps,
/// refresh rotation) is a conditional write answered by the database, so it holds across instances.
public protocol IdentityRepository: Sendable {
    // MARK: Employees

    /// Inserts an (unverified) agent. Throws `DomainError.conflict("email_taken")` on a duplicate address.
    func createEmployee(email: String, firstName: String, lastName: String, passwordHash: String, now: Date) async throws -> Employee
    /// The employee with this normalised address.
    func employee(email: String) async throws -> Employee?
    /// The employee with this id.
    func employee(id: EmployeeID) async throws -> Employee?
    /// One page of employees, oldest first.
    func listEmployees(page: Int, pageSize: Int) async throws -> ResultPage<Employee>
    /// Marks the address verified and, when given, puts `passwordHash` in force; applies the grant
    /// (approval, an invitation's role, the invitation marked accepted). The first employee ever
    /// verified becomes an approved admin (decided by a unique marker, so two at once cannot both be).
    /// Returns the employee as stored afterwards.
    func completeVerification(_ id: EmployeeID, passwordHash: String?, grant: VerificationGrant, at: Date) async throws -> Employee?
    /// Whether some employee has already become the first admin (the install is no longer empty).
    func firstAdminExists() async throws -> Bool
    /// Lets a verified employee in; nil when there is no such employee.
    func approveEmployee(_ id: EmployeeID, at: Date) async throws -> Employee?
    /// The active, approved admins (they are told about sign-ups waiting for approval).
    func activeAdmins() async throws -> [Employee]

    // MARK: Invitations

    /// Stores an invitation, replacing any earlier one for the same address.
    func saveInvitation(_ invitation: Invitation) async throws
    /// The invitation for a normalised address.
    func invitation(email: String) async throws -> Invitation?
    /// Invitations not yet accepted, newest first.
    func pendingInvitations() async throws -> [Invitation]
    /// Withdraws an invitation; `false` when there is none with this id.
    func deleteInvitation(_ id: UUID) async throws -> Bool
    /// Replaces the password hash.
    func updatePassword(_ id: EmployeeID, hash: String) async throws
    /// Activates a confirmed TOTP secret and records the step used to confirm it — only while no
    /// authenticator is active; `false` when one already is (it is never replaced this way).
    func activateTOTP(_ id: EmployeeID, sealedSecret: Data, step: Int64, at: Date) async throws -> Bool
    /// Records `step` as used only if it is newer than the last used one; `false` means replay.
    func claimTOTPStep(_ id: EmployeeID, step: Int64) async throws -> Bool
    /// Changes an employee's role and/or deactivates them, unless that would leave no active admin.
    /// Decided under a lock on the active admins, so two admins demoting each other cannot both win.
    func changeAccess(_ id: EmployeeID, role: EmployeeRole?, deactivate: Bool) async throws -> AccessChange
    /// Notes authenticated activity.
    func touchEmployee(_ id: EmployeeID, at: Date) async throws

    // MARK: E-mailed codes

    /// Stores a new code, invalidating earlier unused codes of the same purpose.
    func replaceEmailCode(_ code: EmailCode) async throws
    /// The newest unconsumed code of a purpose.
    func latestEmailCode(_ employeeID: EmployeeID, purpose: EmailCodePurpose) async throws -> EmailCode?
    /// Takes one of the code's `limit` attempts before it is compared, in one statement: `false`
    /// when none is left (or the code is used up), so parallel guesses cannot all be evaluated.
    func claimEmailCodeAttempt(_ codeID: UUID, limit: Int) async throws -> Bool
    /// Marks the code used; `false` if it already was (a concurrent use won).
    func consumeEmailCode(_ codeID: UUID, at: Date) async throws -> Bool

    // MARK: Second-factor challenges

    /// Stores a challenge under the keyed hash of its token.
    func createChallenge(_ challenge: MFAChallenge, tokenHash: String) async throws
    /// The challenge for a token hash.
    func challenge(tokenHash: String) async throws -> MFAChallenge?
    /// Stores the proposed TOTP secret of an enrolment challenge.
    func setChallengePendingSecret(_ id: UUID, sealed: Data) async throws
    /// Marks the challenge used; `false` if it already was.
    func consumeChallenge(_ id: UUID, at: Date) async throws -> Bool
    /// Counts a wrong code against a live challenge and uses it up at the `limit`-th; `true` when
    /// the challenge is dead now (or already was).
    func recordChallengeFailure(_ id: UUID, limit: Int, at: Date) async throws -> Bool

    // MARK: Recovery codes

    /// Replaces the employee's recovery codes with these hashes.
    func replaceRecoveryCodes(_ employeeID: EmployeeID, hashes: [String], at: Date) async throws
    /// Uses up one recovery code; `false` if it does not exist or was used.
    func consumeRecoveryCode(_ employeeID: EmployeeID, hash: String, at: Date) async throws -> Bool

    // MARK: Sessions and refresh tokens

    /// Stores a new session.
    func createSession(_ session: AuthSession) async throws
    /// The session with this id.
    func session(_ id: SessionID) async throws -> AuthSession?
    /// Live sessions of an employee, newest first.
    func liveSessions(_ employeeID: EmployeeID, now: Date) async throws -> [AuthSession]
    /// Ends one session.
    func revokeSession(_ id: SessionID, reason: SessionEndReason, at: Date) async throws
    /// Ends every live session of an employee except `except`.
    func revokeSessions(of employeeID: EmployeeID, except: SessionID?, reason: SessionEndReason, at: Date) async throws
    /// Stores a refresh token hash for a session.
    func addRefreshToken(hash: String, sessionID: SessionID, at: Date) async throws
    /// In one transaction: marks the token used (only if it was unused), checks that its session is
    /// live, and stores `newHash` as the session's next token. Of concurrent presenters exactly one
    /// gets `.fresh`; the others see `.replayed`.
    func rotateRefreshToken(hash: String, newHash: String, at: Date) async throws -> RefreshTokenUse

    // MARK: API keys

    /// Stores a key.
    func createAPIKey(_ key: APIKey) async throws
    /// Every key, newest first.
    func listAPIKeys() async throws -> [APIKey]
    /// The key with this hash.
    func apiKey(hash: String) async throws -> APIKey?
    /// Revokes a key; `false` if it does not exist.
    func revokeAPIKey(_ id: APIKeyID, at: Date) async throws -> Bool
    /// Notes a successful use.
    func touchAPIKey(_ id: APIKeyID, at: Date) async throws
}
