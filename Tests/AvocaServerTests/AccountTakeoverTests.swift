import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

/// Knowing someone's address (or even their password) must not let a stranger take the account.
@Suite("Identity: no account takeover by sign-up or by an old enrolment token", .timeLimit(.minutes(4)))
struct AccountTakeoverTests {
    static let strangerPassword = "stolen-address-pw-1"
    static let ownerPassword = "owners-own-secret-2"

    static func signUp(_ h: Harness, _ email: String, _ password: String, name: String) async throws -> APIResponse {
        try await h.request(.post, "/api/auth/signup", json: ["email": email, "password": password, "first_name": name, "last_name": "X"])
    }

    static func signIn(_ h: Harness, _ email: String, _ password: String) async throws -> APIResponse {
        try await h.request(.post, "/api/auth/signin", json: ["email": email, "password": password])
    }

    @Test("pre-registration: a stranger's earlier sign-up leaves no password in force once the owner verifies, and does not make the stranger admin")
    func preRegistrationHijack() async throws {
        try await Harness.run { h in
            let address = "ceo@example.com"
            // 1. A stranger signs up first with the owner's address: the very first row.
            #expect(try await Self.signUp(h, address, Self.strangerPassword, name: "Mallory").status == .created)
            // 2. Someone else signs up and verifies: the first *verified* employee is the admin.
            let boss = try await h.enrolledEmployee("boss@example.com")
            #expect(try await h.request(.get, "/api/auth/me", bearer: boss.accessToken)["role"] as? String == "admin")
            // 3. The owner signs up, and the stranger at once signs up again (inside the resend interval).
            h.clock.advance(by: 61)
            #expect(try await Self.signUp(h, address, Self.ownerPassword, name: "Casey").status == .created)
            #expect(try await Self.signUp(h, address, "another-stranger-pw-3", name: "Mallory").status == .created)
            try await h.flushMail()
            #expect(h.mailer.all.filter { $0.to == address && $0.subject.contains("verification code") }.count == 2)
            // 4. The owner verifies with the code in the mailbox (the one their sign-up sent).
            let code = try #require(h.mailer.code(to: address, subject: "verification code"))
            #expect(try await h.request(.post, "/api/auth/verify-email", json: ["email": address, "code": code]).status == .ok)
            // The password in force is the owner's; neither of the stranger's works.
            #expect(try await Self.signIn(h, address, Self.strangerPassword).status == .unauthorized)
            #expect(try await Self.signIn(h, address, "another-stranger-pw-3").status == .unauthorized)
            let owner = try await Self.signIn(h, address, Self.ownerPassword)
            #expect(owner.status == .ok)
            #expect(owner["mfa_required"] as? String == "enroll")
            let employees = try await h.services.identity.employees(page: 1, pageSize: 10).items
            #expect(employees.first { $0.email == address }?.role == .agent)
            #expect(employees.filter { $0.role == .admin }.map(\.email) == ["boss@example.com"])
        }
    }

    @Test("a resent verification code stands for the latest sign-up and puts its password in force")
    func resendCarriesThePassword() async throws {
        try await Harness.run { h in
            let address = "casey@example.com"
            #expect(try await Self.signUp(h, address, Self.strangerPassword, name: "Mallory").status == .created)
            h.clock.advance(by: 61)
            #expect(try await Self.signUp(h, address, Self.ownerPassword, name: "Casey").status == .created)
            h.clock.advance(by: 61)
            #expect(try await h.request(.post, "/api/auth/resend-verification", json: ["email": address]).status == .ok)
            try await h.flushMail()
            #expect(h.mailer.all.filter { $0.to == address && $0.subject.contains("verification code") }.count == 3)
            let code = try #require(h.mailer.code(to: address, subject: "verification code"))
            #expect(try await h.request(.post, "/api/auth/verify-email", json: ["email": address, "code": code]).status == .ok)
            #expect(try await Self.signIn(h, address, Self.strangerPassword).status == .unauthorized)
            #expect(try await Self.signIn(h, address, Self.ownerPassword).status == .ok)
        }
    }

    @Test("an enroll token issued before the authenticator was set up cannot replace it")
    func enrollTokenCannotReplace() async throws {
        try await Harness.run { h in
            let address = "enrolled@example.com"
            try await h.signUpAndVerify(address)
            // Two sign-ins before anyone enrols: the owner's and a stranger's who knows the password.
            let ownerToken = try #require(try await Self.signIn(h, address, Harness.password)["mfa_token"] as? String)
            let strangerToken = try #require(try await Self.signIn(h, address, Harness.password)["mfa_token"] as? String)
            let lateToken = try #require(try await Self.signIn(h, address, Harness.password)["mfa_token"] as? String)
            let strangerSetup = try await h.request(.post, "/api/auth/totp/setup", json: ["mfa_token": strangerToken])
            let strangerSecret = try #require(strangerSetup["secret"] as? String)
            // The owner enrols.
            let ownerSecret = try #require(try await h.request(.post, "/api/auth/totp/setup", json: ["mfa_token": ownerToken])["secret"] as? String)
            let enrolled = try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": ownerToken, "code": h.totp(ownerSecret)])
            #expect(enrolled.status == .ok)
            // The stranger's prepared enrolment no longer activates, and a new one cannot start.
            let replaced = try await h.request(
                .post, "/api/auth/totp/verify", json: ["mfa_token": strangerToken, "code": h.totp(strangerSecret)])
            #expect(replaced.status == .unauthorized)
            #expect(replaced["access_token"] == nil)
            #expect(try await h.request(.post, "/api/auth/totp/setup", json: ["mfa_token": lateToken]).status == .unauthorized)
            // The owner's authenticator is still the one in force.
            h.clock.advance(by: 30)
            let again = try #require(try await Self.signIn(h, address, Harness.password)["mfa_token"] as? String)
            #expect(
                try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": again, "code": h.totp(strangerSecret)]).status
                    == .unauthorized)
            h.clock.advance(by: 30)
            let last = try #require(try await Self.signIn(h, address, Harness.password)["mfa_token"] as? String)
            #expect(try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": last, "code": h.totp(ownerSecret)]).status == .ok)
        }
    }
}
