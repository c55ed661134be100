import FluentKit
import SQLKit

/// Creates `job_notes`.
struct CreateJobNotes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("job_notes")
            .id()
            .field("job_id", .uuid, .required, .references("jobs", "id", onDelete: .cascade))
            .field("content", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "job_notes_job_id_idx").on("job_notes").column("job_id").run()
    }
    func revert(on database: any Database) async throws { try await database.schema("job_notes").delete() }
}
