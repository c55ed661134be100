import AvocaCore
import Foundation
import Logging

/// Sign-up, e-mail codes, password sign-in, mandatory TOTP, sessions, API keys.
/// Every operation that guesses a secret is throttled per account and per client address.
public struct IdentityService: Sendable {
    let repository: any IdentityRepository
    let throttles: any ThrottleRepository
    let outbox: any MailOutbox
    let clock: any AppClock
    let configuration: IdentityConfiguration
    let passwords: PasswordHasher
    let tokenHasher: TokenHasher
    let secretBox: SecretBox
    let signer: AccessTokenSigner
    let authCache = AuthCache()
    /// Where ended sessions are announced, so every instance closes their sockets at once.
    let events: (any EventBus)?
    let logger: Logger

    /// Creates the service.
    public init(
        repository: any IdentityRepository, throttles: any ThrottleRepository, outbox: any MailOutbox, clock: any AppClock,
        configuration: IdentityConfiguration, events: (any EventBus)? = nil, logger: Logger
    ) async {
        self.events = events
        self.repository = repository
        self.throttles = throttles
        self.outbox = outbox
        self.clock = clock
        self.configuration = configuration
        self.passwords = PasswordHasher(cost: configuration.bcryptCost)
        self.tokenHasher = TokenHasher(secret: configuration.encryptionKey)
        self.secretBox = SecretBox(key: configuration.encryptionKey)
        self.signer = await AccessTokenSigner(
            secret: configuration.jwtSecret, issuer: configuration.issuer, audience: configuration.audience)
        self.logger = logger
    }

    // MARK: Shared helpers

    /// Normalises an address or fails validation on `email`.
    func normalisedEmail(_ raw: String) throws -> EmailAddress {
        guard let email = EmailAddress(raw) else {
            throw DomainError.validation(message: "Enter a valid e-mail address.", fields: ["email": "Enter a valid e-mail address."])
        }
        return email
    }

    /// Stores a fresh random code for `employee` and queues the e-mail carrying it.
    func sendCode(to employee: Employee, purpose: EmailCodePurpose) async throws {
        let now = clock.now()
        let code = RandomToken.digits(6)
        try await repository.replaceEmailCode(
            EmailCode(
                id: UUID(), employeeID: employee.id, purpose: purpose, codeHash: tokenHasher.hash(code), attempts: 0,
                createdAt: now, expiresAt: now.addingTimeInterval(configuration.emailCodeLifetime), consumedAt: nil))
        let message: MailMessage =
            switch purpose {
            case .verifyEmail: MailTemplates.verification(to: employee, code: code, publicURL: configuration.publicURL)
            case .resetPassword: MailTemplates.passwordReset(to: employee, code: code, publicURL: configuration.publicURL)
            }
        try await outbox.enqueue(message, at: now)
    }

    /// Whether a new code of `purpose` may be sent now (at most one per resend interval).
    func mayResend(_ employee: Employee, purpose: EmailCodePurpose) async throws -> Bool {
        guard let latest = try await repository.latestEmailCode(employee.id, purpose: purpose) else { return true }
        return clock.now().timeIntervalSince(latest.createdAt) >= configuration.emailCodeResendInterval
    }

    /// Checks an e-mailed code and uses it up. Wrong guesses count against the code and the throttles.
    func redeemCode(_ code: String, for employee: Employee?, purpose: EmailCodePurpose, throttle: ThrottleKeys) async throws -> Employee {
        let invalid = DomainError.badRequest(message: "The code is invalid or has expired.")
        guard let employee, let stored = try await repository.latestEmailCode(employee.id, purpose: purpose) else {
            try await recordFailure(throttle, employee: employee)
            throw invalid
        }
        let now = clock.now()
        // The attempt is taken before the comparison, so 50 parallel guesses get at most
        // `emailCodeMaxAttempts` comparisons between them.
        guard stored.consumedAt == nil, stored.expiresAt > now,
            try await repository.claimEmailCodeAttempt(stored.id, limit: configuration.emailCodeMaxAttempts)
        else {
            try await recordFailure(throttle, employee: employee)
            throw invalid
        }
        guard constantTimeEquals(tokenHasher.hash(code.trimmingCharacters(in: .whitespaces)), stored.codeHash) else {
            try await recordFailure(throttle, employee: employee)
            throw invalid
        }
        guard try await repository.consumeEmailCode(stored.id, at: now) else { throw invalid }
        return employee
    }
}

/// The throttle keys of one attempt: the account (by normalised address), the client address and,
/// for second-factor attempts, the employee's second factor.
struct ThrottleKeys: Sendable {
    var account: String
    var client: String?
    /// Counts wrong TOTP and recovery codes across sign-ins. A correct password resets `account`
    /// but not this, so knowing the password does not buy fresh guesses at the code.
    var secondFactor: String?

    init(email: String, client: ClientInfo) {
        account = "account:\(email)"
        self.client = client.ipAddress.map { "client:\($0)" }
    }

    /// The keys of a second-factor attempt by `employee`.
    init(secondFactorOf employee: Employee, client: ClientInfo) {
        self.init(email: employee.email, client: client)
        secondFactor = "second-factor:\(employee.id)"
    }
}

extension IdentityService {
    /// Throws `rateLimited` while either key is blocked.
    func checkThrottle(_ keys: ThrottleKeys) async throws {
        let now = clock.now()
        for key in [keys.account, keys.client, keys.secondFactor].compactMap({ $0 }) {
            if let until = try await throttles.throttle(key)?.blockedUntil, until > now {
                throw DomainError.rateLimited(retryAfter: max(1, Int(until.timeIntervalSince(now).rounded(.up))))
            }
        }
    }

    /// Counts a failure on both keys; when the account just got locked, tells its owner.
    func recordFailure(_ keys: ThrottleKeys, employee: Employee?) async throws {
        let now = clock.now()
        if let client = keys.client {
            _ = try await throttles.recordFailure(client, now: now, policy: configuration.clientThrottle)
        }
        AuthMetrics.failures.increment()
        // A wrong code counts against the second factor alone, a wrong password or e-mailed code
        // against the account: each has its own lock and its own warning to the owner.
        if let key = keys.secondFactor {
            let secondFactor = try await throttles.recordFailure(key, now: now, policy: configuration.secondFactorThrottle)
            if secondFactor.failures == configuration.secondFactorThrottle.lockAfter, let employee {
                // Whoever is guessing has the password: the owner must change it.
                logger.warning("second factor locked after repeated wrong codes", metadata: ["employee_id": "\(employee.id)"])
                try await outbox.enqueue(
                    MailTemplates.secondFactorLocked(to: employee, minutes: Int(configuration.secondFactorThrottle.lockDuration / 60)), at: now)
            }
        } else {
            let account = try await throttles.recordFailure(keys.account, now: now, policy: configuration.accountThrottle)
            if account.failures == configuration.accountThrottle.lockAfter, let employee {
                logger.warning("account locked after repeated failures", metadata: ["employee_id": "\(employee.id)"])
                try await outbox.enqueue(
                    MailTemplates.accountLocked(to: employee, minutes: Int(configuration.accountThrottle.lockDuration / 60)), at: now)
            }
        }
    }

    /// Forgets the account's failures and, after a correct second factor, the second factor's.
    func recordSuccess(_ keys: ThrottleKeys) async throws {
        try await throttles.reset(keys.account)
        if let key = keys.secondFactor { try await throttles.reset(key) }
    }
}
