import AvocaCore
import Foundation

/// What a client may set on an address.
public struct AddressInput: Sendable {
    public var kind: AddressKind?
    public var street, streetLine2, city, state, zip, country, latitude, longitude: String?

    /// Creates an input.
    public init(
        kind: AddressKind? = nil, street: String?, streetLine2: String? = nil, city: String?, state: String?, zip: String?, country: String?,
        latitude: String? = nil, longitude: String? = nil
    ) {
        self.kind = kind
        self.street = street
        self.streetLine2 = streetLine2
        self.city = city
        self.state = state
        self.zip = zip
        self.country = country
        self.latitude = latitude
        self.longitude = longitude
    }
}
