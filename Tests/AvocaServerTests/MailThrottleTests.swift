import AvocaCore
import AvocaIdentity
import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

/// Sign-up, resend and forgot-password send mail and hash passwords: no mail bombing, no bcrypt
/// CPU exhaustion — limited per address and per client, the same for registered and unknown addresses.
@Suite("Identity: mail-sending requests are throttled per address and per client", .timeLimit(.minutes(4)))
struct MailThrottleTests {
    @Test("a burst of forgot-password, resend or sign-up requests for one address is refused after a few, registered or not")
    func burstPerAddress() async throws {
        try await Harness.run { h in
            try await h.signUpAndVerify("known@example.com")
            func statuses(_ path: String, _ body: [String: Any]) async throws -> [Int] {
                var codes: [Int] = []
                for _ in 0..<8 { codes.append(Int(try await h.request(.post, path, json: body).status.code)) }
                return codes
            }
            let expected = [200, 200, 200, 200, 429, 429, 429, 429]
            #expect(try await statuses("/api/auth/forgot-password", ["email": "known@example.com"]) == expected)
            #expect(try await statuses("/api/auth/forgot-password", ["email": "unknown@example.com"]) == expected)
            #expect(try await statuses("/api/auth/resend-verification", ["email": "unknown@example.com"]) == expected)
            let signUp: [String: Any] = ["email": "known@example.com", "password": Harness.password, "first_name": "K", "last_name": "N"]
            #expect(try await statuses("/api/auth/signup", signUp).map { $0 == 201 ? 200 : $0 } == expected)
            let refused = try await h.request(.post, "/api/auth/forgot-password", json: ["email": "known@example.com"])
            #expect(refused.errorCode == "rate_limited")
            #expect(refused.headers[.retryAfter] != nil)
        }
    }

    @Test("requests once a minute for an hour reach the mailbox at most 10 times")
    func mailBomb() async throws {
        try await Harness.run { h in
            try await h.signUpAndVerify("victim@example.com")
            for _ in 0..<60 {
                h.clock.advance(by: 61)  // past the one-a-minute resend interval each time
                _ = try await h.request(.post, "/api/auth/forgot-password", json: ["email": "victim@example.com"])
            }
            try await h.flushMail()
            let resets = h.mailer.all.filter { $0.to == "victim@example.com" && $0.subject.contains("reset code") }.count
            #expect((3...10).contains(resets), "reset mails: \(resets)")
        }
    }

    @Test("one client address is slowed down before bcrypt after its sign-ups; another client is not")
    func perClient() async throws {
        try await Harness.run { h in
            let identity = h.services.identity
            let busy = ClientInfo(ipAddress: "203.0.113.9", userAgent: nil)
            var refused = 0
            for index in 0..<25 {
                do {
                    try await identity.signUp(
                        email: "user\(index)@example.com", password: Harness.password, firstName: "U", lastName: "\(index)", client: busy)
                } catch DomainError.rateLimited {
                    refused += 1
                }
            }
            #expect(refused == 25 - 21, "20 free requests, one more starts the delay")
            // Nothing was written for the refused ones.
            #expect(try await identity.employees(page: 1, pageSize: 100).totalItems == 21)
            await #expect(throws: DomainError.self) { try await identity.forgotPassword(email: "user0@example.com", client: busy) }
            try await identity.signUp(
                email: "other@example.com", password: Harness.password, firstName: "O", lastName: "K",
                client: ClientInfo(ipAddress: "198.51.100.20", userAgent: nil))
            #expect(try await identity.employees(page: 1, pageSize: 100).totalItems == 22)
        }
    }
}
