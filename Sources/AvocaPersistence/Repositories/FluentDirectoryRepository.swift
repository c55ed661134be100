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
            // A new customer has no FTS row yet: insert only (deleting by the unindexed id column scans the table).
            if !isPostgres { try await Self.writeSearchRow(customer, replacing: false, on: tx) }
        }
    }

    public func updateCustomer(_ customer: Customer) async throws {
        let isPostgres = isPostgres
        try await db.transaction { tx in
            guard let model = try await CustomerModel.find(customer.id.uuid, on: tx) else { throw DomainError.notFound(entity: "customer") }
            model.apply(customer)
            try await model.update(on: tx)
            if !isPostgres { try await Self.writeSearchRow(customer, on: tx) }
        }
    }

    public func customer(_ id: CustomerID) async throws -> Customer? {
        guard let model = try await CustomerModel.find(id.uuid, on: db) else { return nil }
        return try await attachAddresses([model], on: db).first
    }

    public func customers(_ query: CustomerQuery) async throws -> ResultPage<Customer> {
        let filter = customerFilter(query.search)
        let countRow = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("customers")
            .where(filter).first()
        let total = try countRow?.decode(column: "count", as: Int.self) ?? 0
        let sortColumn: String =
            switch query.sortBy {
            case .createdAt: "created_at"
            case .updatedAt: "updated_at"
            case .firstName: "first_name_key"
            case .lastName: "last_name_key"
            }
        let direction: SQLDirection = query.direction == .asc ? .ascending : .descending
        let rows = try await db.sql.select().column("id").from("customers").where(filter)
            .orderBy(sortColumn, direction).orderBy("id", direction)
            .limit(query.pageSize).offset((query.page - 1) * query.pageSize).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        return ResultPage(items: try await customers(ids: ids), page: query.page, pageSize: query.pageSize, totalItems: total)
    }

    public func customers(phoneDigits: String, limit: Int) async throws -> [Customer] {
        guard phoneDigits.count >= 7, let term = CustomerSearchTerm(phoneDigits) else { return [] }
        // The digits are part of the indexed search text, so the trigram index finds candidates;
        // only customers with exactly this number are kept.
        let rows = try await db.sql.select().column("id").from("customers").where(customerFilter(term)).limit(50).all()
        let candidates = try await customers(ids: try rows.map { try $0.decode(column: "id", as: UUID.self) })
        return Array(candidates.filter { $0.phoneNumbers.contains { $0.digits == phoneDigits } }.prefix(limit))
    }

    public func addAddress(_ address: Address) async throws {
        let isPostgres = isPostgres
        try await db.transaction { tx in
            try await AddressModel(address).create(on: tx)
            // The address becomes searchable with its customer.
            guard let model = try await CustomerModel.find(address.customerID.uuid, on: tx),
                let customer = try await Self.loadAddresses([model], on: tx).first
            else { throw DomainError.notFound(entity: "customer") }
            model.apply(customer)
            try await model.update(on: tx)
            if !isPostgres { try await Self.writeSearchRow(customer, on: tx) }
        }
    }

    public func addresses(of customerID: CustomerID, page: Int, pageSize: Int, newestFirst: Bool, sortByUpdated: Bool) async throws
        -> ResultPage<Address>
    {
        let base = AddressModel.query(on: db).filter(\.$customerID == customerID.uuid)
        let total = try await base.count()
        let key: KeyPath<AddressModel, FieldProperty<AddressModel, Date>> = sortByUpdated ? \.$updatedAt : \.$createdAt
        let rows = try await AddressModel.query(on: db).filter(\.$customerID == customerID.uuid)
            .sort(key, newestFirst ? .descending : .ascending).sort(\.$id, newestFirst ? .descending : .ascending)
            .range(((page - 1) * pageSize)..<(page * pageSize)).all()
        return ResultPage(items: rows.map(\.domain), page: page, pageSize: pageSize, totalItems: total)
    }

    // MARK: Search internals

    /// The WHERE clause for a search. Needles of three or more characters use the trigram index;
    /// shorter ones match name prefixes through the sort-key indexes.
    private func customerFilter(_ search: CustomerSearchTerm?) -> any SQLExpression {
        guard let needle = search?.needle else { return SQLQueryString("1 = 1") }
        if needle.count < 3 {
            let upper = needle + "\u{10FFFF}"
            return SQLQueryString(
                "((first_name_key >= \(bind: needle) AND first_name_key < \(bind: upper)) OR (last_name_key >= \(bind: needle) AND last_name_key < \(bind: upper)))")
        }
        if isPostgres {
            let escaped = needle.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            return SQLQueryString("search_text LIKE \(bind: "%" + escaped + "%")")
        }
        // FTS5's trigram index serves LIKE directly. It has no ESCAPE, so % and _ in a query act as
        // wildcards there (a slightly wider match, never a missed one).
        return SQLQueryString("id IN (SELECT customer_id FROM customers_fts WHERE search_text LIKE \(bind: "%" + needle + "%"))")
    }

    /// Keeps the SQLite FTS row of a customer in step with its search text.
    static func writeSearchRow(_ customer: Customer, replacing: Bool = true, on db: any Database) async throws {
        if replacing { try await db.sql.delete(from: "customers_fts").where("customer_id", .equal, customer.id.uuid).run() }
        try await db.sql.insert(into: "customers_fts").columns("customer_id", "search_text")
            .values(SQLBind(customer.id.uuid), SQLBind(CustomerSearchTerm.searchText(for: customer))).run()
    }

    /// Customers by id, in the order given, with their addresses.
    func customers(ids: [UUID]) async throws -> [Customer] {
        guard !ids.isEmpty else { return [] }
        let models = try await CustomerModel.query(on: db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(uniqueKeysWithValues: try await attachAddresses(models, on: db).map { ($0.id.uuid, $0) })
        return ids.compactMap { byID[$0] }
    }

    private func attachAddresses(_ models: [CustomerModel], on db: any Database) async throws -> [Customer] {
        try await Self.loadAddresses(models, on: db)
    }

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
        type = address.kind.rawValue
        street = address.street
        streetLine2 = address.streetLine2
        city = address.city
        state = address.state
        zip = address.zip
        country = address.country
        latitude = address.latitude
        longitude = address.longitude
        createdAt = address.createdAt
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
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
