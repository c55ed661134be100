import FluentKit
import SQLKit

/// Indexes the foreign keys the identity queries filter on (sessions of an employee, tokens of a session …).
struct AddIdentityIndexes: AsyncMigration {
    private static let indexes = [
        ("sessions_employee_id_idx", "sessions", "employee_id"),
        ("refresh_tokens_session_id_idx", "refresh_tokens", "session_id"),
        ("email_codes_employee_id_idx", "email_codes", "employee_id"),
        ("recovery_codes_employee_id_idx", "recovery_codes", "employee_id"),
        ("mail_outbox_next_attempt_idx", "mail_outbox", "next_attempt_at"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        for (name, table, column) in Self.indexes { try await sql.create(index: name).on(table).column(column).run() }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        for (name, _, _) in Self.indexes { try await sql.drop(index: name).run() }
    }
}
