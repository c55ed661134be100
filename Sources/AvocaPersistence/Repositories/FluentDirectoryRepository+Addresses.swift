import AvocaCore
import FluentKit
import Foundation
import SQLKit

extension FluentDirectoryRepository {
    public func updateAddress(_ address: Address) async throws -> Bool {
        let isPostgres = isPostgres
        return try await db.transaction { tx in
            guard
                let model = try await AddressModel.query(on: tx).filter(\.$id == address.id.uuid)
                    .filter(\.$customerID == address.customerID.uuid).first()
            else { return false }
            model.update(from: address)
            try await model.update(on: tx)
            try await Self.refreshSearch(of: address.customerID, isPostgres: isPostgres, on: tx)
            return true
        }
    }

    public func deleteAddress(_ id: AddressID, of customerID: CustomerID) async throws -> [Job] {
        let isPostgres = isPostgres
        let users: [UUID] = try await db.transaction { tx in
            guard
                let model = try await AddressModel.query(on: tx).filter(\.$id == id.uuid).filter(\.$customerID == customerID.uuid)
                    .first()
            else { throw DomainError.notFound(entity: "address") }
            let users = try await JobModel.query(on: tx).filter(\.$addressID == id.uuid).sort(\.$invoiceNumber).limit(20).all()
            guard users.isEmpty else { return users.compactMap(\.id) }
            do {
                try await model.delete(on: tx)
            } catch  where error.isUniqueViolation {
                // A job booked at this address while it was being removed: the foreign key saw it.
                throw DomainError.conflict(code: "address_in_use", message: "A job was just booked at this address; it stays on file.")
            }
            try await Self.refreshSearch(of: customerID, isPostgres: isPostgres, on: tx)
            return []
        }
        var jobs: [Job] = []
        for user in users { if let job = try await job(JobID(user)) { jobs.append(job) } }
        return jobs
    }

    /// Recomputes a customer's search columns after its addresses changed (street, city and zip are searchable).
    static func refreshSearch(of customerID: CustomerID, isPostgres: Bool, on tx: any Database) async throws {
        guard let model = try await CustomerModel.find(customerID.uuid, on: tx), let customer = try await loadAddresses([model], on: tx).first
        else { throw DomainError.notFound(entity: "customer") }
        model.apply(customer)
        try await model.update(on: tx)
        if !isPostgres { try await writeSearchRow(customer, isNew: false, on: tx) }
    }
}
