import AvocaCore
import AvocaIdentity
import Foundation
import Testing

@testable import AvocaServer

/// Wrong passwords from one address must not lock the owner out from another: the hard limit is
/// per (account, client); the account as a whole only earns its owner a notice.
@Suite("Identity: a lock is not a weapon", .timeLimit(.minutes(4)))
struct AccountLockTests {
    static let attacker = ClientInfo(ipAddress: "203.0.113.66", userAgent: "guesser")
    static let owner = ClientInfo(ipAddress: "198.51.100.7", userAgent: "desk")

    /// Signs in through the service and names the outcome: `verify`, `rate_limited` or the error code.
    static func attempt(_ h: Harness, _ email: String, _ password: String, from client: ClientInfo) async -> String {
        do {
            return try await h.services.identity.signIn(email: email, password: password, client: client).purpose.rawValue
        } catch DomainError.rateLimited {
            return "rate_limited"
        } catch DomainError.unauthorized(let code, _) {
            return code
        } catch {
            return "\(error)"
        }
    }

    @Test("a lock from address A does not stop the owner at address B, nor their password reset")
    func lockFromAnotherAddress() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("owner@example.com")
            var outcomes: [String] = []
            for _ in 0..<12 {
                h.clock.advance(by: 61)  // past every backoff delay, so each attempt is counted if allowed at all
                outcomes.append(await Self.attempt(h, employee.email, "not-the-password-1", from: Self.attacker))
            }
            #expect(outcomes.prefix(10).allSatisfy { $0 == "invalid_credentials" })
            #expect(outcomes.suffix(2) == ["rate_limited", "rate_limited"], "address A is locked after 10 failures")
            #expect(await Self.attempt(h, employee.email, employee.password, from: Self.attacker) == "rate_limited")

            // The owner, elsewhere, signs in and resets the password as usual.
            #expect(await Self.attempt(h, employee.email, employee.password, from: Self.owner) == "verify")
            try await h.services.identity.forgotPassword(email: employee.email, client: Self.owner)
            try await h.flushMail()
            let code = try #require(h.mailer.code(to: employee.email, subject: "reset code"))
            try await h.services.identity.resetPassword(
                email: employee.email, code: code, newPassword: "fresh-start-pass-1", client: Self.owner)
            #expect(await Self.attempt(h, employee.email, "fresh-start-pass-1", from: Self.owner) == "verify")
            // The owner was told once, and address A stays locked.
            #expect(h.mailer.all.filter { $0.to == employee.email && $0.subject.contains("failed sign-ins") }.count == 1)
            #expect(await Self.attempt(h, employee.email, "fresh-start-pass-1", from: Self.attacker) == "rate_limited")
        }
    }

    @Test("failures spread over many addresses never lock the account; the owner gets one notice, not one per address")
    func manyAddresses() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("spread@example.com")
            for index in 0..<40 {
                let client = ClientInfo(ipAddress: "192.0.2.\(index + 1)", userAgent: nil)
                #expect(await Self.attempt(h, employee.email, "not-the-password-1", from: client) == "invalid_credentials")
            }
            #expect(await Self.attempt(h, employee.email, employee.password, from: Self.owner) == "verify")
            try await h.flushMail()
            #expect(h.mailer.all.filter { $0.to == employee.email && $0.subject.contains("failed sign-ins") }.count == 1)
        }
    }
}
