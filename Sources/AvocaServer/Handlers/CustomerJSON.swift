import AvocaCore
import AvocaJSON

/// Writes a customer (with its addresses) as the spec's `Customer` JSON, byte for byte the keys and
/// explicit `null`s that `Components.Schemas.Customer` encodes (AvocaAPI/Encoding), without
/// `JSONEncoder`: the primary-key read spent a seventh of its CPU in Foundation's encoder.
/// `DirectReadTests` holds the two renderings equal, key for key.
enum CustomerJSON {
    /// The body of `GET /customers/{customer_id}`.
    static func encoded(_ customer: Customer) -> String {
        writer(customer).encoded
    }

    /// The same body as UTF-8, as the direct read sends it.
    static func encodedBytes(_ customer: Customer) -> [UInt8] {
        writer(customer).encodedBytes
    }

    private static func writer(_ customer: Customer) -> JSONObjectWriter {
        // A customer with an address or two is about a kilobyte.
        var json = JSONObjectWriter(reservingCapacity: 1024)
        write(customer, to: &json)
        return json
    }

    /// The customer's fields, in the generated encoder's order.
    static func write(_ customer: Customer, to json: inout JSONObjectWriter) {
        json.string("id", customer.id.description)
        json.string("first_name", customer.firstName)
        json.string("last_name", customer.lastName)
        json.string("email", customer.email)
        json.string("mobile_number", customer.mobileNumber)
        json.string("home_number", customer.homeNumber)
        json.string("work_number", customer.workNumber)
        json.string("company", customer.company)
        json.bool("notifications_enabled", customer.notificationsEnabled)
        json.string("lead_source", customer.leadSource)
        json.string("notes", customer.notes)
        json.strings("tags", customer.tags)
        json.objects("addresses", customer.addresses) { json, address in write(address, to: &json) }
        json.string("created_at", InternetDateTime.string(from: customer.createdAt))
        json.string("updated_at", InternetDateTime.string(from: customer.updatedAt))
        // `company_name` and `company_id` are optional and never set for a customer: the
        // generated encoder leaves them out, so this does too.
    }

    /// An address's fields, in the generated encoder's order.
    static func write(_ address: Address, to json: inout JSONObjectWriter) {
        json.string("id", address.id.description)
        json.string("type", address.kind.rawValue)
        json.string("street", address.street)
        json.string("street_line_2", address.streetLine2)
        json.string("city", address.city)
        json.string("state", address.state)
        json.string("zip", address.zip)
        json.string("country", address.country)
        json.string("latitude", address.latitude)
        json.string("longitude", address.longitude)
        json.string("customer_id", address.customerID.description)
        json.string("created_at", InternetDateTime.string(from: address.createdAt))
        json.string("updated_at", InternetDateTime.string(from: address.updatedAt))
    }
}
