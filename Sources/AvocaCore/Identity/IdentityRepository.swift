import Foundation

/// Persistence for identity. Every "exactly once" decision (single-use codes, TOTP steps,
/// refresh rotation) is a conditional write answered by the database, so it holds across instances.
public protocol IdentityRepository: Sendable {
    // MARK: Employees

    /// Inserts an employee; the first one ever becomes admin. Throws `DomainError.conflict("email_taken")` on a duplicate address.
    func createEmployee(email: String, firstName: String, lastName: String, passwordHash: String, now: Date) async throws -> Employee
    /// The employee with this normalised address.
    func employee(email: String) async throws -> Employee?
    /// The employee with this id.
    func employee(id: EmployeeID) async throws -> Employee?
    /// One page of employees, oldest first.
    func listEmployees(page: Int, pageSize: Int) async throws -> ResultPage<Employee>
    /// Marks the address verified.
    func markEmailVerified(_ id: EmployeeID, at: Date) async throws
    /// Replaces the password hash.
    func updatePassword(_ id: EmployeeID, hash: String) async throws
    /// Activates a confirmed TOTP secret and records the step used to confirm it.
    func activateTOTP(_ id: EmployeeID, sealedSecret: Data, step: Int64, at: Date) async throws
    /// Records `step` as used only if it is newer than the last used one; `false` means replay.
    func claimTOTPStep(_ id: EmployeeID, step: Int64) async throws -> Bool
    /// Activates or deactivates an employee.
    func setActive(_ id: EmployeeID, _ active: Bool) async throws
    /// Notes authenticated activity.
    func touchEmployee(_ id: EmployeeID, at: Date) async throws

    // MARK: E-mailed codes

    /// Stores a new code, invalidating earlier unused codes of the same purpose.
    func replaceEmailCode(_ code: EmailCode) async throws
    /// The newest unconsumed code of a purpose.
    func latestEmailCode(_ employeeID: EmployeeID, purpose: EmailCodePurpose) async throws -> EmailCode?
    /// Counts a wrong guess; returns the new attempt count.
    func recordEmailCodeAttempt(_ codeID: UUID) async throws -> Int
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
    func revokeSession(_ id: SessionID, reason: String, at: Date) async throws
    /// Ends every live session of an employee except `except`.
    func revokeSessions(of employeeID: EmployeeID, except: SessionID?, reason: String, at: Date) async throws
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

/// Failure counters for throttling, shared by all instances through the database.
public protocol ThrottleRepository: Sendable {
    /// The state of a throttle key.
    func throttle(_ key: String) async throws -> ThrottleState?
    /// Adds one failure and stores the new blocking time; returns the new state.
    func recordFailure(_ key: String, now: Date, policy: ThrottlePolicy) async throws -> ThrottleState
    /// Forgets the failures of a key (after a success).
    func reset(_ key: String) async throws
}

/// How quickly failures slow a key down.
public struct ThrottlePolicy: Sendable, Equatable {
    /// Failures allowed before any delay.
    public var freeFailures: Int
    /// Failures after which the key is locked for `lockDuration`.
    public var lockAfter: Int
    /// The first delay; it doubles with every further failure.
    public var baseDelay: TimeInterval
    /// The longest delay before the lock.
    public var maxDelay: TimeInterval
    /// How long a lock lasts.
    public var lockDuration: TimeInterval

    /// Creates a policy.
    public init(freeFailures: Int, lockAfter: Int, baseDelay: TimeInterval, maxDelay: TimeInterval, lockDuration: TimeInterval) {
        self.freeFailures = freeFailures
        self.lockAfter = lockAfter
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.lockDuration = lockDuration
    }

    /// How long to block after the `failures`-th failure (0 = not blocked).
    public func delay(afterFailures failures: Int) -> TimeInterval {
        if failures >= lockAfter { return lockDuration }
        if failures <= freeFailures { return 0 }
        return min(maxDelay, baseDelay * pow(2, Double(failures - freeFailures - 1)))
    }
}

/// Failures recorded for one throttle key.
public struct ThrottleState: Sendable, Equatable {
    /// Consecutive failures.
    public var failures: Int
    /// No attempt is accepted before this instant.
    public var blockedUntil: Date?

    /// Creates a state.
    public init(failures: Int, blockedUntil: Date?) {
        self.failures = failures
        self.blockedUntil = blockedUntil
    }
}

/// Durable queue of outgoing e-mail; a message is only removed once a mailer accepted it.
public protocol MailOutbox: Sendable {
    /// Queues a message for delivery.
    func enqueue(_ message: MailMessage, at: Date) async throws
    /// Claims messages due at `now`, oldest first, by pushing their next attempt `lease` seconds
    /// ahead; of concurrent workers (or instances) only one claims each message.
    func claimDue(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxMessage]
    /// Marks a message delivered.
    func markSent(_ id: UUID, at: Date) async throws
    /// Records a failed attempt and when to try again.
    func markFailed(_ id: UUID, error: String, nextAttemptAt: Date) async throws
    /// Messages not yet delivered.
    func pendingCount() async throws -> Int
}

/// A queued e-mail with its delivery bookkeeping.
public struct OutboxMessage: Sendable, Equatable {
    /// Row identifier.
    public var id: UUID
    /// The message.
    public var message: MailMessage
    /// Failed attempts so far.
    public var attempts: Int

    /// Creates an outbox entry.
    public init(id: UUID, message: MailMessage, attempts: Int) {
        self.id = id
        self.message = message
        self.attempts = attempts
    }
}
