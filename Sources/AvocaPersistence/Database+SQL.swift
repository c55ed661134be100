import FluentKit
import Foundation
import SQLKit

extension Database {
    /// The SQL interface of the same connection. Both drivers Avoca uses are SQL databases; a
    /// driver that is not would fail the query with an error instead of trapping the process.
    var sql: any SQLDatabase {
        get throws {
            guard let sql = self as? any SQLDatabase else { throw NotAnSQLDatabase(driver: String(describing: type(of: self))) }
            return sql
        }
    }
}
