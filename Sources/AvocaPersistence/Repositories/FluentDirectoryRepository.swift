import AvocaCore
import FluentKit
import Foundation
import SQLKit

/// `DirectoryRepository` on FluentKit. Searches go through one indexed text column (pg_trgm on
/// PostgreSQL, an FTS5 trigram table on SQLite); job overlap is decided inside the write.
public struct FluentDirectoryRepository: DirectoryRepository {
    let database: AvocaDatabase
    var db: any Database { database.db }
    var isPostgres: Bool { database.location.isPostgres }

    /// Creates the repository.
    public init(database: AvocaDatabase) { self.database = database }

    // MARK: Customers

    public func createCustomer(_ customer: Customer) async throws {
        let isPostgres = isPostgres
        try await db.transaction { tx in
            try await CustomerModel(customer).create(on: tx)
            for address in customer.addresses { try await AddressModel(address).create(on: tx) }
            if !isPostgres { try await Self.writeSearchRow(customer, isNew: true, on: tx) }
        }
    }

    public func updateCustomer(_ customer: Customer) async throws {
        let isPostgres = isPostgres
        try await db.transaction { tx in
            guard let model = try await CustomerModel.find(customer.id.uuid, on: tx) else { throw DomainError.notFound(entity: "customer") }
            model.apply(customer)
            try await model.update(on: tx)
            if !isPostgres { try await Self.writeSearchRow(customer, isNew: false, on: tx) }
        }
    }

    public func customer(_ id: CustomerID) async throws -> Customer? {
        if let hotPaths = database.hotPaths { return try await hotPaths.customer(id) }
        return try await customers(ids: [id.uuid]).first
    }

    public func addAddress(_ address: Address, unlessOnFile isSamePlace: @escaping @Sendable (Address) -> Bool) async throws -> Address? {
        let isPostgres = isPostgres
        return try await db.transaction { tx -> Address? in
            // Concurrent adds for one customer take turns here: on PostgreSQL the customer's row
            // lock (held to the commit, on every instance); on SQLite the single connection already
            // runs one transaction at a time. So the addresses read below are all there are.
            if isPostgres {
                try await tx.sql.raw("SELECT id FROM customers WHERE id = \(bind: address.customerID.uuid) FOR UPDATE").run()
            }
            let onFile = try await AddressModel.query(on: tx).filter(\.$customerID == address.customerID.uuid).all().map(\.domain)
            if let same = onFile.first(where: isSamePlace) { return same }
            try await AddressModel(address).create(on: tx)
            // The address becomes searchable with its customer.
            try await Self.refreshSearch(of: address.customerID, isPostgres: isPostgres, on: tx)
            return nil
        }
    }

    public func addresses(
        of customerID: CustomerID, page: Int, pageSize: Int, newestFirst: Bool, sortByUpdated: Bool
    ) async throws
        -> ResultPage<Address>
    {
        let base = AddressModel.query(on: db).filter(\.$customerID == customerID.uuid)
        let total = try await base.count()
        let key: KeyPath<AddressModel, FieldProperty<AddressModel, Date>> = sortByUpdated ? \.$updatedAt : \.$createdAt
        let rows = try await AddressModel.query(on: db).filter(\.$customerID == customerID.uuid)
            .sort(key, newestFirst ? .descending : .ascending).sort(\.$id, newestFirst ? .descending : .ascending)
            .range(try PageWindow(page: page, pageSize: pageSize).rows).all()
        return ResultPage(items: rows.map(\.domain), page: page, pageSize: pageSize, totalItems: total)
    }

    /// Customers by id, in the order given, with their addresses.
    static func loadAddresses(_ models: [CustomerModel], on db: any Database) async throws -> [Customer] {
        guard !models.isEmpty else { return [] }
        let addresses = try await AddressModel.query(on: db).filter(\.$customerID ~~ models.compactMap(\.id))
            .sort(\.$createdAt, .ascending).sort(\.$id, .ascending).all()
        let grouped = Dictionary(grouping: addresses.map(\.domain), by: { $0.customerID })
        return models.map { $0.domain(addresses: grouped[CustomerID($0.id!)] ?? []) }
    }
}

// MARK: Mapping

extension CustomerModel {
    convenience init(_ customer: Customer) {
        self.init()
        id = customer.id.uuid
        createdAt = customer.createdAt
        apply(customer)
    }

    /// Copies the editable fields and recomputes the search columns.
    func apply(_ customer: Customer) {
        firstName = customer.firstName
        lastName = customer.lastName
        email = customer.email
        mobileNumber = customer.mobileNumber
        homeNumber = customer.homeNumber
        workNumber = customer.workNumber
        company = customer.company
        notificationsEnabled = customer.notificationsEnabled
        leadSource = customer.leadSource
        notes = customer.notes
        tags = JSONCoding.encode(customer.tags)
        searchText = CustomerSearchTerm.searchText(for: customer)
        phoneDigits = customer.phoneNumbers.map(\.digits).joined(separator: " ")
        firstNameKey = customer.firstName?.lowercased() ?? ""
        lastNameKey = customer.lastName?.lowercased() ?? ""
        updatedAt = customer.updatedAt
    }

    func domain(addresses: [Address]) -> Customer {
        Customer(
            id: CustomerID(id!), firstName: firstName, lastName: lastName, email: email, mobileNumber: mobileNumber, homeNumber: homeNumber,
            workNumber: workNumber, company: company, notificationsEnabled: notificationsEnabled, leadSource: leadSource, notes: notes,
            tags: JSONCoding.decodeStrings(tags), addresses: addresses, createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension AddressModel {
    convenience init(_ address: Address) {
        self.init()
        id = address.id.uuid
        customerID = address.customerID.uuid
        createdAt = address.createdAt
        update(from: address)
    }

    /// The fields an edit may change (everything but the ids and `created_at`).
    func update(from address: Address) {
        type = address.kind.rawValue
        street = address.street
        streetLine2 = address.streetLine2
        city = address.city
        state = address.state
        zip = address.zip
        country = address.country
        latitude = address.latitude
        longitude = address.longitude
        updatedAt = address.updatedAt
    }

    var domain: Address {
        Address(
            id: AddressID(id!), customerID: CustomerID(customerID), kind: AddressKind(rawValue: type) ?? .service, street: street,
            streetLine2: streetLine2, city: city, state: state, zip: zip, country: country, latitude: latitude, longitude: longitude,
            createdAt: createdAt, updatedAt: updatedAt)
    }
}

/// Tags are stored as a JSON array in a text column (portable across both databases).
enum JSONCoding {
    static func encode(_ strings: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func decodeStrings(_ text: String) -> [String] {
        // Most customers have no tags: that read skips a JSONDecoder (1.5 % of a customer read).
        if text == "[]" { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
