import Foundation

/// Tag for customer identifiers.
public enum CustomerTag {}
/// Tag for address identifiers.
public enum AddressTag {}
/// Tag for job identifiers.
public enum JobTag {}
/// Tag for job-note identifiers.
public enum NoteTag {}

/// Identifies a customer.
public typealias CustomerID = ID<CustomerTag>
/// Identifies an address.
public typealias AddressID = ID<AddressTag>
/// Identifies a job.
public typealias JobID = ID<JobTag>
/// Identifies a job note.
public typealias NoteID = ID<NoteTag>

/// A homeowner or business the company serves (Housecall Pro's customer).
public struct Customer: Sendable, Equatable {
    public var id: CustomerID
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var mobileNumber: String?
    public var homeNumber: String?
    public var workNumber: String?
    public var company: String?
    public var notificationsEnabled: Bool
    public var leadSource: String?
    public var notes: String?
    public var tags: [String]
    public var addresses: [Address]
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a customer value.
    public init(
        id: CustomerID, firstName: String? = nil, lastName: String? = nil, email: String? = nil, mobileNumber: String? = nil,
        homeNumber: String? = nil, workNumber: String? = nil, company: String? = nil, notificationsEnabled: Bool = false,
        leadSource: String? = nil, notes: String? = nil, tags: [String] = [], addresses: [Address] = [], createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.mobileNumber = mobileNumber
        self.homeNumber = homeNumber
        self.workNumber = workNumber
        self.company = company
        self.notificationsEnabled = notificationsEnabled
        self.leadSource = leadSource
        self.notes = notes
        self.tags = tags
        self.addresses = addresses
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Every phone number of the customer that parses.
    public var phoneNumbers: [PhoneNumber] { [mobileNumber, homeNumber, workNumber].compactMap { $0.flatMap(PhoneNumber.init) } }

    /// "First Last", or the company, or the e-mail.
    public var displayName: String {
        let name = [firstName, lastName].compactMap { $0 }.joined(separator: " ")
        return name.isEmpty ? (company ?? email ?? "Customer") : name
    }
}

/// Whether an address is where the work happens or where bills go.
public enum AddressKind: String, Sendable, Codable {
    case service, billing
}

/// A customer's address.
public struct Address: Sendable, Equatable {
    public var id: AddressID
    public var customerID: CustomerID
    public var kind: AddressKind
    public var street: String
    public var streetLine2: String?
    public var city: String
    public var state: String
    public var zip: String
    public var country: String
    public var latitude: String?
    public var longitude: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates an address value.
    public init(
        id: AddressID, customerID: CustomerID, kind: AddressKind = .service, street: String, streetLine2: String? = nil, city: String,
        state: String, zip: String, country: String, latitude: String? = nil, longitude: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.customerID = customerID
        self.kind = kind
        self.street = street
        self.streetLine2 = streetLine2
        self.city = city
        self.state = state
        self.zip = zip
        self.country = country
        self.latitude = latitude
        self.longitude = longitude
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The order of a list.
public enum SortDirection: String, Sendable {
    case asc, desc
}
