import FluentKit
import SQLKit

/// On PostgreSQL, makes overlapping live jobs of one customer impossible at the storage level:
/// an exclusion constraint over (customer, half-open period), ignoring canceled and unscheduled jobs.
/// SQLite has no such constraint; there the check and the insert share one serialised transaction.
struct AddJobOverlapConstraint: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("CREATE EXTENSION IF NOT EXISTS btree_gist").run()
        try await sql.raw(
            """
            ALTER TABLE jobs ADD CONSTRAINT jobs_no_overlap EXCLUDE USING gist (
                customer_id WITH =, tstzrange(period_start, period_end, '[)') WITH &&
            ) WHERE (period_start IS NOT NULL AND work_status NOT IN ('user_canceled', 'pro_canceled'))
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE jobs DROP CONSTRAINT jobs_no_overlap").run()
    }
}
