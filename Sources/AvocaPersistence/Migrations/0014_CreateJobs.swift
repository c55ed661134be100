import FluentKit
import SQLKit

/// Creates `jobs`; invoice numbers are unique.
struct CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .id()
            .field("invoice_number", .int, .required)
            .field("name", .string)
            .field("description", .string)
            .field("customer_id", .uuid, .required, .references("customers", "id"))
            .field("address_id", .uuid, .required, .references("addresses", "id"))
            .field("work_status", .string, .required)
            .field("scheduled_start", .string)
            .field("scheduled_end", .string)
            .field("arrival_window", .int, .required)
            .field("period_start", .datetime)
            .field("period_end", .datetime)
            .field("total_amount", .int, .required)
            .field("outstanding_balance", .int, .required)
            .field("tags", .string, .required)
            .field("lead_source", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "invoice_number")
            .create()
        let sql = try database.sql
        try await sql.create(index: "jobs_customer_period_idx").on("jobs").column("customer_id").column("period_start").run()
        try await sql.create(index: "jobs_created_at_idx").on("jobs").column("created_at").column("id").run()
        try await sql.create(index: "jobs_period_start_idx").on("jobs").column("period_start").run()
    }
    func revert(on database: any Database) async throws { try await database.schema("jobs").delete() }
}
