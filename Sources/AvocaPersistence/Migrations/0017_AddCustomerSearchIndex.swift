import FluentKit
import SQLKit

/// Indexes customer search so a substring query never scans the table:
/// PostgreSQL — pg_trgm GIN over `search_text`; SQLite — an FTS5 trigram table kept beside `customers`.
struct AddCustomerSearchIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        if sql.dialect.name == "postgresql" {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("CREATE INDEX customers_search_trgm_idx ON customers USING gin (search_text gin_trgm_ops)").run()
            try await sql.raw("CREATE INDEX customers_phone_trgm_idx ON customers USING gin (phone_digits gin_trgm_ops)").run()
        } else {
            try await sql.raw("CREATE VIRTUAL TABLE customers_fts USING fts5(customer_id UNINDEXED, search_text, tokenize = 'trigram')").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP INDEX customers_search_trgm_idx").run()
            try await sql.raw("DROP INDEX customers_phone_trgm_idx").run()
        } else {
            try await sql.raw("DROP TABLE customers_fts").run()
        }
    }
}
