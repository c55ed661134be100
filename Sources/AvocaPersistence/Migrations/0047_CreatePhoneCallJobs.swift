import FluentKit
import SQLKit

/// `phone_call_jobs`: every job booked on a call, in booking order (`position` 1, 2, …), so one
/// call can book several. `phone_calls.job_id` stays the most recent one (reports, old clients);
/// the calls that already had a job get it as their first row.
struct CreatePhoneCallJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("phone_call_jobs")
            .field("phone_call_id", .uuid, .required, .references("phone_calls", "phone_call_id", onDelete: .cascade))
            .field("job_id", .uuid, .required, .references("jobs", "id"))
            .field("position", .int, .required)
            .field("linked_at", .datetime, .required)
            .compositeIdentifier(over: "phone_call_id", "job_id")
            .create()
        try await database.sql.raw(
            """
            INSERT INTO phone_call_jobs (phone_call_id, job_id, position, linked_at)
            SELECT phone_call_id, job_id, 1, updated_at FROM phone_calls WHERE job_id IS NOT NULL
            """
        ).run()
    }

    func revert(on database: any Database) async throws { try await database.schema("phone_call_jobs").delete() }
}
