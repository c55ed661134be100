import FluentKit
import SQLKit

/// SQLite only: remembers which `customers_fts` row belongs to which customer. The FTS table can
/// look a row up only by its rowid (its `customer_id` column is not indexed), so without this an
/// edit deleted the old row by scanning every row — hundreds of milliseconds at a million
/// customers, with the single connection blocked. FTS5 rowids are stable (unlike the implicit
/// rowids of `customers`, which VACUUM may renumber), so they are safe to keep.
struct AddCustomerSearchRows: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name != "postgresql" else { return }
        try await sql.raw("CREATE TABLE customer_search_rows (fts_rowid INTEGER PRIMARY KEY, customer_id BLOB NOT NULL UNIQUE)").run()
        try await sql.raw(CustomerSearchRows.recordNewRows).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name != "postgresql" else { return }
        try await sql.raw("DROP TABLE customer_search_rows").run()
    }
}

/// Statements that keep `customer_search_rows` in step with `customers_fts`.
enum CustomerSearchRows {
    /// Records every FTS row newer than the newest one recorded (FTS5 serves the rowid range from
    /// its index). Run after inserting FTS rows, in the same transaction.
    static let recordNewRows: SQLQueryString = """
        INSERT INTO customer_search_rows (fts_rowid, customer_id) SELECT rowid, customer_id FROM customers_fts \
        WHERE rowid > (SELECT COALESCE(MAX(fts_rowid), 0) FROM customer_search_rows)
        """
}
