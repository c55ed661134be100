import FluentKit

/// Creates `transcript_segments`; the unique (call, seq) pair makes every append idempotent.
struct CreateTranscriptSegments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("transcript_segments")
            .id()
            .field("phone_call_id", .uuid, .required, .references("phone_calls", "phone_call_id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("speaker", .string, .required)
            .field("text", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "phone_call_id", "seq")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("transcript_segments").delete() }
}
