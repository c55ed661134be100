import AvocaPersistence
import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

@Suite("Identity: sign-up, e-mail verification, mandatory TOTP, sessions", .timeLimit(.minutes(4)))
struct IdentityFlowTests {
    @Test("the whole journey: sign up, verify, enrol TOTP, receive 10 recovery codes, /auth/me; the first employee is admin")
    func journey() async throws {
        try await Harness.run { h in
            let admin = try await h.enrolledEmployee("Owner@Example.com ")
            #expect(admin.recoveryCodes.count == 10)
            #expect(Set(admin.recoveryCodes).count == 10)
            let me = try await h.request(.get, "/api/auth/me", bearer: admin.accessToken)
            #expect(me.status == .ok)
            #expect(me["email"] as? String == "owner@example.com")
            #expect(me["role"] as? String == "admin")
            #expect(me["auth_totp_enabled"] as? Bool == true)
            let agent = try await h.enrolledEmployee("agent@example.com")
            let agentMe = try await h.request(.get, "/api/auth/me", bearer: agent.accessToken)
            #expect(agentMe["role"] as? String == "agent")
        }
    }

    @Test("sign-in answers an mfa_token, never a session, and that token opens nothing")
    func signInIsNotASession() async throws {
        try await Harness.run { h in
            try await h.signUpAndVerify("pat@example.com")
            let mfa = try await h.request(.post, "/api/auth/signin", json: ["email": "pat@example.com", "password": Harness.password])
            #expect(mfa.status == .ok)
            #expect(mfa["mfa_required"] as? String == "enroll")
            #expect(mfa["access_token"] == nil)
            let token = try #require(mfa["mfa_token"] as? String)
            #expect(try await h.request(.get, "/api/auth/me", bearer: token).status == .unauthorized)
            // Confirming without setting up first is refused, and a wrong code activates nothing.
            #expect(try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": token, "code": "123456"]).status == .badRequest)
        }
    }

    @Test("an unverified address cannot sign in, but only a correct password learns that")
    func unverifiedCannotSignIn() async throws {
        try await Harness.run { h in
            _ = try await h.request(
                .post, "/api/auth/signup", json: ["email": "new@example.com", "password": Harness.password, "first_name": "N", "last_name": "W"])
            let right = try await h.request(.post, "/api/auth/signin", json: ["email": "new@example.com", "password": Harness.password])
            #expect(right.status == .forbidden)
            let wrong = try await h.request(.post, "/api/auth/signin", json: ["email": "new@example.com", "password": "wrong-password-123"])
            let unknown = try await h.request(.post, "/api/auth/signin", json: ["email": "nobody@example.com", "password": "wrong-password-123"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.data == unknown.data)
            #expect(wrong.status == unknown.status)
        }
    }

    @Test("sign-up never reveals whether an address is registered")
    func signUpIsGeneric() async throws {
        try await Harness.run { h in
            let body: [String: Any] = ["email": "dup@example.com", "password": Harness.password, "first_name": "D", "last_name": "P"]
            let first = try await h.request(.post, "/api/auth/signup", json: body)
            let second = try await h.request(.post, "/api/auth/signup", json: body)
            #expect(first.status == .created)
            #expect(first.status == second.status)
            #expect(first.data == second.data)
        }
    }

    @Test("concurrent sign-ups with one address create exactly one employee")
    func concurrentSignUps() async throws {
        try await Harness.run { h in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        _ = try await h.request(
                            .post, "/api/auth/signup",
                            json: [
                                "email": index.isMultiple(of: 2) ? "race@example.com" : "RACE@example.com", "password": Harness.password,
                                "first_name": "R", "last_name": "C",
                            ])
                    }
                }
                try await group.waitForAll()
            }
            let page = try await h.services.identity.employees(page: 1, pageSize: 100)
            #expect(page.items.filter { $0.email == "race@example.com" }.count == 1)
        }
    }

    @Test("bad sign-up input answers 422 naming each field and writes nothing")
    func signUpValidation() async throws {
        try await Harness.run { h in
            let response = try await h.request(
                .post, "/api/auth/signup", json: ["email": "not-an-address", "password": "short", "first_name": "", "last_name": "X"])
            #expect(response.status == .unprocessableContent)
            #expect(Set(response.errorFields.keys) == ["email", "password", "first_name"])
            let common = try await h.request(
                .post, "/api/auth/signup", json: ["email": "a@example.com", "password": "password1234", "first_name": "A", "last_name": "B"])
            #expect(common.errorFields["password"] != nil)
            #expect(try await h.services.identity.employees(page: 1, pageSize: 10).totalItems == 0)
            try await h.flushMail()
            #expect(h.mailer.all.isEmpty)
        }
    }

    @Test("e-mail codes are single use, die after 5 wrong attempts and expire after 10 minutes")
    func emailCodeRules() async throws {
        try await Harness.run { h in
            let signUp: [String: Any] = ["email": "c@example.com", "password": Harness.password, "first_name": "C", "last_name": "D"]
            _ = try await h.request(.post, "/api/auth/signup", json: signUp)
            try await h.flushMail()
            let code = try #require(h.mailer.code(to: "c@example.com", subject: "verification"))
            let wrong = code == "000000" ? "111111" : "000000"
            for _ in 0..<5 {
                h.clock.advance(by: 61)  // past the throttle delay, so the code's own attempt limit is what is tested
                #expect(try await h.request(.post, "/api/auth/verify-email", json: ["email": "c@example.com", "code": wrong]).status == .badRequest)
            }
            h.clock.advance(by: 61)
            #expect(try await h.request(.post, "/api/auth/verify-email", json: ["email": "c@example.com", "code": code]).status == .badRequest)

            // A new code, let it expire.
            _ = try await h.request(.post, "/api/auth/resend-verification", json: ["email": "c@example.com"])
            try await h.flushMail()
            let second = try #require(h.mailer.code(to: "c@example.com", subject: "verification"))
            h.clock.advance(by: 601)
            #expect(try await h.request(.post, "/api/auth/verify-email", json: ["email": "c@example.com", "code": second]).status == .badRequest)

            // A fresh one works once.
            _ = try await h.request(.post, "/api/auth/resend-verification", json: ["email": "c@example.com"])
            try await h.flushMail()
            let third = try #require(h.mailer.code(to: "c@example.com", subject: "verification"))
            h.clock.advance(by: 61)  // the failures above delay the next attempt
            #expect(try await h.request(.post, "/api/auth/verify-email", json: ["email": "c@example.com", "code": third]).status == .ok)
            #expect(try await h.request(.post, "/api/auth/verify-email", json: ["email": "c@example.com", "code": third]).status == .badRequest)
        }
    }

    @Test("resend sends at most one code a minute and answers the same for unknown addresses")
    func resendThrottled() async throws {
        try await Harness.run { h in
            _ = try await h.request(
                .post, "/api/auth/signup", json: ["email": "r@example.com", "password": Harness.password, "first_name": "R", "last_name": "S"])
            let known = try await h.request(.post, "/api/auth/resend-verification", json: ["email": "r@example.com"])
            let unknown = try await h.request(.post, "/api/auth/resend-verification", json: ["email": "nobody@example.com"])
            #expect(known.status == .ok)
            #expect(known.data == unknown.data)
            try await h.flushMail()
            #expect(h.mailer.all.filter { $0.to == "r@example.com" }.count == 1)
            h.clock.advance(by: 61)
            _ = try await h.request(.post, "/api/auth/resend-verification", json: ["email": "r@example.com"])
            try await h.flushMail()
            #expect(h.mailer.all.filter { $0.to == "r@example.com" }.count == 2)
        }
    }

    @Test("a TOTP step is never accepted twice, even with a new mfa_token")
    func totpReplay() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("t@example.com")
            h.clock.advance(by: 30)
            let code = h.totp(employee.secret)
            let first = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
            #expect(try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": first["mfa_token"]!, "code": code]).status == .ok)
            let second = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
            let replay = try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": second["mfa_token"]!, "code": code])
            #expect(replay.status == .unauthorized)
            #expect(replay.errorCode == "code_already_used")
        }
    }

    @Test("refresh rotates the token; replaying a used one revokes the whole session at once")
    func refreshRotation() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("s@example.com")
            let rotated = try await h.request(.post, "/api/auth/refresh-token", json: ["refresh_token": employee.refreshToken])
            #expect(rotated.status == .ok)
            let newRefresh = try #require(rotated["refresh_token"] as? String)
            let newAccess = try #require(rotated["access_token"] as? String)
            #expect(newRefresh != employee.refreshToken)
            #expect(try await h.request(.get, "/api/auth/me", bearer: newAccess).status == .ok)

            let replay = try await h.request(.post, "/api/auth/refresh-token", json: ["refresh_token": employee.refreshToken])
            #expect(replay.status == .unauthorized)
            #expect(replay.errorCode == "refresh_token_reused")
            #expect(try await h.request(.post, "/api/auth/refresh-token", json: ["refresh_token": newRefresh]).status == .unauthorized)
            #expect(try await h.request(.get, "/api/auth/me", bearer: newAccess).status == .unauthorized)
        }
    }

    @Test("of 20 concurrent refreshes with one token exactly one succeeds")
    func concurrentRefresh() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("cr@example.com")
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await h.request(.post, "/api/auth/refresh-token", json: ["refresh_token": employee.refreshToken]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .unauthorized }.count == 19)
        }
    }

    @Test("the console's cookie transport keeps the refresh token out of the body")
    func cookieTransport() async throws {
        try await Harness.run { h in
            try await h.signUpAndVerify("cookie@example.com")
            let mfa = try await h.request(.post, "/api/auth/signin", json: ["email": "cookie@example.com", "password": Harness.password])
            let setup = try await h.request(.post, "/api/auth/totp/setup", json: ["mfa_token": mfa["mfa_token"]!])
            let session = try await h.request(
                .post, "/api/auth/totp/verify",
                json: ["mfa_token": mfa["mfa_token"]!, "code": h.totp(setup["secret"] as! String), "refresh_transport": "cookie"])
            #expect(session["refresh_token"] == nil)
            let cookie = try #require(session.headers[.setCookie])
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            let value = String(cookie.split(separator: ";")[0])
            let refreshed = try await h.request(.post, "/api/auth/refresh-token", headers: [.cookie: value])
            #expect(refreshed.status == .ok)
            #expect(refreshed["refresh_token"] == nil)
            #expect(refreshed.headers[.setCookie]?.hasPrefix("avoca_refresh=") == true)
        }
    }

    @Test("tokens of the wrong kind are refused as bearer tokens: refresh token, tampered JWT, alg none")
    func bearerAttacks() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("b@example.com")
            #expect(try await h.request(.get, "/api/auth/me", bearer: employee.refreshToken).status == .unauthorized)
            var parts = employee.accessToken.split(separator: ".").map(String.init)
            let tampered = parts[0] + "." + String(parts[1].reversed()) + "." + parts[2]
            #expect(try await h.request(.get, "/api/auth/me", bearer: tampered).status == .unauthorized)
            parts[0] = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            #expect(try await h.request(.get, "/api/auth/me", bearer: parts[0] + "." + parts[1] + ".").status == .unauthorized)
        }
    }

    @Test("an access token stops working when its session ends, before it expires; and after 15 minutes anyway")
    func accessTokenLifetime() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("l@example.com")
            h.clock.advance(by: 15 * 60 + 1)
            #expect(try await h.request(.get, "/api/auth/me", bearer: employee.accessToken).status == .unauthorized)
            let again = try await h.signInAgain(employee)
            #expect(try await h.request(.post, "/api/auth/signout", bearer: again.accessToken).status == .noContent)
            #expect(try await h.request(.get, "/api/auth/me", bearer: again.accessToken).status == .unauthorized)
        }
    }

    @Test("after 10 failures from one address that address is locked with 429 and Retry-After, and the owner is told by e-mail")
    func lockout() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("lock@example.com")
            var sawLock = false
            for _ in 0..<12 {
                h.clock.advance(by: 61)  // past every backoff delay, so each attempt is counted
                let response = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": "not-the-password-1"])
                if response.status == .tooManyRequests {
                    sawLock = true
                    #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 60)
                    break
                }
            }
            #expect(sawLock)
            // Even the right password is refused while locked.
            let locked = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
            #expect(locked.status == .tooManyRequests)
            try await h.flushMail()
            #expect(h.mailer.all.contains { $0.to == employee.email && $0.subject.contains("failed sign-ins") })
        }
    }

    @Test("backoff: after the free failures the next attempt must wait")
    func backoff() async throws {
        try await Harness.run { h in
            for _ in 0..<4 { _ = try await h.request(.post, "/api/auth/signin", json: ["email": "x@example.com", "password": "wrong-password-123"]) }
            let throttled = try await h.request(.post, "/api/auth/signin", json: ["email": "x@example.com", "password": "wrong-password-123"])
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] != nil)
        }
    }

    @Test("recovery codes work once each; regenerating invalidates the old set")
    func recoveryCodes() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("rc@example.com")
            let mfa = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
            let used = employee.recoveryCodes[0].uppercased()
            #expect(
                try await h.request(.post, "/api/auth/recovery-code", json: ["mfa_token": mfa["mfa_token"]!, "recovery_code": used]).status == .ok)
            let mfa2 = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
            #expect(
                try await h.request(.post, "/api/auth/recovery-code", json: ["mfa_token": mfa2["mfa_token"]!, "recovery_code": used]).status
                    == .unauthorized)

            let fresh = try await h.request(
                .post, "/api/auth/recovery-codes", json: ["current_password": employee.password], bearer: employee.accessToken)
            #expect((fresh["recovery_codes"] as? [String])?.count == 10)
            let mfa3 = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
            #expect(
                try await h.request(
                    .post, "/api/auth/recovery-code", json: ["mfa_token": mfa3["mfa_token"]!, "recovery_code": employee.recoveryCodes[1]]
                ).status == .unauthorized)
        }
    }

    @Test("changing the password keeps this session and ends the others")
    func changePassword() async throws {
        try await Harness.run { h in
            let first = try await h.enrolledEmployee("cp@example.com")
            let second = try await h.signInAgain(first)
            let changed = try await h.request(
                .post, "/api/auth/change-password", json: ["current_password": first.password, "new_password": "brand-new-secret-99"],
                bearer: first.accessToken)
            #expect(changed.status == .ok)
            #expect(try await h.request(.get, "/api/auth/me", bearer: first.accessToken).status == .ok)
            #expect(try await h.request(.get, "/api/auth/me", bearer: second.accessToken).status == .unauthorized)
            let wrong = try await h.request(
                .post, "/api/auth/change-password", json: ["current_password": "nope-nope-nope", "new_password": "another-secret-77"],
                bearer: first.accessToken)
            #expect(wrong.status == .unprocessableContent)
        }
    }

    @Test("a password reset with the mailed code ends every session; the old password stops working")
    func resetPassword() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("rp@example.com")
            #expect(try await h.request(.post, "/api/auth/forgot-password", json: ["email": employee.email]).status == .ok)
            try await h.flushMail()
            let code = try #require(h.mailer.code(to: employee.email, subject: "reset code"))
            let reset = try await h.request(
                .post, "/api/auth/reset-password", json: ["email": employee.email, "code": code, "new_password": "fresh-start-pass-1"])
            #expect(reset.status == .ok)
            #expect(try await h.request(.get, "/api/auth/me", bearer: employee.accessToken).status == .unauthorized)
            #expect(
                try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password]).status == .unauthorized
            )
            #expect(try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": "fresh-start-pass-1"]).status == .ok)
        }
    }

    @Test("sessions can be listed and revoked one by one")
    func sessions() async throws {
        try await Harness.run { h in
            let first = try await h.enrolledEmployee("ss@example.com")
            let second = try await h.signInAgain(first)
            let list = try await h.request(.get, "/api/auth/sessions", bearer: first.accessToken)
            let sessions = try #require(list["sessions"] as? [[String: Any]])
            #expect(sessions.count == 2)
            let other = try #require(sessions.first { $0["current"] as? Bool == false }?["id"] as? String)
            #expect(try await h.request(.delete, "/api/auth/sessions/\(other)", bearer: first.accessToken).status == .noContent)
            #expect(try await h.request(.get, "/api/auth/me", bearer: second.accessToken).status == .unauthorized)
        }
    }
}

/// Knowing the password must not buy unlimited guesses at the second factor.
@Suite("Identity: the second factor cannot be out-guessed", .timeLimit(.minutes(4)))
struct SecondFactorGuessingTests {
    /// A TOTP code that is certainly not the current one.
    static func wrongCode(_ h: Harness, _ employee: SignedIn) -> String {
        let right = Set((-1...1).map { h.totp(employee.secret, offset: Int64($0)) })
        return (0..<1_000_000).lazy.map { String(format: "%06d", $0) }.first { !right.contains($0) } ?? "000000"
    }

    @Test("wrong codes count across sign-ins: signing in again with the password does not reset them; the 10th locks code entry and mails the owner")
    func countedAcrossSignIns() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("guess@example.com")
            var answered = 0
            var throttled = false
            signIns: for _ in 0..<8 {
                h.clock.advance(by: 61)
                let mfa = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
                guard let token = mfa["mfa_token"] as? String else {
                    throttled = mfa.status == .tooManyRequests
                    break
                }
                for _ in 0..<3 {
                    h.clock.advance(by: 61)  // past every backoff delay: each guess is evaluated if it is allowed at all
                    let guess = try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": token, "code": Self.wrongCode(h, employee)])
                    if guess.status == .tooManyRequests {
                        throttled = true
                        break signIns
                    }
                    #expect(guess.status == .unauthorized)
                    answered += 1
                }
            }
            #expect(throttled)
            #expect(answered == 10, "wrong codes evaluated before the lock")
            // While locked, even the right code from a fresh sign-in is refused.
            let mfa = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
            if let token = mfa["mfa_token"] as? String {
                let right = try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": token, "code": h.totp(employee.secret)])
                #expect(right.status == .tooManyRequests)
            }
            try await h.flushMail()
            #expect(h.mailer.all.contains { $0.to == employee.email && $0.subject.contains("sign-in codes were locked") })
        }
    }

    @Test("one mfa token dies after 5 wrong codes; a correct second factor resets the count")
    func tokenDies() async throws {
        try await Harness.run { h in
            let employee = try await h.enrolledEmployee("token@example.com")
            h.clock.advance(by: 30)
            let mfa = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
            let token = try #require(mfa["mfa_token"] as? String)
            var codes: [String] = []
            for _ in 0..<5 {
                h.clock.advance(by: 5)  // past the short delays after the free failures, inside the token's 5 minutes
                let guess = try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": token, "code": Self.wrongCode(h, employee)])
                codes.append(guess.errorCode ?? "\(guess.status)")
            }
            #expect(codes == ["invalid_code", "invalid_code", "invalid_code", "invalid_code", "invalid_mfa_token"])
            h.clock.advance(by: 61)
            let dead = try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": token, "code": h.totp(employee.secret)])
            #expect(dead.errorCode == "invalid_mfa_token")
            // A fresh sign-in with the right code works and clears the count: 4 more wrong codes are answered, not throttled.
            let again = try await h.signInAgain(employee)
            #expect(!again.accessToken.isEmpty)
            let next = try await h.request(.post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password])
            let nextToken = try #require(next["mfa_token"] as? String)
            for _ in 0..<3 {
                let guess = try await h.request(.post, "/api/auth/totp/verify", json: ["mfa_token": nextToken, "code": Self.wrongCode(h, employee)])
                #expect(guess.errorCode == "invalid_code")
            }
        }
    }
}

/// Guesses are counted before they are compared, so parallelism buys nothing.
@Suite("Identity: parallel guesses of an e-mailed code", .timeLimit(.minutes(4)))
struct ParallelCodeGuessTests {
    @Test("50 parallel wrong guesses of one e-mailed code get at most 5 comparisons between them")
    func parallelGuesses() async throws {
        try await Harness.run { h in
            let signUp: [String: Any] = ["email": "p@example.com", "password": Harness.password, "first_name": "P", "last_name": "Q"]
            _ = try await h.request(.post, "/api/auth/signup", json: signUp)
            try await h.flushMail()
            let code = try #require(h.mailer.code(to: "p@example.com", subject: "verification"))
            let wrong = code == "000000" ? "111111" : "000000"
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await h.request(.post, "/api/auth/verify-email", json: ["email": "p@example.com", "code": wrong]).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .badRequest || $0 == .tooManyRequests })
            let repository = FluentIdentityRepository(database: h.services.database)
            let employee = try #require(try await repository.employee(email: "p@example.com"))
            let stored = try #require(try await repository.latestEmailCode(employee.id, purpose: .verifyEmail))
            #expect((1...5).contains(stored.attempts), "comparisons made: \(stored.attempts)")
            // Whatever the throttles let through, no comparison is left beyond the fifth.
            for _ in stored.attempts..<5 { #expect(try await repository.claimEmailCodeAttempt(stored.id, limit: 5)) }
            #expect(try await repository.claimEmailCodeAttempt(stored.id, limit: 5) == false)
        }
    }
}
