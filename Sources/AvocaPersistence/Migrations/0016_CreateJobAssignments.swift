import FluentKit
import SQLKit

/// Creates `job_assignments`.
struct CreateJobAssignments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("job_assignments")
            .id()
            .field("job_id", .uuid, .required, .references("jobs", "id", onDelete: .cascade))
            .field("employee_id", .uuid, .required, .references("employees", "id"))
            .unique(on: "job_id", "employee_id")
            .create()
        try await database.sql.create(index: "job_assignments_employee_idx").on("job_assignments").column("employee_id").run()
    }
    func revert(on database: any Database) async throws { try await database.schema("job_assignments").delete() }
}
