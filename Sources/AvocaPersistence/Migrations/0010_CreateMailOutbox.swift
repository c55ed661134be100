import FluentKit

/// Creates `mail_outbox`: mail is written here in the same request that decides to send it, and
/// delivered by a background service, so an SMTP outage loses nothing.
struct CreateMailOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mail_outbox")
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("last_error", .string)
            .field("sent_at", .datetime)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("mail_outbox").delete() }
}
