import AvocaCore
import Foundation

/// The numbers and keys that govern identity (DESIGN §3 "Identity").
public struct IdentityConfiguration: Sendable {
    /// JWT `iss`: the public URL of this deployment.
    public var issuer: String
    /// JWT `aud`.
    public var audience = "avoca-api"
    /// HMAC key for access tokens (≥ 32 bytes).
    public var jwtSecret: [UInt8]
    /// Key for TOTP secrets at rest and for keyed token hashes (≥ 32 bytes).
    public var encryptionKey: [UInt8]
    /// Access-token lifetime (≤ 15 minutes).
    public var accessTokenLifetime: TimeInterval = 15 * 60
    /// Absolute session lifetime, however often it is refreshed.
    public var sessionLifetime: TimeInterval = 30 * 24 * 3600
    /// E-mailed code lifetime.
    public var emailCodeLifetime: TimeInterval = 10 * 60
    /// Wrong guesses before an e-mailed code dies.
    public var emailCodeMaxAttempts = 5
    /// Minimum time between two codes of the same purpose.
    public var emailCodeResendInterval: TimeInterval = 60
    /// Lifetime of the password-verified second-factor token.
    public var mfaTokenLifetime: TimeInterval = 5 * 60
    /// bcrypt work factor (tests lower it).
    public var bcryptCost: UInt8 = 12
    /// Failures per account (e-mail address) from one client address: the hard limit, which only
    /// ever stops the client that failed.
    public var accountThrottle = ThrottlePolicy(freeFailures: 3, lockAfter: 10, baseDelay: 1, maxDelay: 60, lockDuration: 15 * 60)
    /// Failures per account from every client. It never refuses an attempt (that would let anyone
    /// who knows the address lock its owner out); at `lockAfter` failures the owner is e-mailed. Its
    /// "lock" only marks that they were: each further failure extends it, so a sustained attack
    /// sends one notice, and the count starts again an hour after the failures stop (or at the
    /// owner's next success).
    public var accountNotice = ThrottlePolicy(freeFailures: 10, lockAfter: 10, baseDelay: 0, maxDelay: 0, lockDuration: 60 * 60)
    /// Wrong second-factor codes (TOTP or recovery) per employee, across sign-ins: a correct
    /// password does not reset it, only a correct second factor does.
    public var secondFactorThrottle = ThrottlePolicy(freeFailures: 3, lockAfter: 10, baseDelay: 1, maxDelay: 60, lockDuration: 15 * 60)
    /// Requests that may send mail (sign-up, resend, forgot-password) per address and kind of mail,
    /// counted whether or not the address is registered. Never a lasting lock — the owner's own
    /// code may be what is waiting — but a mail bomb gets a handful of mails an hour, not thousands.
    public var mailRequestsPerAddress = ThrottlePolicy(freeFailures: 3, lockAfter: 10, baseDelay: 60, maxDelay: 15 * 60, lockDuration: 60 * 60)
    /// The same requests per client address, checked before the password of a sign-up is hashed,
    /// so one client can neither mail many addresses nor keep the CPU busy with bcrypt.
    public var mailRequestsPerClient = ThrottlePolicy(freeFailures: 20, lockAfter: 100, baseDelay: 1, maxDelay: 60, lockDuration: 60 * 60)
    /// Wrong codes one `mfa_token` survives.
    public var mfaTokenAttempts = 5
    /// Failures per client address.
    public var clientThrottle = ThrottlePolicy(freeFailures: 20, lockAfter: 100, baseDelay: 1, maxDelay: 60, lockDuration: 15 * 60)
    /// E-mail domains allowed to sign up; empty means anyone (narrows every sign-up mode).
    public var signupDomains: [String] = []
    /// Who may create an account. `open` here keeps the library's behaviour; `avoca serve`
    /// defaults to `invite` in production.
    public var signupMode: SignupMode = .open
    /// How long an invitation can be used.
    public var invitationLifetime: TimeInterval = 7 * 24 * 3600
    /// Issuer shown in authenticator apps.
    public var totpIssuer = "avoca-ai"
    /// Console URL used in e-mails.
    public var publicURL: String

    /// Creates a configuration with DESIGN's defaults.
    public init(issuer: String, jwtSecret: [UInt8], encryptionKey: [UInt8], publicURL: String) {
        self.issuer = issuer
        self.jwtSecret = jwtSecret
        self.encryptionKey = encryptionKey
        self.publicURL = publicURL
    }
}

/// Who is calling, as far as the network tells.
public struct ClientInfo: Sendable, Equatable {
    /// Remote address.
    public var ipAddress: String?
    /// `User-Agent` header.
    public var userAgent: String?

    /// Creates client info.
    public init(ipAddress: String?, userAgent: String?) {
        self.ipAddress = ipAddress
        self.userAgent = userAgent
    }
}

/// An employee proven by a live session's access token.
public struct AuthenticatedEmployee: Sendable, Equatable {
    /// The employee as of this request.
    public var employee: Employee
    /// The session behind the token.
    public var sessionID: SessionID

    /// Creates the value.
    public init(employee: Employee, sessionID: SessionID) {
        self.employee = employee
        self.sessionID = sessionID
    }
}

/// Whoever made an authenticated request.
public enum Principal: Sendable, Equatable {
    /// A signed-in employee (completed TOTP).
    case employee(AuthenticatedEmployee)
    /// An integration using `Authorization: Token <key>`.
    case apiKey(APIKey)
}

/// How the refresh token reaches the client.
public enum RefreshTransport: String, Sendable {
    /// In the JSON body (API clients).
    case body
    /// In an HttpOnly cookie (the console), never visible to JavaScript.
    case cookie
}

/// A freshly issued session: what the client needs to call the API.
public struct IssuedSession: Sendable {
    /// The employee.
    public var employee: Employee
    /// The session.
    public var sessionID: SessionID
    /// The signed access JWT.
    public var accessToken: String
    /// Seconds until the access token expires.
    public var expiresIn: Int
    /// The opaque refresh token (single use).
    public var refreshToken: String
    /// Recovery codes, only right after enrolment.
    public var recoveryCodes: [String]?
}

/// The answer to a correct password: proof for the second step.
public struct IssuedChallenge: Sendable {
    /// The single-use token.
    public var token: String
    /// What the next step is.
    public var purpose: MFAPurpose
    /// Expiry.
    public var expiresAt: Date
}

/// A new TOTP secret offered for enrolment.
public struct TOTPEnrolment: Sendable {
    /// The URI for authenticator apps.
    public var uri: String
    /// Base32 secret for manual entry.
    public var secret: String
    /// The URI as a QR code SVG.
    public var qrSVG: String
}
