import AvocaCore
import Foundation
import Testing

@testable import AvocaServer

/// Who may become an employee: by invitation (the production default), by an admin's approval,
/// or openly; the first sign-up of an empty install always, as its admin.
@Suite("Onboarding: invitation, approval, open sign-up", .timeLimit(.minutes(4)))
struct OnboardingTests {
    @Test("production defaults to invitations, development to open sign-up; AVOCA_SIGNUP chooses and is checked")
    func modes() throws {
        let production = ProductionTransportTests.production.merging([
            "AVOCA_SMTP_URL": "smtps://mail.example.com", "DATABASE_URL": "postgres://avoca@db.example.com/avoca?sslmode=require",
        ]) { $1 }
        #expect(try AppConfig.fromEnvironment(production).signupMode == .invite)
        #expect(try AppConfig.fromEnvironment([:]).signupMode == .open)
        #expect(try AppConfig.fromEnvironment(["AVOCA_SIGNUP": "approve"]).signupMode == .approve)
        #expect(try AppConfig.fromEnvironment(production.merging(["AVOCA_SIGNUP": "open"]) { $1 }).signupMode == .open)
        #expect(throws: ConfigurationError.self) { try AppConfig.fromEnvironment(["AVOCA_SIGNUP": "anyone"]) }
    }

    @Test("by invitation, an uninvited visitor can neither sign up nor, having signed up before the admin, sign in")
    func uninvitedStayOut() async throws {
        try await Harness.run(configure: Self.byInvitation) { h in
            // On the empty install two people sign up; the first to verify is the admin.
            let early = try await h.request(
                .post, "/api/auth/signup",
                json: ["email": "early@example.com", "password": Harness.password, "first_name": "Ed", "last_name": "Early"])
            #expect(early.status == .created)
            let admin = try await h.enrolledEmployee("boss@example.com")

            // Now the door is closed to anyone without an invitation, and nothing is stored or mailed.
            let mailsBefore = h.mailer.all.count
            let stranger = try await h.request(
                .post, "/api/auth/signup", json: ["email": "stranger@example.com", "password": Harness.password, "first_name": "S", "last_name": "X"])
            #expect(stranger.status == .forbidden)
            #expect(stranger.errorMessage?.contains("invitation") == true)
            try await h.flushMail()
            #expect(h.mailer.all.count == mailsBefore)
            #expect(try await Self.employee("stranger@example.com", in: h, admin: admin) == nil)

            // The early sign-up verifies, but waits: no session, so no customer data.
            try await h.flushMail()
            let code = try #require(h.mailer.code(to: "early@example.com", subject: "verification code"))
            #expect(try await h.request(.post, "/api/auth/verify-email", json: ["email": "early@example.com", "code": code]).status == .ok)
            let signIn = try await h.request(.post, "/api/auth/signin", json: ["email": "early@example.com", "password": Harness.password])
            #expect(signIn.status == .forbidden)
            #expect(signIn["mfa_token"] == nil)
            try await h.flushMail()
            #expect(h.mailer.all.contains { $0.to == "boss@example.com" && $0.subject.contains("waiting for your approval") })

            let employees = try #require(try await h.request(.get, "/api/employees", bearer: admin.accessToken)["employees"] as? [[String: Any]])
            let waiting = try #require(employees.first { $0["email"] as? String == "early@example.com" })
            #expect(waiting["is_approved"] as? Bool == false)
            #expect(employees.first { $0["email"] as? String == "boss@example.com" }?["is_approved"] as? Bool == true)
        }
    }

    @Test("an invitation leads through sign-up, verification and TOTP to a working employee with the invited role")
    func invitationLeadsIn() async throws {
        try await Harness.run(configure: Self.byInvitation) { h in
            let admin = try await h.enrolledEmployee("boss@example.com")
            let agentBefore = try await h.request(
                .post, "/api/auth/signup", json: ["email": "rep@example.com", "password": Harness.password, "first_name": "R", "last_name": "P"])
            #expect(agentBefore.status == .forbidden)

            let invited = try await h.request(
                .post, "/api/invitations", json: ["email": " Rep@Example.com ", "role": "agent"], bearer: admin.accessToken)
            #expect(invited.status == .created)
            #expect(invited["email"] as? String == "rep@example.com")
            try await h.flushMail()
            let mail = try #require(h.mailer.all.last { $0.to == "rep@example.com" })
            #expect(mail.subject.contains("invited you"))
            #expect(mail.textBody.contains("/#/signup?email=rep@example.com"))
            let pending = try #require(try await h.request(.get, "/api/invitations", bearer: admin.accessToken)["invitations"] as? [[String: Any]])
            #expect(pending.count == 1)

            let rep = try await h.enrolledEmployee("rep@example.com")
            #expect(try await h.request(.get, "/api/customers", bearer: rep.accessToken).status == .ok)
            let me = try await h.request(.get, "/api/auth/me", bearer: rep.accessToken)
            #expect(me["role"] as? String == "agent")
            #expect(try #require(try await h.request(.get, "/api/invitations", bearer: admin.accessToken)["invitations"] as? [[String: Any]]).isEmpty)

            // An admin invitation makes an admin; an agent cannot invite; a colleague cannot be invited twice.
            #expect(
                try await h.request(.post, "/api/invitations", json: ["email": "lead@example.com", "role": "admin"], bearer: admin.accessToken).status
                    == .created)
            let lead = try await h.enrolledEmployee("lead@example.com")
            #expect(try await h.request(.get, "/api/api-keys", bearer: lead.accessToken).status == .ok)
            #expect(
                try await h.request(.post, "/api/invitations", json: ["email": "x@example.com", "role": "admin"], bearer: rep.accessToken).status
                    == .forbidden)
            #expect(try await h.request(.get, "/api/invitations", bearer: rep.accessToken).status == .forbidden)
            let again = try await h.request(
                .post, "/api/invitations", json: ["email": "rep@example.com", "role": "agent"], bearer: admin.accessToken)
            #expect(again.status == .conflict)
            #expect(
                try await h.request(.post, "/api/invitations", json: ["email": "not an address", "role": "agent"], bearer: admin.accessToken).status
                    == .unprocessableContent)
        }
    }

    @Test("a withdrawn or expired invitation no longer opens the door")
    func withdrawnAndExpired() async throws {
        try await Harness.run(configure: Self.byInvitation) { h in
            let admin = try await h.enrolledEmployee("boss@example.com")
            let body: [String: Any] = ["email": "late@example.com", "password": Harness.password, "first_name": "L", "last_name": "T"]
            let invited = try await h.request(
                .post, "/api/invitations", json: ["email": "late@example.com", "role": "agent"], bearer: admin.accessToken)
            let id = try #require(invited["id"] as? String)
            #expect(try await h.request(.delete, "/api/invitations/\(id)", bearer: admin.accessToken).status == .noContent)
            #expect(try await h.request(.delete, "/api/invitations/\(id)", bearer: admin.accessToken).status == .notFound)
            #expect(try await h.request(.post, "/api/auth/signup", json: body).status == .forbidden)

            #expect(
                try await h.request(.post, "/api/invitations", json: ["email": "late@example.com", "role": "agent"], bearer: admin.accessToken).status
                    == .created)
            h.clock.advance(by: 8 * 24 * 3600)
            #expect(try await h.request(.post, "/api/auth/signup", json: body).status == .forbidden)
        }
    }

    @Test("with approval, a sign-up waits until an admin approves it, then works; only admins approve")
    func approvalLeadsIn() async throws {
        try await Harness.run(configure: Self.byApproval) { h in
            let admin = try await h.enrolledEmployee("boss@example.com")
            // Invitations work in every mode: this agent is let in at once.
            #expect(
                try await h.request(.post, "/api/invitations", json: ["email": "rep@example.com", "role": "agent"], bearer: admin.accessToken).status
                    == .created)
            let rep = try await h.enrolledEmployee("rep@example.com")

            try await h.signUpAndVerify("newcomer@example.com")
            let refused = try await h.request(.post, "/api/auth/signin", json: ["email": "newcomer@example.com", "password": Harness.password])
            #expect(refused.status == .forbidden)
            #expect(refused.errorMessage?.contains("approve") == true)
            #expect(refused.errorCode == "approval_pending", "the console shows its waiting page for this code")
            try await h.flushMail()
            #expect(h.mailer.all.contains { $0.to == "boss@example.com" && $0.subject.contains("waiting for your approval") })
            #expect(!h.mailer.all.contains { $0.to == "rep@example.com" && $0.subject.contains("waiting for your approval") })

            let newcomer = try #require(try await Self.employee("newcomer@example.com", in: h, admin: admin))
            #expect(try await h.request(.post, "/api/employees/\(newcomer)/approve", bearer: rep.accessToken).status == .forbidden)
            let approved = try await h.request(.post, "/api/employees/\(newcomer)/approve", bearer: admin.accessToken)
            #expect(approved.status == .ok)
            #expect(approved["is_approved"] as? Bool == true)
            #expect(approved["role"] as? String == "agent")

            let working = try await h.enrolledEmployee(fromVerified: "newcomer@example.com")
            #expect(try await h.request(.get, "/api/customers", bearer: working.accessToken).status == .ok)

            // An address that was never verified cannot be approved.
            let unverified = try await h.request(
                .post, "/api/auth/signup", json: ["email": "later@example.com", "password": Harness.password, "first_name": "L", "last_name": "T"])
            #expect(unverified.status == .created)
            let later = try #require(try await Self.employee("later@example.com", in: h, admin: admin))
            #expect(try await h.request(.post, "/api/employees/\(later)/approve", bearer: admin.accessToken).status == .conflict)
        }
    }

    static func byInvitation(_ config: inout AppConfig) { config.signupMode = .invite }
    static func byApproval(_ config: inout AppConfig) { config.signupMode = .approve }

    /// The id of the employee with this address, as an admin's employee list shows it.
    static func employee(_ email: String, in h: Harness, admin: SignedIn) async throws -> String? {
        let list = try await h.request(.get, "/api/employees?page_size=100", bearer: admin.accessToken)
        let employees = try #require(list["employees"] as? [[String: Any]])
        return employees.first { $0["email"] as? String == email }?["id"] as? String
    }
}
