import AvocaCore
import AvocaDirectory
import AvocaPersistence
import AvocaTestSupport
import Foundation

/// The directory services on a fresh database, with one customer at one address.
struct DirectoryFixture {
    static let zone = TimeZone(identifier: "America/Chicago")!

    let customers: CustomerService
    let jobs: JobService
    let identity: FluentIdentityRepository
    let customer: Customer

    var customerID: CustomerID { customer.id }
    var addressID: AddressID { customer.addresses[0].id }

    static func run(_ body: (DirectoryFixture) async throws -> Void) async throws {
        try await TestDatabase.withMigrated { database in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let directory = FluentDirectoryRepository(database: database)
            let identity = FluentIdentityRepository(database: database)
            let customers = CustomerService(repository: directory, clock: clock)
            let customer = try await customers.create(
                CustomerInput(
                    firstName: "Maria", lastName: "Gonzalez", mobileNumber: "(312) 555-0142",
                    addresses: [AddressInput(street: "1423 Maple Ave", city: "Springfield", state: "IL", zip: "62704", country: "US")]))
            try await body(
                DirectoryFixture(
                    customers: customers, jobs: JobService(repository: directory, employees: identity, clock: clock, timeZone: zone),
                    identity: identity, customer: customer))
        }
    }

    /// Books a job for the fixture's customer.
    func book(_ start: String, _ end: String, employees: [EmployeeID] = []) async throws -> Job {
        guard let start = ScheduleBound(start), let end = ScheduleBound(end) else { throw TestSetupError("bad bound in test") }
        return try await jobs.create(
            JobInput(customerID: customerID, addressID: addressID, schedule: ScheduleInput(start: start, end: end), assignedEmployeeIDs: employees))
    }

    /// The validation fields a call throws, or `nil` when it does not throw a validation error.
    static func problems(_ body: () async throws -> Void) async -> [String: String]? {
        do {
            try await body()
            return nil
        } catch DomainError.validation(_, let fields) {
            return fields
        } catch {
            return nil
        }
    }

    /// The conflict code a call throws, if any.
    static func conflict(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch DomainError.conflict(let code, _, _) {
            return code
        } catch {
            return nil
        }
    }
}
