import FluentKit
import Foundation
import SQLKit

extension Error {
    /// Whether this is a unique/foreign-key violation reported by either driver.
    var isUniqueViolation: Bool { (self as? any DatabaseError)?.isConstraintFailure ?? false }
}
