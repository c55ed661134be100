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

    /// Stores a fresh random code for `employee` and queues the e-mail carrying it. A verification
    /// code carries the password its verification puts in force.
    func sendCode(to employee: Employee, purpose: EmailCodePurpose, passwordHash: String? = nil) async throws {
        let now = clock.now()
        let code = RandomToken.digits(6)
        try await repository.replaceEmailCode(
            EmailCode(
                id: UUID(), employeeID: employee.id, purpose: purpose, codeHash: tokenHasher.hash(code), attempts: 0,
                createdAt: now, expiresAt: now.addingTimeInterval(configuration.emailCodeLifetime), consumedAt: nil,
                passwordHash: passwordHash))
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
    func redeemCode(
        _ code: String, for employee: Employee?, purpose: EmailCodePurpose, throttle: ThrottleKeys
    ) async throws -> (Employee, EmailCode) {
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
        return (employee, stored)
    }
}

/// The throttle keys of one attempt. Only limits that stop the client that failed are hard:
/// per (account, client) and per client. The account as a whole is counted softly — it never
/// refuses anyone, because a lock on the account would let anyone with its address lock its owner
/// out from everywhere; it only tells the owner.
struct ThrottleKeys: Sendable {
    /// This account's failures from this client: delays, then a lock — for this client only.
    var accountFromClient: String
    /// This account's failures from every client: never checked, only counted for the notice.
    var account: String
    /// This client's failures on every account (one address spraying many accounts).
    var client: String?
    /// Counts wrong TOTP and recovery codes across sign-ins. A correct password resets `account`
    /// but not this, so knowing the password does not buy fresh guesses at the code.
    var secondFactor: String?

    init(email: String, client: ClientInfo) {
        account = "account:\(email)"
        // A request without a peer address (a Unix socket, the in-process test client) shares one
        // bucket per account, which is the strictest reading.
        accountFromClient = "account-client:\(email)|\(client.ipAddress ?? "unknown")"
        self.client = client.ipAddress.map { "client:\($0)" }
    }

    /// The keys of an attempt at an e-mailed code (verification, password reset). They are apart
    /// from the password's, so wrong passwords from a client never stop a password reset from it.
    init(codeFor email: String, client: ClientInfo) {
        self.init(email: email, client: client)
        accountFromClient = "code-client:\(email)|\(client.ipAddress ?? "unknown")"
    }

    /// The keys of a second-factor attempt by `employee`.
    init(secondFactorOf employee: Employee, client: ClientInfo) {
        self.init(email: employee.email, client: client)
        secondFactor = "second-factor:\(employee.id)"
    }

    /// The keys that refuse an attempt while they are blocked. `account` is not among them.
    var hardKeys: [String] { [accountFromClient, client, secondFactor].compactMap { $0 } }
}

/// The kinds of mail a request can ask for, each with its own per-address budget: a flood of
/// sign-ups for an address must not use up its owner's password resets.
enum MailRequest: String, Sendable {
    /// Sign-up and resend-verification (a verification code, or "you already have an account").
    case verification
    /// Forgot-password.
    case passwordReset = "password-reset"

    func addressKey(_ email: String) -> String { "mail:\(rawValue):\(email)" }
}

extension IdentityService {
    /// Admits a request that may send mail, or throws `rateLimited`; counts it per address and per
    /// client before any bcrypt or lookup, registered address or not (the answer reveals nothing).
    func admitMailRequest(_ kind: MailRequest, email: String, client: ClientInfo) async throws {
        let now = clock.now()
        var keys = [(kind.addressKey(email), configuration.mailRequestsPerAddress)]
        if let address = client.ipAddress { keys.append(("mail-client:\(address)", configuration.mailRequestsPerClient)) }
        for (key, _) in keys {
            if let until = try await throttles.throttle(key)?.blockedUntil, until > now {
                throw DomainError.rateLimited(retryAfter: max(1, Int(until.timeIntervalSince(now).rounded(.up))))
            }
        }
        for (key, policy) in keys { _ = try await throttles.recordFailure(key, now: now, policy: policy) }
    }

    /// Throws `rateLimited` while a hard key of this attempt is blocked.
    func checkThrottle(_ keys: ThrottleKeys) async throws {
        let now = clock.now()
        for key in keys.hardKeys {
            if let until = try await throttles.throttle(key)?.blockedUntil, until > now {
                throw DomainError.rateLimited(retryAfter: max(1, Int(until.timeIntervalSince(now).rounded(.up))))
            }
        }
    }

    /// Counts a failure on the keys of the attempt; tells the owner when a threshold is crossed.
    func recordFailure(_ keys: ThrottleKeys, employee: Employee?) async throws {
        let now = clock.now()
        if let client = keys.client {
            _ = try await throttles.recordFailure(client, now: now, policy: configuration.clientThrottle)
        }
        AuthMetrics.failures.increment()
        // A wrong code counts against the second factor alone, a wrong password or e-mailed code
        // against the account: each has its own limit and its own warning to the owner.
        if let key = keys.secondFactor {
            let secondFactor = try await throttles.recordFailure(key, now: now, policy: configuration.secondFactorThrottle)
            if secondFactor.failures == configuration.secondFactorThrottle.lockAfter, let employee {
                // Whoever is guessing has the password: the owner must change it.
                logger.warning("second factor locked after repeated wrong codes", metadata: ["employee_id": "\(employee.id)"])
                try await outbox.enqueue(
                    MailTemplates.secondFactorLocked(to: employee, minutes: Int(configuration.secondFactorThrottle.lockDuration / 60)), at: now)
            }
        } else {
            _ = try await throttles.recordFailure(keys.accountFromClient, now: now, policy: configuration.accountThrottle)
            let account = try await throttles.recordFailure(keys.account, now: now, policy: configuration.accountNotice)
            if account.failures == configuration.accountNotice.lockAfter, let employee {
                logger.warning("repeated failed sign-ins on one account", metadata: ["employee_id": "\(employee.id)"])
                try await outbox.enqueue(MailTemplates.failedSignIns(to: employee, failures: account.failures), at: now)
            }
        }
    }

    /// Forgets the account's failures (from this client and overall) and, after a correct second
    /// factor, the second factor's. Other clients' limits stay: the owner succeeding from home
    /// does not lift the limit on the address that was guessing.
    func recordSuccess(_ keys: ThrottleKeys) async throws {
        try await throttles.reset(keys.accountFromClient)
        try await throttles.reset(keys.account)
        if let key = keys.secondFactor { try await throttles.reset(key) }
    }
}
