import AvocaCore
import AvocaDirectory
import Foundation
import Testing

/// Booking rules of `JobService`, without HTTP: whole-day and half-open intervals, canceled jobs,
/// and validation errors that name domain fields (the HTTP layer renames them per operation).
@Suite("Directory: job booking rules", .timeLimit(.minutes(4)))
struct JobServiceTests {
    @Test("date-only schedules cover whole days: 10th→15th blocks 12th→17th, 16th→17th fits")
    func wholeDays() async throws {
        try await DirectoryFixture.run { f in
            let first = try await f.book("2027-11-10", "2027-11-15")
            #expect(await DirectoryFixture.conflict { _ = try await f.book("2027-11-12", "2027-11-17") } == "job_overlap")
            #expect(await DirectoryFixture.conflict { _ = try await f.book("2027-11-15", "2027-11-15") } == "job_overlap")
            _ = try await f.book("2027-11-16", "2027-11-17")
            #expect(first.schedule?.periodEnd == DirectoryFixture.zoneMidnight(2027, 11, 16))
        }
    }

    @Test("date-time schedules are half-open: back-to-back slots fit, a one-minute overlap does not")
    func halfOpen() async throws {
        try await DirectoryFixture.run { f in
            _ = try await f.book("2027-11-10T14:00:00Z", "2027-11-10T16:00:00Z")
            _ = try await f.book("2027-11-10T16:00:00Z", "2027-11-10T18:00:00Z")
            _ = try await f.book("2027-11-10T12:00:00Z", "2027-11-10T14:00:00Z")
            #expect(await DirectoryFixture.conflict { _ = try await f.book("2027-11-10T15:59:00Z", "2027-11-10T16:30:00Z") } == "job_overlap")
        }
    }

    @Test("a canceled job stops blocking its slot; it cannot be rescheduled")
    func canceled() async throws {
        try await DirectoryFixture.run { f in
            let job = try await f.book("2027-11-10", "2027-11-10")
            _ = try await f.jobs.cancel(job.id, byCustomer: true)
            _ = try await f.book("2027-11-10", "2027-11-10")
            let slot = ScheduleInput(start: .day(year: 2027, month: 12, day: 1), end: .day(year: 2027, month: 12, day: 1))
            #expect(await DirectoryFixture.conflict { _ = try await f.jobs.reschedule(job.id, to: slot, dispatched: nil) } == "job_canceled")
        }
    }

    @Test("rescheduling into another job's slot is refused and leaves the job where it was")
    func rescheduleOverlap() async throws {
        try await DirectoryFixture.run { f in
            _ = try await f.book("2027-11-10", "2027-11-11")
            let movable = try await f.book("2027-11-20", "2027-11-20")
            let clash = ScheduleInput(start: .day(year: 2027, month: 11, day: 11), end: .day(year: 2027, month: 11, day: 12))
            #expect(await DirectoryFixture.conflict { _ = try await f.jobs.reschedule(movable.id, to: clash, dispatched: nil) } == "job_overlap")
            #expect(try await f.jobs.job(movable.id).schedule?.start == .day(year: 2027, month: 11, day: 20))
        }
    }

    @Test("validation names domain fields: end before start, arrival window, foreign address, unknown customer, inactive employee")
    func validation() async throws {
        try await DirectoryFixture.run { f in
            let backwards = await DirectoryFixture.problems { _ = try await f.book("2027-11-12", "2027-11-10") }
            #expect(backwards?.keys.sorted() == [JobField.scheduledEnd.rawValue])
            let window = ScheduleInput(start: .day(year: 2027, month: 11, day: 1), end: .day(year: 2027, month: 11, day: 1), arrivalWindow: 2_000)
            let badWindow = await DirectoryFixture.problems {
                _ = try await f.jobs.create(JobInput(customerID: f.customerID, addressID: f.addressID, schedule: window))
            }
            #expect(badWindow?.keys.sorted() == [JobField.arrivalWindow.rawValue])
            let wrongAddress = await DirectoryFixture.problems {
                _ = try await f.jobs.create(JobInput(customerID: f.customerID, addressID: .random()))
            }
            #expect(wrongAddress?.keys.sorted() == [JobField.address.rawValue])
            let noCustomer = await DirectoryFixture.problems { _ = try await f.jobs.create(JobInput(customerID: .random(), addressID: f.addressID)) }
            #expect(noCustomer?.keys.sorted() == [JobField.customer.rawValue])
            let nobody = await DirectoryFixture.problems {
                _ = try await f.jobs.create(JobInput(customerID: f.customerID, addressID: f.addressID, assignedEmployeeIDs: [.random()]))
            }
            #expect(nobody?.keys.sorted() == [JobField.employees.rawValue])
            let tooLong = await DirectoryFixture.problems {
                _ = try await f.jobs.create(JobInput(customerID: f.customerID, addressID: f.addressID, name: String(repeating: "x", count: 256)))
            }
            #expect(tooLong?.keys.sorted() == [JobField.name.rawValue])
            let booked = try await f.jobs.list(JobFilter(customerID: f.customerID), page: 1, pageSize: 10, sortBy: .createdAt, direction: .desc)
            #expect(booked.totalItems == 0)
        }
    }

    @Test("list filters are inclusive: an upper day covers that whole day in the company zone")
    func inclusiveFilters() async throws {
        try await DirectoryFixture.run { f in
            let late = try await f.book("2027-11-10T23:30:00-06:00", "2027-11-10T23:45:00-06:00")
            _ = try await f.book("2027-11-11T00:30:00-06:00", "2027-11-11T01:00:00-06:00")
            let filter = JobFilter(scheduledStartMin: .day(year: 2027, month: 11, day: 10), scheduledStartMax: .day(year: 2027, month: 11, day: 10))
            let page = try await f.jobs.list(filter, page: 1, pageSize: 10, sortBy: .scheduledStart, direction: .asc)
            #expect(page.items.map(\.id) == [late.id])
        }
    }
}

extension DirectoryFixture {
    /// Midnight of a day in the company zone.
    static func zoneMidnight(_ year: Int, _ month: Int, _ day: Int) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: year, month: month, day: day))
    }
}
