import AvocaCore
import Foundation

/// What a client may set on a customer. `nil` means "not given"; an empty string clears a field on update.
public struct CustomerInput: Sendable {
    public var firstName, lastName, email, company, mobileNumber, homeNumber, workNumber, leadSource, notes: String?
    public var notificationsEnabled: Bool?
    public var tags: [String]?
    public var addresses: [AddressInput]

    /// Creates an input.
    public init(
        firstName: String? = nil, lastName: String? = nil, email: String? = nil, company: String? = nil, mobileNumber: String? = nil,
        homeNumber: String? = nil, workNumber: String? = nil, leadSource: String? = nil, notes: String? = nil,
        notificationsEnabled: Bool? = nil, tags: [String]? = nil, addresses: [AddressInput] = []
    ) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.company = company
        self.mobileNumber = mobileNumber
        self.homeNumber = homeNumber
        self.workNumber = workNumber
        self.leadSource = leadSource
        self.notes = notes
        self.notificationsEnabled = notificationsEnabled
        self.tags = tags
        self.addresses = addresses
    }
}
