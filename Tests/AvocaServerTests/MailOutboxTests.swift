import AvocaCore
import AvocaIdentity
import Foundation
import Testing

@testable import AvocaServer

@Suite("Mail outbox", .timeLimit(.minutes(4)))
struct MailOutboxTests {
    @Test("concurrent delivery workers send each queued message exactly once")
    func exactlyOnce() async throws {
        try await Harness.run { h in
            for index in 0..<5 {
                try await h.services.outbox.enqueue(MailMessage(to: "m\(index)@example.com", subject: "s", textBody: "b"), at: h.clock.now())
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 { group.addTask { try await h.flushMail() } }
                try await group.waitForAll()
            }
            #expect(h.mailer.all.count == 5)
            #expect(Set(h.mailer.all.map(\.to)).count == 5)
            #expect(try await h.services.outbox.pendingCount() == 0)
        }
    }

    @Test("a failed delivery stays queued and is retried later")
    func retry() async throws {
        try await Harness.run { h in
            try await h.services.outbox.enqueue(MailMessage(to: "x@example.com", subject: "s", textBody: "b"), at: h.clock.now())
            let failing = OutboxDeliveryService(outbox: h.services.outbox, mailer: FailingMailer(), clock: h.clock, logger: .init(label: "t"))
            try await failing.deliverDue()
            #expect(try await h.services.outbox.pendingCount() == 1)
            try await h.flushMail()
            #expect(h.mailer.all.isEmpty)  // not due yet: backing off
            h.clock.advance(by: 31)
            try await h.flushMail()
            #expect(h.mailer.all.map(\.to) == ["x@example.com"])
        }
    }
}

struct FailingMailer: Mailer {
    struct Outage: Error {}
    func send(_ message: MailMessage) async throws { throw Outage() }
}
