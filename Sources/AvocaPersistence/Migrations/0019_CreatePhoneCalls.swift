import FluentKit
import SQLKit

/// Creates `phone_calls`.
struct CreatePhoneCalls: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("phone_calls")
            .field("phone_call_id", .uuid, .identifier(auto: false))
            .field("phone_number", .string, .required)
            .field("external_id", .string)
            .field("state", .string, .required)
            .field("start_date_time", .datetime, .required)
            .field("end_date_time", .datetime)
            .field("employee_id", .uuid, .references("employees", "id"))
            .field("customer_id", .uuid, .references("customers", "id"))
            .field("job_id", .uuid, .references("jobs", "id"))
            .field("outcome", .string)
            .field("notes", .string)
            .field("end_reason", .string)
            .field("last_seq", .int, .required)
            .field("last_activity_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "external_id")
            .create()
        let sql = try database.sql
        try await sql.create(index: "phone_calls_state_idx").on("phone_calls").column("state").run()
        try await sql.create(index: "phone_calls_start_idx").on("phone_calls").column("start_date_time").run()
        try await sql.create(index: "phone_calls_employee_idx").on("phone_calls").column("employee_id").run()
        try await sql.create(index: "phone_calls_customer_idx").on("phone_calls").column("customer_id").run()
    }
    func revert(on database: any Database) async throws { try await database.schema("phone_calls").delete() }
}
