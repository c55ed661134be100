import AvocaAPI
import AvocaCore
import AvocaDirectory
import Foundation

extension APIHandler {
    func listCustomers(_ input: Operations.ListCustomers.Input) async throws -> Operations.ListCustomers.Output {
        let (page, size) = try Paging.validate(page: input.query.page, pageSize: input.query.pageSize)
        let query = CustomerQuery(
            search: input.query.q.flatMap(CustomerSearchTerm.init), page: page, pageSize: size,
            sortBy: CustomerQuery.SortField(rawValue: input.query.sortBy?.rawValue ?? "created_at") ?? .createdAt,
            direction: input.query.sortDirection == .asc ? .asc : .desc)
        let result = try await customers.search(query)
        return .ok(
            .init(
                body: .json(
                    .init(
                        page: result.page, pageSize: result.pageSize, totalPages: result.totalPages, totalItems: result.totalItems,
                        totalItemsCapped: result.totalIsCapped, customers: result.items.map(Components.Schemas.Customer.init)))))
    }

    func createCustomer(_ input: Operations.CreateCustomer.Input) async throws -> Operations.CreateCustomer.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let customer = try await customers.create(
            CustomerInput(
                firstName: body.firstName, lastName: body.lastName, email: body.email, company: body.company, mobileNumber: body.mobileNumber,
                homeNumber: body.homeNumber, workNumber: body.workNumber, leadSource: body.leadSource, notes: body.notes,
                notificationsEnabled: body.notificationsEnabled, tags: body.tags, addresses: (body.addresses ?? []).map(AddressInput.init)))
        return .created(.init(body: .json(.init(customer))))
    }

    func getCustomer(_ input: Operations.GetCustomer.Input) async throws -> Operations.GetCustomer.Output {
        .ok(.init(body: .json(.init(try await customers.customer(try Self.customerID(input.path.customerId))))))
    }

    func updateCustomer(_ input: Operations.UpdateCustomer.Input) async throws -> Operations.UpdateCustomer.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let customer = try await customers.update(
            try Self.customerID(input.path.customerId),
            with: CustomerInput(
                firstName: body.firstName, lastName: body.lastName, email: body.email, company: body.company, mobileNumber: body.mobileNumber,
                homeNumber: body.homeNumber, workNumber: body.workNumber, leadSource: body.leadSource, notes: body.notes ?? body.note,
                notificationsEnabled: body.notificationsEnabled, tags: body.tags))
        return .ok(.init(body: .json(.init(customer))))
    }

    func listCustomerAddresses(_ input: Operations.ListCustomerAddresses.Input) async throws -> Operations.ListCustomerAddresses.Output {
        let (page, size) = try Paging.validate(page: input.query.page, pageSize: input.query.pageSize)
        let result = try await customers.addresses(
            of: try Self.customerID(input.path.customerId), page: page, pageSize: size, newestFirst: input.query.sortDirection != .asc,
            sortByUpdated: input.query.sortBy == .updatedAt)
        return .ok(
            .init(
                body: .json(
                    .init(
                        page: result.page, pageSize: result.pageSize, totalPages: result.totalPages, totalItems: result.totalItems,
                        addresses: result.items.map(Components.Schemas.Address.init)))))
    }

    func createCustomerAddress(_ input: Operations.CreateCustomerAddress.Input) async throws -> Operations.CreateCustomerAddress.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let address = try await customers.addAddress(AddressInput(body), to: try Self.customerID(input.path.customerId))
        return .ok(.init(body: .json(.init(address))))
    }

    func updateCustomerAddress(_ input: Operations.UpdateCustomerAddress.Input) async throws -> Operations.UpdateCustomerAddress.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        guard let addressID = AddressID(input.path.addressId) else { throw DomainError.notFound(entity: "address") }
        let address = try await customers.updateAddress(addressID, of: try Self.customerID(input.path.customerId), AddressInput(body))
        return .ok(.init(body: .json(.init(address))))
    }

    func deleteCustomerAddress(_ input: Operations.DeleteCustomerAddress.Input) async throws -> Operations.DeleteCustomerAddress.Output {
        guard let addressID = AddressID(input.path.addressId) else { throw DomainError.notFound(entity: "address") }
        try await customers.deleteAddress(addressID, of: try Self.customerID(input.path.customerId))
        return .noContent(.init())
    }

    func getCustomerAddress(_ input: Operations.GetCustomerAddress.Input) async throws -> Operations.GetCustomerAddress.Output {
        guard let addressID = AddressID(input.path.addressId) else { throw DomainError.notFound(entity: "address") }
        let address = try await customers.address(addressID, of: try Self.customerID(input.path.customerId))
        return .ok(.init(body: .json(.init(address))))
    }

    static func customerID(_ raw: String) throws -> CustomerID {
        guard let id = CustomerID(raw) else { throw DomainError.notFound(entity: "customer") }
        return id
    }
}

extension AddressInput {
    init(_ body: Components.Schemas.AddressCreate) {
        self.init(
            kind: body._type.flatMap { AddressKind(rawValue: $0.rawValue) }, street: body.street, streetLine2: body.streetLine2, city: body.city,
            state: body.state, zip: body.zip, country: body.country, latitude: body.latitude.map { String($0) },
            longitude: body.longitude.map { String($0) })
    }
}

extension Components.Schemas.Customer {
    init(_ customer: Customer) {
        self.init(
            id: customer.id.description, firstName: customer.firstName, lastName: customer.lastName, email: customer.email,
            mobileNumber: customer.mobileNumber, homeNumber: customer.homeNumber, workNumber: customer.workNumber, company: customer.company,
            notificationsEnabled: customer.notificationsEnabled, leadSource: customer.leadSource, notes: customer.notes, tags: customer.tags,
            addresses: customer.addresses.map(Components.Schemas.Address.init), createdAt: customer.createdAt, updatedAt: customer.updatedAt,
            companyName: nil, companyId: nil)
    }
}

extension Components.Schemas.Address {
    init(_ address: Address) {
        self.init(
            id: address.id.description, _type: address.kind == .billing ? .billing : .service, street: address.street,
            streetLine2: address.streetLine2, city: address.city, state: address.state, zip: address.zip, country: address.country,
            latitude: address.latitude, longitude: address.longitude, customerId: address.customerID.description, createdAt: address.createdAt,
            updatedAt: address.updatedAt)
    }
}
