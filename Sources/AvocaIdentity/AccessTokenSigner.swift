import AvocaCore
import Foundation
import JWTKit

/// The claims of an Avoca access token.
struct AccessTokenClaims: JWTPayload {
    var sub: SubjectClaim
    var sid: String
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var typ: String

    func verify(using algorithm: some JWTAlgorithm) async throws {
        // Signature and `alg` are checked by JWTKit before this runs; expiry is checked by the
        // signer against the injected clock.
        guard typ == "access" else { throw JWTError.claimVerificationFailure(failedClaim: nil, reason: "typ") }
    }
}

/// Signs and verifies access JWTs (HS256).
public struct AccessTokenSigner: Sendable {
    private let keys: JWTKeyCollection
    private let issuer: String
    private let audience: String

    /// Creates a signer; `secret` must be at least 32 bytes.
    public init(secret: [UInt8], issuer: String, audience: String) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.issuer = issuer
        self.audience = audience
    }

    /// A token for `employee`'s session, valid until `expires`.
    public func sign(employee: EmployeeID, session: SessionID, now: Date, expires: Date) async throws -> String {
        try await keys.sign(
            AccessTokenClaims(
                sub: .init(value: employee.description), sid: session.description, iss: .init(value: issuer),
                aud: .init(value: [audience]), exp: .init(value: expires), iat: .init(value: now), typ: "access"))
    }

    /// The employee and session named by a valid, unexpired access token, or `nil`.
    public func verify(_ token: String, now: Date) async -> (EmployeeID, SessionID)? {
        guard let claims = try? await keys.verify(token, as: AccessTokenClaims.self),
            claims.iss.value == issuer,
            (try? claims.aud.verifyIntendedAudience(includes: audience)) != nil,
            (try? claims.exp.verifyNotExpired(currentDate: now)) != nil,
            let employee = EmployeeID(claims.sub.value), let session = SessionID(claims.sid)
        else { return nil }
        return (employee, session)
    }
}
