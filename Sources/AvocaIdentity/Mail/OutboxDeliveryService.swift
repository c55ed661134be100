import AvocaCore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Delivers queued mail in the background and retries failures with exponential backoff
/// (30 s, 1 min, 2 min … capped at 1 h), so a mail-server outage delays mail but loses none.
public struct OutboxDeliveryService: Service {
    private let outbox: any MailOutbox
    private let mailer: any Mailer
    private let clock: any AppClock
    private let pollInterval: Duration
    private let logger: Logger
    private let depth = Gauge(label: "avoca_mail_outbox_depth")

    /// Creates the service.
    public init(outbox: any MailOutbox, mailer: any Mailer, clock: any AppClock, pollInterval: Duration = .seconds(1), logger: Logger) {
        self.outbox = outbox
        self.mailer = mailer
        self.clock = clock
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Polls until graceful shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await deliverDue()
            } catch {
                logger.error("mail outbox poll failed: \(String(reflecting: error))")
            }
            // Shutdown must not wait out the interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
        }
    }

    /// One pass: tries every message that is due.
    public func deliverDue() async throws {
        // The lease outlasts an SMTP timeout, so a message is never sent twice by two workers.
        for entry in try await outbox.claimDue(now: clock.now(), limit: 20, lease: 120) {
            do {
                try await mailer.send(entry.message)
                try await outbox.markSent(entry.id, at: clock.now())
            } catch {
                let backoff = min(3600, 30 * pow(2, Double(entry.attempts)))
                logger.warning("mail delivery failed, retrying in \(Int(backoff)) s: \(error)", metadata: ["outbox_id": "\(entry.id)"])
                try await outbox.markFailed(entry.id, error: "\(error)", nextAttemptAt: clock.now().addingTimeInterval(backoff))
            }
        }
        depth.record(try await outbox.pendingCount())
    }
}
