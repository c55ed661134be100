import AvocaCore
import Foundation

/// Customers and their addresses, with Housecall Pro's validation rules.
public struct CustomerService: Sendable {
    let repository: any DirectoryRepository
    let clock: any AppClock

    /// Creates the service.
    public init(repository: any DirectoryRepository, clock: any AppClock) {
        self.repository = repository
        self.clock = clock
    }

    /// Creates a customer and its addresses, all or nothing.
    public func create(_ input: CustomerInput) async throws -> Customer {
        let now = clock.now()
        var fields: [String: String] = [:]
        var customer = Customer(id: .random(), createdAt: now, updatedAt: now)
        Self.apply(input, to: &customer, fields: &fields)
        if customer.isNameless {
            fields["first_name"] = "Give at least a name, an e-mail address or a phone number."
        }
        customer.addresses = input.addresses.enumerated().compactMap { index, address in
            Self.address(address, for: customer.id, at: now, prefix: "addresses[\(index)].", fields: &fields)
        }
        guard fields.isEmpty else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields) }
        try await repository.createCustomer(customer)
        return customer
    }

    /// Updates the given fields of a customer.
    public func update(_ id: CustomerID, with input: CustomerInput) async throws -> Customer {
        guard var customer = try await repository.customer(id) else { throw DomainError.notFound(entity: "customer") }
        var fields: [String: String] = [:]
        Self.apply(input, to: &customer, fields: &fields)
        if customer.isNameless { fields["first_name"] = "A customer needs at least a name, an e-mail address or a phone number." }
        guard fields.isEmpty else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields) }
        customer.updatedAt = clock.now()
        try await repository.updateCustomer(customer)
        return customer
    }

    /// One customer with addresses.
    public func customer(_ id: CustomerID) async throws -> Customer {
        guard let customer = try await repository.customer(id) else { throw DomainError.notFound(entity: "customer") }
        return customer
    }

    /// Searches and pages customers.
    public func search(_ query: CustomerQuery) async throws -> ResultPage<Customer> {
        try await repository.customers(query)
    }

    /// Customers whose phone numbers match `number` (any format), for the caller screen pop.
    public func matching(phone number: String) async throws -> [Customer] {
        guard let phone = PhoneNumber(number) else { return [] }
        return try await repository.customers(phoneDigits: phone.digits, limit: 5)
    }

    /// Adds an address to a customer.
    public func addAddress(_ input: AddressInput, to customerID: CustomerID) async throws -> Address {
        guard let customer = try await repository.customer(customerID) else { throw DomainError.notFound(entity: "customer") }
        var fields: [String: String] = [:]
        guard let address = Self.address(input, for: customerID, at: clock.now(), prefix: "", fields: &fields), fields.isEmpty else {
            throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields)
        }
        // A second copy of an address splits the customer's job history between two rows; the CSR
        // heard an address that is already on file and should book at that one. Checked again where
        // the address is written, so two simultaneous adds of one place store it once.
        let duplicate = { (found: Address) in
            DomainError.conflict(code: "duplicate_address", message: "\(found.street), \(found.city) is already on file for this customer — use it.")
        }
        if let same = customer.addresses.first(where: { $0.sameLocation(as: address) }) { throw duplicate(same) }
        if let same = try await repository.addAddress(address, unlessOnFile: { $0.sameLocation(as: address) }) { throw duplicate(same) }
        return address
    }

    /// Replaces an address's fields (the same rules as adding one): a copy of another address on
    /// file is refused like a new one, `duplicate_address`.
    public func updateAddress(_ id: AddressID, of customerID: CustomerID, _ input: AddressInput) async throws -> Address {
        guard let customer = try await repository.customer(customerID) else { throw DomainError.notFound(entity: "customer") }
        guard let existing = customer.addresses.first(where: { $0.id == id }) else { throw DomainError.notFound(entity: "address") }
        var fields: [String: String] = [:]
        guard var address = Self.address(input, for: customerID, at: clock.now(), prefix: "", fields: &fields), fields.isEmpty else {
            throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields)
        }
        address.id = existing.id
        address.createdAt = existing.createdAt
        if input.kind == nil { address.kind = existing.kind }
        if customer.addresses.contains(where: { $0.id != id && $0.sameLocation(as: address) }) {
            throw DomainError.conflict(
                code: "duplicate_address", message: "\(address.street), \(address.city) is already on file for this customer — use it.")
        }
        guard try await repository.updateAddress(address) else { throw DomainError.notFound(entity: "address") }
        return address
    }

    /// Removes an address no job uses. One a job uses (even a canceled or finished one) stays: the
    /// job's history keeps its place, and the answer (`address_in_use`) names those jobs.
    public func deleteAddress(_ id: AddressID, of customerID: CustomerID) async throws {
        guard try await repository.customer(customerID) != nil else { throw DomainError.notFound(entity: "customer") }
        let users = try await repository.deleteAddress(id, of: customerID)
        guard users.isEmpty else {
            let numbers = users.prefix(5).map { "#\($0.invoiceNumber)" }.joined(separator: ", ")
            let message =
                users.count == 1
                ? "Job \(numbers) is booked at this address, so it stays on file to keep the job's history."
                : "\(users.count) jobs (\(numbers)\(users.count > 5 ? "…" : "")) are booked at this address, so it stays on file to keep their history."
            throw DomainError.conflict(
                code: "address_in_use", message: message,
                details: ConflictDetails(conflictingJobIDs: users.map(\.id.description)))
        }
    }

    /// One page of a customer's addresses.
    public func addresses(
        of customerID: CustomerID, page: Int, pageSize: Int, newestFirst: Bool, sortByUpdated: Bool
    ) async throws
        -> ResultPage<Address>
    {
        guard try await repository.customer(customerID) != nil else { throw DomainError.notFound(entity: "customer") }
        return try await repository.addresses(of: customerID, page: page, pageSize: pageSize, newestFirst: newestFirst, sortByUpdated: sortByUpdated)
    }

    /// One address of a customer (404 when it belongs to someone else).
    public func address(_ id: AddressID, of customerID: CustomerID) async throws -> Address {
        guard let address = try await repository.customer(customerID)?.addresses.first(where: { $0.id == id }) else {
            throw DomainError.notFound(entity: "address")
        }
        return address
    }

    // MARK: Validation

    static let maxLength = 255

    /// Copies given fields onto `customer`, validating each; an empty string clears.
    static func apply(_ input: CustomerInput, to customer: inout Customer, fields: inout [String: String]) {
        func text(_ value: String?, _ name: String, _ keyPath: WritableKeyPath<Customer, String?>, limit: Int = maxLength) {
            guard let value else { return }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.count > limit { fields[name] = "At most \(limit) characters." }
            customer[keyPath: keyPath] = trimmed.isEmpty ? nil : trimmed
        }
        text(input.firstName, "first_name", \.firstName)
        text(input.lastName, "last_name", \.lastName)
        text(input.company, "company", \.company)
        text(input.leadSource, "lead_source", \.leadSource)
        text(input.notes, "notes", \.notes, limit: 10_000)
        if let email = input.email {
            if email.trimmingCharacters(in: .whitespaces).isEmpty {
                customer.email = nil
            } else if let parsed = EmailAddress(email) {
                customer.email = parsed.value
            } else {
                fields["email"] = "Enter a valid e-mail address."
            }
        }
        for (value, name, keyPath) in [
            (input.mobileNumber, "mobile_number", \Customer.mobileNumber), (input.homeNumber, "home_number", \.homeNumber),
            (input.workNumber, "work_number", \.workNumber),
        ] {
            guard let value else { continue }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                customer[keyPath: keyPath] = nil
            } else if PhoneNumber(trimmed) == nil {
                fields[name] = "Enter a phone number such as (312) 555-0142."
            } else {
                customer[keyPath: keyPath] = trimmed
            }
        }
        if let enabled = input.notificationsEnabled { customer.notificationsEnabled = enabled }
        if let tags = input.tags {
            let cleaned = tags.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            if cleaned.count > 50 || cleaned.contains(where: { $0.count > 100 }) { fields["tags"] = "Up to 50 tags of up to 100 characters." }
            customer.tags = Array(NSOrderedSet(array: cleaned)) as? [String] ?? cleaned
        }
    }

    /// A validated address, or `nil` with the problems added to `fields`.
    static func address(_ input: AddressInput, for customerID: CustomerID, at now: Date, prefix: String, fields: inout [String: String]) -> Address? {
        var values: [String: String] = [:]
        for (name, value) in [("street", input.street), ("city", input.city), ("state", input.state), ("zip", input.zip), ("country", input.country)]
        {
            let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if trimmed.isEmpty {
                fields[prefix + name] = "Required."
            } else if trimmed.count > maxLength {
                fields[prefix + name] = "At most \(maxLength) characters."
            } else {
                values[name] = trimmed
            }
        }
        var placed = true
        for (name, value, limit) in [("latitude", input.latitude, 90.0), ("longitude", input.longitude, 180.0)] {
            guard let value else { continue }
            if let degrees = Double(value), degrees.isFinite, abs(degrees) <= limit { continue }
            fields[prefix + name] = "A number of degrees from -\(Int(limit)) to \(Int(limit))."
            placed = false
        }
        let line2 = input.streetLine2?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard placed, let street = values["street"], let city = values["city"], let state = values["state"], let zip = values["zip"],
            let country = values["country"]
        else { return nil }
        return Address(
            id: .random(), customerID: customerID, kind: input.kind ?? .service, street: street, streetLine2: line2?.isEmpty == false ? line2 : nil,
            city: city, state: state, zip: zip, country: country, latitude: input.latitude, longitude: input.longitude, createdAt: now,
            updatedAt: now)
    }
}
