import AvocaCore
import FluentKit
import Foundation

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

    public func due(now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await OutboxModel.query(on: database.db).filter(\.$sentAt == nil).filter(\.$nextAttemptAt <= now)
            .sort(\.$createdAt, .ascending).limit(limit).all()
            .map { OutboxMessage(id: $0.id!, message: MailMessage(to: $0.recipient, subject: $0.subject, textBody: $0.body), attempts: $0.attempts) }
    }

    public func markSent(_ id: UUID, at: Date) async throws {
        try await OutboxModel.query(on: database.db).filter(\.$id == id).set(\.$sentAt, to: at).update()
    }

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
