import AvocaCore
import AvocaTestSupport
import Foundation
import SQLKit
import Testing

@testable import AvocaPersistence

@Suite("Persistence: the jobs booked on a call (migration 0047)", .timeLimit(.minutes(4)))
struct PhoneCallJobsMigrationTests {
    @Test("a call stored with a job before phone_call_jobs existed keeps it as its first booked job")
    func backfill() async throws {
        try await TestDatabase.withMigrated { database in
            let directory = FluentDirectoryRepository(database: database)
            let now = Date()
            var customer = Customer(id: .random(), createdAt: now, updatedAt: now)
            customer.firstName = "Maria"
            let address = Address(
                id: .random(), customerID: customer.id, street: "1 Elm St", city: "Chicago", state: "IL", zip: "60601", country: "US", createdAt: now,
                updatedAt: now)
            customer.addresses = [address]
            try await directory.createCustomer(customer)
            let job = try await directory.createJob(
                NewJob(
                    id: .random(), invoiceNumber: nil, name: nil, description: "Leak", customerID: customer.id, addressID: address.id, schedule: nil,
                    assignedEmployeeIDs: [], tags: [], leadSource: nil, notes: [], createdAt: now))
            let calls = FluentCallRepository(database: database)
            let (call, _) = try await calls.startCall(
                PhoneCall(
                    id: .random(), phoneNumber: "+13125550142", state: .ringing, startedAt: now, lastActivityAt: now, createdAt: now, updatedAt: now))
            // The row as migration 0045 left it: phone_calls.job_id set, no phone_call_jobs table.
            let sql = try database.db.sql
            try await sql.update("phone_calls").set("job_id", to: job.id.uuid).where("phone_call_id", .equal, call.id.uuid).run()
            try await CreatePhoneCallJobs().revert(on: database.db)
            try await CreatePhoneCallJobs().prepare(on: database.db)
            // The row itself, not only the call as read (which falls back on job_id for a call without rows).
            let rows = try await sql.select().column("job_id").column("position").from("phone_call_jobs")
                .where("phone_call_id", .equal, call.id.uuid).all()
            #expect(rows.count == 1)
            #expect(try rows.first?.decode(column: "job_id", as: UUID.self) == job.id.uuid)
            #expect(try rows.first?.decode(column: "position", as: Int.self) == 1)
            let stored = try #require(try await calls.call(call.id))
            #expect(stored.jobIDs == [job.id])
            #expect(stored.jobID == job.id)
        }
    }
}
