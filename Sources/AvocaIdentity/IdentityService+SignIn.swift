import AvocaCore
import Foundation

extension IdentityService {
    /// Checks e-mail and password. Success is never a session: it is a single-use token for the
    /// second factor (`enroll` when no authenticator is set up yet, else `verify`).
    public func signIn(email rawEmail: String, password: String, client: ClientInfo) async throws -> IssuedChallenge {
        let email = try normalisedEmail(rawEmail)
        let keys = ThrottleKeys(email: email.value, client: client)
        try await checkThrottle(keys)
        let employee = try await repository.employee(email: email.value)
        // The unknown-address path runs bcrypt against a decoy so it takes as long as a wrong password.
        let passwordMatches = try await passwords.verify(password, hash: employee?.passwordHash)
        guard passwordMatches, let employee, employee.isActive else {
            try await recordFailure(keys, employee: employee)
            throw DomainError.unauthorized(code: "invalid_credentials", message: "The e-mail address or password is incorrect.")
        }
        guard employee.emailVerifiedAt != nil else {
            // Safe to say now: the caller has proven the password.
            throw DomainError.forbidden(message: "Verify your e-mail address first; we sent you a code.")
        }
        guard employee.approvedAt != nil else {
            // A code of its own: the console answers it with a waiting page, not a form error.
            throw DomainError.forbidden(
                message: "An admin has to approve your account before you can sign in. They have been told.", code: "approval_pending")
        }
        try await recordSuccess(keys)
        let token = RandomToken.urlSafe()
        let purpose: MFAPurpose = employee.totpEnabledAt == nil ? .enroll : .verify
        let expiresAt = clock.now().addingTimeInterval(configuration.mfaTokenLifetime)
        try await repository.createChallenge(
            MFAChallenge(id: UUID(), employeeID: employee.id, purpose: purpose, expiresAt: expiresAt, consumedAt: nil, pendingSecretSealed: nil),
            tokenHash: tokenHasher.hash(token))
        return IssuedChallenge(token: token, purpose: purpose, expiresAt: expiresAt)
    }

    /// Proposes a fresh TOTP secret for an `enroll` challenge. It becomes active only once a code from it is confirmed.
    public func beginTOTPEnrolment(mfaToken: String) async throws -> TOTPEnrolment {
        let (challenge, employee) = try await liveChallenge(mfaToken, purpose: .enroll)
        try Self.requireNoAuthenticator(employee)
        let secret = RandomToken.bytes(20)
        try await repository.setChallengePendingSecret(challenge.id, sealed: try secretBox.seal(secret))
        let uri = TOTP(secret: secret).provisioningURI(account: employee.email, issuer: configuration.totpIssuer)
        return TOTPEnrolment(uri: uri, secret: Base32.encode(secret), qrSVG: try QRCode(text: uri).svg())
    }

    /// Completes the second step with a TOTP code: confirms enrolment (returning recovery codes) or verifies sign-in.
    public func completeWithTOTP(mfaToken: String, code: String, client: ClientInfo) async throws -> IssuedSession {
        let (challenge, employee) = try await liveChallenge(mfaToken, purpose: nil)
        let keys = ThrottleKeys(secondFactorOf: employee, client: client)
        try await checkThrottle(keys)
        let now = clock.now()
        let wrongCode = DomainError.unauthorized(code: "invalid_code", message: "That code is not valid. Check your authenticator and try again.")

        switch challenge.purpose {
        case .enroll:
            try Self.requireNoAuthenticator(employee)
            guard let sealed = challenge.pendingSecretSealed else {
                throw DomainError.badRequest(message: "Start enrolment with /auth/totp/setup first.")
            }
            let secret = try secretBox.open(sealed)
            guard let step = TOTP(secret: secret).matchingStep(for: code, at: now) else {
                try await wrongSecondFactor(challenge, keys, employee)
                throw wrongCode
            }
            guard try await repository.consumeChallenge(challenge.id, at: now) else { throw Self.invalidMFAToken }
            // Conditional in the database too: another enrolment may have finished since the check.
            guard try await repository.activateTOTP(employee.id, sealedSecret: sealed, step: step, at: now) else {
                throw Self.authenticatorActive
            }
            try await recordSuccess(keys)
            let recoveryCodes = try await newRecoveryCodes(for: employee.id)
            var session = try await startSession(for: employee, client: client)
            session.recoveryCodes = recoveryCodes
            return session
        case .verify:
            guard let sealed = employee.totpSecretSealed,
                let step = TOTP(secret: try secretBox.open(sealed)).matchingStep(for: code, at: now)
            else {
                try await wrongSecondFactor(challenge, keys, employee)
                throw wrongCode
            }
            guard try await repository.claimTOTPStep(employee.id, step: step) else {
                try await wrongSecondFactor(challenge, keys, employee)
                throw DomainError.unauthorized(code: "code_already_used", message: "That code was already used. Wait for the next one.")
            }
            guard try await repository.consumeChallenge(challenge.id, at: now) else { throw Self.invalidMFAToken }
            try await recordSuccess(keys)
            return try await startSession(for: employee, client: client)
        }
    }

    /// Completes a `verify` challenge with a one-time recovery code instead of TOTP.
    public func completeWithRecoveryCode(mfaToken: String, recoveryCode: String, client: ClientInfo) async throws -> IssuedSession {
        let (challenge, employee) = try await liveChallenge(mfaToken, purpose: .verify)
        let keys = ThrottleKeys(secondFactorOf: employee, client: client)
        try await checkThrottle(keys)
        let now = clock.now()
        guard try await repository.consumeRecoveryCode(employee.id, hash: tokenHasher.hash(Self.canonicalRecoveryCode(recoveryCode)), at: now)
        else {
            try await wrongSecondFactor(challenge, keys, employee)
            throw DomainError.unauthorized(code: "invalid_recovery_code", message: "That recovery code is not valid or was already used.")
        }
        guard try await repository.consumeChallenge(challenge.id, at: now) else { throw Self.invalidMFAToken }
        try await recordSuccess(keys)
        try await outbox.enqueue(MailTemplates.recoveryCodeUsed(to: employee), at: now)
        return try await startSession(for: employee, client: client)
    }

    /// Replaces the recovery codes after re-checking the password.
    public func regenerateRecoveryCodes(_ caller: AuthenticatedEmployee, currentPassword: String, client: ClientInfo) async throws -> [String] {
        let keys = ThrottleKeys(email: caller.employee.email, client: client)
        try await checkThrottle(keys)
        guard try await passwords.verify(currentPassword, hash: caller.employee.passwordHash) else {
            try await recordFailure(keys, employee: caller.employee)
            throw DomainError.validation(message: "The current password is not correct.", fields: ["current_password": "Not correct."])
        }
        return try await newRecoveryCodes(for: caller.employee.id)
    }

    // MARK: Helpers

    /// Counts a wrong TOTP or recovery code against the throttles and against this sign-in
    /// attempt, whose token dies after `mfaTokenAttempts` wrong codes.
    func wrongSecondFactor(_ challenge: MFAChallenge, _ keys: ThrottleKeys, _ employee: Employee) async throws {
        try await recordFailure(keys, employee: employee)
        if try await repository.recordChallengeFailure(challenge.id, limit: configuration.mfaTokenAttempts, at: clock.now()) {
            throw Self.invalidMFAToken
        }
    }

    /// An `enroll` token was issued before an authenticator was activated. It must not replace that
    /// authenticator: whoever holds it only proved the password.
    static func requireNoAuthenticator(_ employee: Employee) throws {
        if employee.totpEnabledAt != nil { throw authenticatorActive }
    }

    static let authenticatorActive = DomainError.unauthorized(
        code: "invalid_mfa_token", message: "An authenticator is already set up for this account. Sign in again and enter its code.")

    static let invalidMFAToken = DomainError.unauthorized(
        code: "invalid_mfa_token", message: "This sign-in attempt has expired or was already used. Sign in again.")

    /// Recovery codes are compared without case, spaces or dashes, so "K7M2 X9QP 4TZD" works too.
    static func canonicalRecoveryCode(_ code: String) -> String {
        String(code.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// The unexpired, unused challenge behind a token and its still-active employee.
    func liveChallenge(_ token: String, purpose: MFAPurpose?) async throws -> (MFAChallenge, Employee) {
        guard let challenge = try await repository.challenge(tokenHash: tokenHasher.hash(token)),
            challenge.consumedAt == nil, challenge.expiresAt > clock.now(),
            purpose == nil || challenge.purpose == purpose,
            let employee = try await repository.employee(id: challenge.employeeID), employee.mayWork
        else { throw Self.invalidMFAToken }
        return (challenge, employee)
    }

    func newRecoveryCodes(for employeeID: EmployeeID) async throws -> [String] {
        let codes = (0..<10).map { _ in RandomToken.recoveryCode() }
        try await repository.replaceRecoveryCodes(employeeID, hashes: codes.map { tokenHasher.hash(Self.canonicalRecoveryCode($0)) }, at: clock.now())
        return codes
    }
}
