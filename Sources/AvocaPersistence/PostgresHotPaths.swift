import AvocaCore
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The statements on the path of every request or every word (the customer read, the transcript
/// append), on PostgresNIO's own async pool with prepared statements. Through FluentKit and SQLKit a primary-key read was parsed and planned by the server
/// each time, its columns were looked up by name and decoded through `Decodable`, and the query
/// hopped between the pool's event-loop futures and the request's task; here the statement is
/// prepared once per connection, the rows arrive in binary and are decoded by position.
/// Only on PostgreSQL: SQLite's single connection has no round trip to save.
final class PostgresHotPaths: Sendable {
    let client: PostgresClient
    /// The client works only while its `run()` does; it is started here, not as a service of the
    /// application, so that every user of a database (commands, tests) gets a working client.
    private let runner: Task<Void, Never>

    init(url: String, logger: Logger) throws {
        client = PostgresClient(configuration: try Self.configuration(url), backgroundLogger: logger)
        runner = Task { [client] in await client.run() }
    }

    /// Closes the pool; a read after this fails (it does not wait).
    func shutdown() {
        runner.cancel()
    }

    /// A customer with its addresses (oldest first), in one round trip.
    func customer(_ id: CustomerID) async throws -> Customer? {
        var customer: Customer?
        for try await row in try await client.execute(CustomerByID(id: id.uuid)) {
            if customer == nil { customer = row.customer }
            if let address = row.address { customer?.addresses.append(address) }
        }
        return customer
    }

    /// The client's settings from `DATABASE_URL`, read the way PostgresKit reads it for Fluent's pool
    /// (user, password, host, port, database, and `sslmode`/`tlsmode`, `prefer` by default).
    static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        guard let parts = URLComponents(string: url), let user = parts.user, let host = parts.host, !host.isEmpty else {
            throw DomainError.validation(message: "DATABASE_URL must look like postgres://user:password@host:port/database")
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        let modes = ["tlsmode", "sslmode", "ssl", "tls"]
        let tls: PostgresClient.Configuration.TLS
        switch parts.queryItems?.last(where: { modes.contains($0.name.lowercased()) })?.value ?? "prefer" {
        case "verify-full", "verify-ca", "require": tls = .require(.makeClientConfiguration())
        case "prefer", "allow", "true": tls = .prefer(.makeClientConfiguration())
        case "disable", "false": tls = .disable
        default: throw DomainError.validation(message: "DATABASE_URL has an sslmode PostgreSQL does not know.")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: user.removingPercentEncoding ?? user,
            password: parts.password.map { $0.removingPercentEncoding ?? $0 }, database: database.isEmpty ? nil : database, tls: tls)
        // As many connections as Fluent's pool keeps per event loop: enough for both cores' requests.
        configuration.options.maximumConnections = 8
        return configuration
    }
}

/// `SELECT` of one customer joined with its addresses: one row per address, or one row with a null
/// address for a customer without any. The columns are the general read's, decoded by position.
private struct CustomerByID: PostgresPreparedStatement {
    /// Named here: PostgresNIO's default name is the type's reflected name, built on every execution.
    static let name = "avoca_customer_by_id"
    static let sql = """
        SELECT \(FluentDirectoryRepository.customerColumns), \(FluentDirectoryRepository.addressColumns) FROM customers c \
        LEFT JOIN addresses a ON a.customer_id = c.id WHERE c.id = $1 ORDER BY a.created_at, a.id
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid]

    let id: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> (customer: Customer, address: Address?) {
        var cells = PositionalCells(row)
        let id = try cells.next(UUID.self)
        let customer = Customer(
            id: CustomerID(id), firstName: try cells.next(String?.self), lastName: try cells.next(String?.self),
            email: try cells.next(String?.self), mobileNumber: try cells.next(String?.self), homeNumber: try cells.next(String?.self),
            workNumber: try cells.next(String?.self), company: try cells.next(String?.self),
            notificationsEnabled: try cells.next(Bool.self), leadSource: try cells.next(String?.self), notes: try cells.next(String?.self),
            tags: JSONCoding.decodeStrings(try cells.next(String.self)), addresses: [],
            createdAt: try cells.next(Date.self), updatedAt: try cells.next(Date.self))
        guard let addressID = try cells.next(UUID?.self) else { return (customer, nil) }
        let address = Address(
            id: AddressID(addressID), customerID: CustomerID(id), kind: AddressKind(rawValue: try cells.next(String.self)) ?? .service,
            street: try cells.next(String.self), streetLine2: try cells.next(String?.self), city: try cells.next(String.self),
            state: try cells.next(String.self), zip: try cells.next(String.self), country: try cells.next(String.self),
            latitude: try cells.next(String?.self), longitude: try cells.next(String?.self),
            createdAt: try cells.next(Date.self), updatedAt: try cells.next(Date.self))
        return (customer, address)
    }
}

private struct MissingColumn: Error, CustomStringConvertible {
    var description: String { "The database returned fewer columns than the statement names." }
}

/// A row's cells read left to right; a row shorter than the statement's column list is an error,
/// not a trap.
struct PositionalCells {
    private var iterator: PostgresRow.Iterator

    init(_ row: PostgresRow) { iterator = row.makeIterator() }

    mutating func next<Value: PostgresDecodable>(_: Value.Type) throws -> Value {
        guard let cell = iterator.next() else { throw MissingColumn() }
        return try cell.decode(Value.self, context: .default)
    }
}
