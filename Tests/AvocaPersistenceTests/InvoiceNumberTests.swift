import AvocaCore
import AvocaTestSupport
import Foundation
import SQLKit
import Testing

@testable import AvocaPersistence

/// Invoice numbers under concurrent bookings: every booking gets its own, the next after the
/// highest already used, whoever wrote that one (a client's chosen number, a bulk insert).
@Suite("Persistence: invoice numbers of concurrent bookings", .timeLimit(.minutes(4)))
struct InvoiceNumberTests {
    static let zone = TimeZone(identifier: "America/Chicago")!

    @Test("40 concurrent bookings after a client-chosen 7000 are all stored, numbered 7001…7040, with their notes and employees")
    func concurrentBookings() async throws {
        try await TestDatabase.withMigrated { database in
            let directory = FluentDirectoryRepository(database: database)
            let (customer, address) = try await Self.customer(in: directory)
            let now = Date()
            let employee = try await Self.employee(in: database)
            _ = try await directory.createJob(Self.job(customer, address, day: 1, invoiceNumber: 7000, now: now))
            if database.location.isPostgres {
                // The client's number moved the sequence, so the 40 below do not all try 7001 first.
                #expect(try await Self.sequenceValue(database) == 7000)
            }
            let outcomes = await withTaskGroup(of: Result<Job, any Error>.self) { group in
                for day in 2...41 {
                    group.addTask {
                        var job = Self.job(customer, address, day: day, invoiceNumber: nil, now: now)
                        job.notes = ["Gate code \(day)"]
                        job.assignedEmployeeIDs = [employee]
                        do { return .success(try await directory.createJob(job)) } catch { return .failure(error) }
                    }
                }
                return await group.reduce(into: [Result<Job, any Error>]()) { $0.append($1) }
            }
            let jobs = outcomes.compactMap { try? $0.get() }
            #expect(jobs.count == 40, "\(outcomes.compactMap { if case .failure(let error) = $0 { "\(error)" } else { nil } }.prefix(3))")
            #expect(Set(jobs.map(\.invoiceNumber)) == Set(7001...7040))
            let stored = try await directory.jobs(JobQuery(customerID: customer.id, page: 1, pageSize: 100)).items
            #expect(stored.count == 41)
            #expect(stored.filter { $0.invoiceNumber > 7000 }.allSatisfy { $0.notes.count == 1 && $0.assignedEmployeeIDs == [employee] })
            if database.location.isPostgres {
                // The sequence followed: the next booking does not have to find its number by collision.
                #expect(try await Self.sequenceValue(database) == 7040)
            }
        }
    }

    @Test("a bulk insert past the sequence is stepped over: the next booking takes the highest + 1 and the one after it the next")
    func rowsWrittenAroundTheSequence() async throws {
        try await TestDatabase.withMigrated { database in
            let directory = FluentDirectoryRepository(database: database)
            let (customer, address) = try await Self.customer(in: directory)
            let now = Date()
            let first = try await directory.createJob(Self.job(customer, address, day: 1, invoiceNumber: nil, now: now))
            #expect(first.invoiceNumber == 1001)
            // A writer that bypasses the booking (the seeder's bulk insert) leaves a gap the sequence knows nothing of.
            try await database.db.sql.raw(
                """
                INSERT INTO jobs (id, invoice_number, customer_id, address_id, work_status, arrival_window, total_amount, outstanding_balance, \
                tags, created_at, updated_at) VALUES (\(bind: UUID()), 5000, \(bind: customer.id.uuid), \(bind: address.id.uuid), 'unscheduled', \
                0, 0, 0, '[]', \(bind: now), \(bind: now))
                """
            ).run()
            let next = try await directory.createJob(Self.job(customer, address, day: 2, invoiceNumber: nil, now: now))
            let after = try await directory.createJob(Self.job(customer, address, day: 3, invoiceNumber: nil, now: now))
            #expect(next.invoiceNumber == 5001)
            #expect(after.invoiceNumber == 5002)
        }
    }

    /// The invoice-number sequence's last value (PostgreSQL only).
    static func sequenceValue(_ database: AvocaDatabase) async throws -> Int {
        let row = try #require(try await database.db.sql.raw("SELECT last_value FROM \(unsafeRaw: AddInvoiceNumberSequence.name)").first())
        return try row.decode(column: "last_value", as: Int.self)
    }

    static func customer(in directory: FluentDirectoryRepository) async throws -> (Customer, Address) {
        let now = Date()
        var customer = Customer(id: .random(), createdAt: now, updatedAt: now)
        customer.firstName = "Ines"
        let address = Address(
            id: .random(), customerID: customer.id, kind: .service, street: "9 Elm St", city: "Springfield", state: "IL", zip: "62704",
            country: "US", createdAt: now, updatedAt: now)
        customer.addresses = [address]
        try await directory.createCustomer(customer)
        return (customer, address)
    }

    static func employee(in database: AvocaDatabase) async throws -> EmployeeID {
        let identity = FluentIdentityRepository(database: database)
        return try await identity.createEmployee(email: "tam@example.com", firstName: "Tam", lastName: "Nguyen", passwordHash: "x", now: Date()).id
    }

    /// A one-day job on day `day` of March 2027 (so no two overlap).
    static func job(_ customer: Customer, _ address: Address, day: Int, invoiceNumber: Int?, now: Date) -> NewJob {
        let start = ScheduleBound.day(year: 2027, month: 3 + (day - 1) / 28, day: 1 + (day - 1) % 28)
        let schedule = try? JobSchedule(start: start, end: start, arrivalWindow: 0, timeZone: zone)
        return NewJob(
            id: .random(), invoiceNumber: invoiceNumber, name: nil, description: nil, customerID: customer.id, addressID: address.id,
            schedule: schedule, assignedEmployeeIDs: [], tags: [], leadSource: nil, notes: [], createdAt: now)
    }
}
