/// A Fluent database that has no SQL interface (neither SQLite nor PostgreSQL).
struct NotAnSQLDatabase: Error, CustomStringConvertible {
    /// The driver's type name.
    let driver: String

    var description: String { "\(driver) is not an SQL database" }
}
