import AvocaCore
import Foundation

extension Customer {
    /// Housecall Pro requires at least one of these.
    var isNameless: Bool {
        [firstName, lastName, email, mobileNumber, homeNumber, workNumber].allSatisfy { $0 == nil }
    }
}
