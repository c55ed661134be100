import AvocaCore
import Foundation

/// Jobs: booking, rescheduling, dispatch, notes, cancellation. One customer's live jobs never overlap.
///
/// Validation errors name `JobField`s; the HTTP layer turns them into the operation's wire names.
public struct JobService: Sendable {
    let repository: any DirectoryRepository
    let employees: any IdentityRepository
    let clock: any AppClock
    public let timeZone: TimeZone

    /// Creates the service; `timeZone` is the company's (date-only schedules are whole days there).
    public init(repository: any DirectoryRepository, employees: any IdentityRepository, clock: any AppClock, timeZone: TimeZone) {
        self.repository = repository
        self.employees = employees
        self.clock = clock
        self.timeZone = timeZone
    }

    /// Books a job; `409 job_overlap` when it collides with another live job of the customer.
    public func create(_ input: JobInput) async throws -> Job {
        var fields = FieldProblems()
        let customer = try await repository.customer(input.customerID)
        if let customer {
            if !customer.addresses.contains(where: { $0.id == input.addressID }) {
                fields[.address] = "Choose one of this customer's addresses."
            }
        } else {
            fields[.customer] = "No such customer."
        }
        if let number = input.invoiceNumber, !(1..<Int(Int32.max)).contains(number) { fields[.invoiceNumber] = "Use a positive whole number." }
        var schedule: JobSchedule?
        if let requested = input.schedule { schedule = self.schedule(from: requested, fields: &fields) }
        let assigned = try await activeEmployees(input.assignedEmployeeIDs, fields: &fields)
        for (field, value, limit) in [
            (JobField.name, input.name, 255), (.description, input.description, 10_000), (.leadSource, input.leadSource, 255),
        ]
        where (value?.count ?? 0) > limit {
            fields[field] = "At most \(limit) characters."
        }
        try fields.check()
        let notes = (input.notes ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try await repository.createJob(
            NewJob(
                id: .random(), invoiceNumber: input.invoiceNumber, name: input.name.nilIfBlank, description: input.description.nilIfBlank,
                customerID: input.customerID, addressID: input.addressID, schedule: schedule, assignedEmployeeIDs: assigned,
                tags: input.tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }, leadSource: input.leadSource.nilIfBlank,
                notes: notes, createdAt: clock.now(), customer: customer))
    }

    /// One job.
    public func job(_ id: JobID) async throws -> Job {
        guard let job = try await repository.job(id) else { throw DomainError.notFound(entity: "job") }
        return job
    }

    /// Pages jobs with Housecall Pro's filters.
    public func list(
        _ filter: JobFilter, page: Int, pageSize: Int, sortBy: JobQuery.SortField, direction: SortDirection
    ) async throws
        -> ResultPage<Job>
    {
        var query = JobQuery(
            customerID: filter.customerID, statuses: filter.statuses, employeeIDs: filter.employeeIDs, page: page, pageSize: pageSize, sortBy: sortBy,
            direction: direction)
        query.scheduledStartMin = filter.scheduledStartMin.flatMap { instant($0, upper: false) }
        query.scheduledStartMax = filter.scheduledStartMax.flatMap { instant($0, upper: true) }
        query.scheduledEndMin = filter.scheduledEndMin.flatMap { instant($0, upper: false) }
        query.scheduledEndMax = filter.scheduledEndMax.flatMap { instant($0, upper: true) }
        return try await repository.jobs(query)
    }

    /// Reschedules a job (and optionally its dispatch); `409 job_overlap` on a collision.
    public func reschedule(_ id: JobID, to requested: ScheduleInput, dispatched: [EmployeeID]?) async throws -> Job {
        let current = try await job(id)
        guard !current.workStatus.isCanceled else {
            throw DomainError.conflict(code: "job_canceled", message: "A canceled job cannot be rescheduled.")
        }
        var fields = FieldProblems()
        let schedule = self.schedule(from: requested, fields: &fields)
        var assigned: [EmployeeID]?
        if let dispatched { assigned = try await activeEmployees(dispatched, fields: &fields) }
        try fields.check()
        guard let schedule else { throw DomainError.validation(message: "Please correct the highlighted fields.") }
        let status: WorkStatus = current.workStatus == .unscheduled ? .scheduled : current.workStatus
        var updated = try await repository.updateSchedule(current.id, schedule: schedule, status: status, at: clock.now())
        if let assigned { updated = try await repository.setAssignments(current.id, employeeIDs: assigned, at: clock.now()) }
        return updated
    }

    /// Removes the schedule; the job becomes unscheduled.
    public func unschedule(_ id: JobID) async throws -> Job {
        let current = try await job(id)
        guard !current.workStatus.isCanceled else { throw DomainError.conflict(code: "job_canceled", message: "The job is canceled.") }
        return try await repository.updateSchedule(current.id, schedule: nil, status: .unscheduled, at: clock.now())
    }

    /// Sets the dispatched employees.
    public func dispatch(_ id: JobID, employeeIDs: [EmployeeID]) async throws -> Job {
        let current = try await job(id)
        var fields = FieldProblems()
        let ids = try await activeEmployees(employeeIDs, fields: &fields)
        try fields.check()
        return try await repository.setAssignments(current.id, employeeIDs: ids, at: clock.now())
    }

    /// Cancels a job (it stops blocking the calendar).
    public func cancel(_ id: JobID, byCustomer: Bool) async throws -> Job {
        let current = try await job(id)
        return try await repository.updateStatus(current.id, status: byCustomer ? .userCanceled : .proCanceled, at: clock.now())
    }

    /// Adds a note.
    public func addNote(to id: JobID, content: String) async throws -> JobNote {
        let current = try await job(id)
        let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 10_000 else {
            throw DomainError.validation(
                message: "Write a note of up to 10,000 characters.", fields: [JobField.noteContent.rawValue: "1 to 10,000 characters."])
        }
        let note = JobNote(id: .random(), content: trimmed, createdAt: clock.now())
        try await repository.addNote(note, to: current.id)
        return note
    }

    /// Deletes a note.
    public func deleteNote(_ noteID: NoteID, of id: JobID) async throws {
        let current = try await job(id)
        guard try await repository.deleteNote(noteID, of: current.id) else { throw DomainError.notFound(entity: "note") }
    }

    // MARK: Helpers

    /// A validated schedule, or `nil` with the problems added to `fields`.
    func schedule(from input: ScheduleInput, fields: inout FieldProblems) -> JobSchedule? {
        do {
            return try JobSchedule(start: input.start, end: input.end, arrivalWindow: input.arrivalWindow, timeZone: timeZone)
        } catch DomainError.validation(_, let problems) {
            for (key, value) in problems { fields.raw[key] = value }
        } catch {
            fields[.scheduledStart] = "Not a valid schedule."
        }
        return nil
    }

    /// The instant a filter bound stands for; an upper bound includes its whole day (or its instant).
    func instant(_ bound: ScheduleBound, upper: Bool) -> Date? {
        switch bound {
        case .instant(let date): return upper ? date.addingTimeInterval(0.001) : date
        case .day:
            let schedule = try? JobSchedule(start: bound, end: bound, arrivalWindow: 0, timeZone: timeZone)
            return upper ? schedule?.periodEnd : schedule?.periodStart
        }
    }

    /// Checks that every id names an active employee; unknown ones are reported on `employees`.
    func activeEmployees(_ ids: [EmployeeID], fields: inout FieldProblems) async throws -> [EmployeeID] {
        var result: [EmployeeID] = []
        for id in ids {
            guard let employee = try await employees.employee(id: id), employee.isActive else {
                fields[.employees] = "No active employee \(id)."
                continue
            }
            result.append(id)
        }
        return result
    }
}
