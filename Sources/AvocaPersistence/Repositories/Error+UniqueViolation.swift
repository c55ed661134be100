import FluentKit
import Foundation
import SQLKit

extension Error {
    /// Whether this is a unique/foreign-key violation reported by either driver.
    var isUniqueViolation: Bool { (self as? any DatabaseError)?.isConstraintFailure ?? false }
}

extension Database {
    /// The SQL interface of the same connection (both drivers are SQL databases).
    var sql: any SQLDatabase { self as! any SQLDatabase }
}
