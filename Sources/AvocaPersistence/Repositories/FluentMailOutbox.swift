import AvocaCore
import FluentKit
import Foundation
import SQLKit

/// `MailOutbox` on FluentKit.
public struct FluentMailOutbox: MailOutbox {
    private let database: AvocaDatabase

    /// Creates the outbox.
    public init(database: AvocaDatabase) { self.database = database }

    public func enqueue(_ message: MailMessage, at: Date) async throws {
        let model = OutboxModel()
        model.id = UUID()
        model.recipient = message.to
        model.subject = message.subject
        model.body = message.textBody
        model.attempts = 0
        model.createdAt = at
        model.nextAttemptAt = at
        try await model.create(on: database.db)
    }

    public func claimDue(now: Date, limit: Int, lease: TimeInterval) async throws -> [OutboxMessage] {
        let candidates = try await OutboxModel.query(on: database.db).filter(\.$sentAt == nil).filter(\.$nextAttemptAt <= now)
            .sort(\.$createdAt, .ascending).limit(limit).all()
        var claimed: [OutboxMessage] = []
        for model in candidates {
            let rows = try await database.db.sql.update("mail_outbox").set("next_attempt_at", to: now.addingTimeInterval(lease))
                .where("id", .equal, model.id!).where("sent_at", .is, SQLLiteral.null).where("next_attempt_at", .lessThanOrEqual, now)
                .returning("id").all()
            if !rows.isEmpty {
                claimed.append(
                    OutboxMessage(
                        id: model.id!, message: MailMessage(to: model.recipient, subject: model.subject, textBody: model.body),
                        attempts: model.attempts))
            }
        }
        return claimed
    }

    public func markSent(_ id: UUID, at: Date) async throws {
        // A delivered message is only bookkeeping: its subject and body (which carry e-mailed codes)
        // are wiped, so a database dump or backup holds no usable code.
        try await OutboxModel.query(on: database.db).filter(\.$id == id).set(\.$sentAt, to: at)
            .set(\.$subject, to: Self.deliveredPlaceholder).set(\.$body, to: "").update()
    }

    /// The subject a delivered message keeps.
    public static let deliveredPlaceholder = "(delivered)"

    public func markFailed(_ id: UUID, error: String, nextAttemptAt: Date) async throws {
        guard let model = try await OutboxModel.find(id, on: database.db) else { return }
        model.attempts += 1
        model.lastError = String(error.prefix(500))
        model.nextAttemptAt = nextAttemptAt
        try await model.update(on: database.db)
    }

    public func pendingCount() async throws -> Int {
        try await OutboxModel.query(on: database.db).filter(\.$sentAt == nil).count()
    }
}
