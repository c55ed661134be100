import AvocaCore
import FluentKit
import Foundation
import SQLKit

/// Customers with their addresses in one round trip, decoded straight from the rows. These are
/// the hottest reads (a screen-pop, every search page, every integration's sync); Fluent took two
/// queries and spent more time reflecting over its models than the database spent answering.
extension FluentDirectoryRepository {
    /// The customers with these ids, in the order given (unknown ids are left out).
    func customers(ids: [UUID]) async throws -> [Customer] {
        guard !ids.isEmpty else { return [] }
        let rows = try await db.sql.raw(
            """
            SELECT \(unsafeRaw: Self.customerColumns), \(unsafeRaw: Self.addressColumns) FROM customers c \
            LEFT JOIN addresses a ON a.customer_id = c.id WHERE c.id IN (\(binds: ids)) ORDER BY a.created_at, a.id
            """
        ).all()
        var customers: [UUID: Customer] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            if customers[id] == nil { customers[id] = try Self.customer(row, id: id) }
            if let address = try Self.address(row, customerID: id) { customers[id]?.addresses.append(address) }
        }
        return ids.compactMap { customers[$0] }
    }

    /// The columns of a customer read, in the order the prepared read (`PostgresHotPaths`) decodes them.
    static let customerColumns = """
        c.id, c.first_name, c.last_name, c.email, c.mobile_number, c.home_number, c.work_number, c.company, \
        c.notifications_enabled, c.lead_source, c.notes, c.tags, c.created_at, c.updated_at
        """

    /// The columns of its joined address, in the order the prepared read decodes them.
    static let addressColumns = """
        a.id AS a_id, a.type AS a_type, a.street AS a_street, a.street_line_2 AS a_street_line_2, a.city AS a_city, \
        a.state AS a_state, a.zip AS a_zip, a.country AS a_country, a.latitude AS a_latitude, a.longitude AS a_longitude, \
        a.created_at AS a_created_at, a.updated_at AS a_updated_at
        """

    private static func customer(_ row: any SQLRow, id: UUID) throws -> Customer {
        Customer(
            id: CustomerID(id), firstName: try row.decode(column: "first_name", as: String?.self),
            lastName: try row.decode(column: "last_name", as: String?.self), email: try row.decode(column: "email", as: String?.self),
            mobileNumber: try row.decode(column: "mobile_number", as: String?.self),
            homeNumber: try row.decode(column: "home_number", as: String?.self),
            workNumber: try row.decode(column: "work_number", as: String?.self), company: try row.decode(column: "company", as: String?.self),
            notificationsEnabled: try row.decode(column: "notifications_enabled", as: Bool.self),
            leadSource: try row.decode(column: "lead_source", as: String?.self), notes: try row.decode(column: "notes", as: String?.self),
            tags: JSONCoding.decodeStrings(try row.decode(column: "tags", as: String.self)), addresses: [],
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    /// The address half of a joined row, or nil for a customer without addresses.
    private static func address(_ row: any SQLRow, customerID: UUID) throws -> Address? {
        guard let id = try row.decode(column: "a_id", as: UUID?.self) else { return nil }
        return Address(
            id: AddressID(id), customerID: CustomerID(customerID),
            kind: AddressKind(rawValue: try row.decode(column: "a_type", as: String.self)) ?? .service,
            street: try row.decode(column: "a_street", as: String.self), streetLine2: try row.decode(column: "a_street_line_2", as: String?.self),
            city: try row.decode(column: "a_city", as: String.self), state: try row.decode(column: "a_state", as: String.self),
            zip: try row.decode(column: "a_zip", as: String.self), country: try row.decode(column: "a_country", as: String.self),
            latitude: try row.decode(column: "a_latitude", as: String?.self), longitude: try row.decode(column: "a_longitude", as: String?.self),
            createdAt: try row.decode(column: "a_created_at", as: Date.self), updatedAt: try row.decode(column: "a_updated_at", as: Date.self))
    }
}
