import AvocaCore
import AvocaPersistence
import AvocaTestSupport
import Foundation
import Testing

/// The no-overlap rule is the database's (an exclusion constraint on PostgreSQL, a serialised write
/// on SQLite), so it holds even for writers that skip the service.
@Suite("Persistence: the store refuses overlapping jobs", .timeLimit(.minutes(4)))
struct JobOverlapStoreTests {
    static let zone = TimeZone(identifier: "America/Chicago")!

    @Test("20 concurrent inserts of the same slot for one customer: one is stored, the others are a job_overlap conflict")
    func concurrentInserts() async throws {
        try await TestDatabase.withMigrated { database in
            let directory = FluentDirectoryRepository(database: database)
            let now = Date()
            var customer = Customer(id: .random(), createdAt: now, updatedAt: now)
            customer.firstName = "Dee"
            let address = Address(
                id: .random(), customerID: customer.id, kind: .service, street: "1 Main St", city: "Springfield", state: "IL", zip: "62704",
                country: "US", createdAt: now, updatedAt: now)
            customer.addresses = [address]
            try await directory.createCustomer(customer)
            let schedule = try JobSchedule(
                start: .day(year: 2027, month: 3, day: 10), end: .day(year: 2027, month: 3, day: 12), arrivalWindow: 0, timeZone: Self.zone)
            let customerID = customer.id
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await directory.createJob(
                                NewJob(
                                    id: .random(), invoiceNumber: nil, name: nil, description: nil, customerID: customerID, addressID: address.id,
                                    schedule: schedule, assignedEmployeeIDs: [], tags: [], leadSource: nil, notes: [], createdAt: now))
                            return "stored"
                        } catch DomainError.conflict(let code, _, _) {
                            return code
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "stored" }.count == 1)
            #expect(outcomes.filter { $0 == "job_overlap" }.count == 19, "\(Set(outcomes))")
            #expect(try await directory.jobs(JobQuery(customerID: customer.id)).totalItems == 1)
        }
    }
}
