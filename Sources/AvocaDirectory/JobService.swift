import AvocaCore
import Foundation

/// What a client gives to book a job.
public struct JobInput: Sendable {
    public var customerID: String
    public var addressID: String
    public var invoiceNumber: String?
    public var name, description, leadSource, notes: String?
    public var scheduledStart, scheduledEnd: String?
    public var arrivalWindow: Int?
    public var assignedEmployeeIDs: [String]
    public var tags: [String]

    /// Creates an input.
    public init(
        customerID: String, addressID: String, invoiceNumber: String? = nil, name: String? = nil, description: String? = nil,
        leadSource: String? = nil, notes: String? = nil, scheduledStart: String? = nil, scheduledEnd: String? = nil, arrivalWindow: Int? = nil,
        assignedEmployeeIDs: [String] = [], tags: [String] = []
    ) {
        self.customerID = customerID
        self.addressID = addressID
        self.invoiceNumber = invoiceNumber
        self.name = name
        self.description = description
        self.leadSource = leadSource
        self.notes = notes
        self.scheduledStart = scheduledStart
        self.scheduledEnd = scheduledEnd
        self.arrivalWindow = arrivalWindow
        self.assignedEmployeeIDs = assignedEmployeeIDs
        self.tags = tags
    }
}

/// Raw list filters as they arrive in the query string.
public struct JobFilterInput: Sendable {
    public var customerID, scheduledStartMin, scheduledStartMax, scheduledEndMin, scheduledEndMax: String?
    public var statuses: [String]
    public var employeeIDs: [String]

    /// Creates filters.
    public init(
        customerID: String? = nil, scheduledStartMin: String? = nil, scheduledStartMax: String? = nil, scheduledEndMin: String? = nil,
        scheduledEndMax: String? = nil, statuses: [String] = [], employeeIDs: [String] = []
    ) {
        self.customerID = customerID
        self.scheduledStartMin = scheduledStartMin
        self.scheduledStartMax = scheduledStartMax
        self.scheduledEndMin = scheduledEndMin
        self.scheduledEndMax = scheduledEndMax
        self.statuses = statuses
        self.employeeIDs = employeeIDs
    }
}

/// Jobs: booking, rescheduling, dispatch, notes, cancellation. One customer's live jobs never overlap.
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
        var fields: [String: String] = [:]
        let customerID = CustomerID(input.customerID)
        let addressID = AddressID(input.addressID)
        var customer: Customer?
        if let customerID { customer = try await repository.customer(customerID) }
        if customer == nil { fields["customer_id"] = "No such customer." }
        if let customer, addressID == nil || !customer.addresses.contains(where: { $0.id == addressID }) {
            fields["address_id"] = "Choose one of this customer's addresses."
        }
        var invoiceNumber: Int?
        if let raw = input.invoiceNumber?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            if let number = Int(raw), number > 0, number < Int(Int32.max) { invoiceNumber = number } else { fields["invoice_number"] = "Use a positive whole number." }
        }
        let schedule = try? parseSchedule(start: input.scheduledStart, end: input.scheduledEnd, arrivalWindow: input.arrivalWindow, fields: &fields, prefix: "schedule.")
        let assigned = try await employeeIDs(input.assignedEmployeeIDs, field: "assigned_employee_ids", fields: &fields)
        for (name, value, limit) in [("name", input.name, 255), ("description", input.description, 10_000), ("lead_source", input.leadSource, 255)]
        where (value?.count ?? 0) > limit {
            fields[name] = "At most \(limit) characters."
        }
        guard fields.isEmpty, let customerID, let addressID else {
            throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields)
        }
        let notes = (input.notes ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try await repository.createJob(
            NewJob(
                id: .random(), invoiceNumber: invoiceNumber, name: input.name.nilIfBlank, description: input.description.nilIfBlank,
                customerID: customerID, addressID: addressID, schedule: schedule ?? nil, assignedEmployeeIDs: assigned,
                tags: input.tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }, leadSource: input.leadSource.nilIfBlank,
                notes: notes, createdAt: clock.now()))
    }

    /// One job.
    public func job(_ rawID: String) async throws -> Job {
        guard let id = JobID(rawID), let job = try await repository.job(id) else { throw DomainError.notFound(entity: "job") }
        return job
    }

    /// Pages jobs with Housecall Pro's filters.
    public func list(_ filters: JobFilterInput, page: Int, pageSize: Int, sortBy: JobQuery.SortField, direction: SortDirection) async throws
        -> ResultPage<Job>
    {
        var fields: [String: String] = [:]
        var query = JobQuery(page: page, pageSize: pageSize, sortBy: sortBy, direction: direction)
        if let raw = filters.customerID {
            if let id = CustomerID(raw) { query.customerID = id } else { fields["customer_id"] = "Not a customer id." }
        }
        func bound(_ raw: String?, _ name: String, upper: Bool) -> Date? {
            guard let raw, !raw.isEmpty else { return nil }
            guard let parsed = ScheduleBound(raw) else {
                fields[name] = "Use YYYY-MM-DD or an ISO-8601 date-time."
                return nil
            }
            // Bounds are inclusive: an upper date covers its whole day, an upper instant itself.
            switch parsed {
            case .instant(let date): return upper ? date.addingTimeInterval(0.001) : date
            case .day:
                let schedule = try? JobSchedule(start: parsed, end: parsed, arrivalWindow: 0, timeZone: timeZone)
                return upper ? schedule?.periodEnd : schedule?.periodStart
            }
        }
        query.scheduledStartMin = bound(filters.scheduledStartMin, "scheduled_start_min", upper: false)
        query.scheduledStartMax = bound(filters.scheduledStartMax, "scheduled_start_max", upper: true)
        query.scheduledEndMin = bound(filters.scheduledEndMin, "scheduled_end_min", upper: false)
        query.scheduledEndMax = bound(filters.scheduledEndMax, "scheduled_end_max", upper: true)
        for status in filters.statuses {
            switch status {
            case "completed": query.statuses += [.completeRated, .completeUnrated]
            case "canceled": query.statuses += [.userCanceled, .proCanceled]
            default:
                if let parsed = WorkStatus(rawValue: status) { query.statuses.append(parsed) } else { fields["work_status"] = "Unknown status \(status)." }
            }
        }
        for raw in filters.employeeIDs {
            if let id = EmployeeID(raw) { query.employeeIDs.append(id) } else { fields["employee_ids"] = "Not an employee id: \(raw)." }
        }
        guard fields.isEmpty else { throw DomainError.validation(message: "Invalid filters.", fields: fields) }
        return try await repository.jobs(query)
    }

    /// Reschedules a job (and optionally its dispatch); `409 job_overlap` on a collision.
    public func reschedule(_ rawID: String, start: String, end: String, arrivalWindow: Int?, dispatched: [String]?) async throws -> Job {
        let current = try await job(rawID)
        guard !current.workStatus.isCanceled else {
            throw DomainError.conflict(code: "job_canceled", message: "A canceled job cannot be rescheduled.")
        }
        var fields: [String: String] = [:]
        let schedule = try? parseSchedule(start: start, end: end, arrivalWindow: arrivalWindow, fields: &fields, prefix: "")
        var assigned: [EmployeeID]?
        if let dispatched { assigned = try await employeeIDs(dispatched, field: "dispatched_employees", fields: &fields) }
        guard fields.isEmpty, let schedule = schedule ?? nil else {
            throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields)
        }
        let status: WorkStatus = current.workStatus == .unscheduled ? .scheduled : current.workStatus
        var updated = try await repository.updateSchedule(current.id, schedule: schedule, status: status, at: clock.now())
        if let assigned { updated = try await repository.setAssignments(current.id, employeeIDs: assigned, at: clock.now()) }
        return updated
    }

    /// Removes the schedule; the job becomes unscheduled.
    public func unschedule(_ rawID: String) async throws -> Job {
        let current = try await job(rawID)
        guard !current.workStatus.isCanceled else { throw DomainError.conflict(code: "job_canceled", message: "The job is canceled.") }
        return try await repository.updateSchedule(current.id, schedule: nil, status: .unscheduled, at: clock.now())
    }

    /// Sets the dispatched employees.
    public func dispatch(_ rawID: String, employeeIDs raw: [String]) async throws -> Job {
        let current = try await job(rawID)
        var fields: [String: String] = [:]
        let ids = try await employeeIDs(raw, field: "dispatched_employees", fields: &fields)
        guard fields.isEmpty else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields) }
        return try await repository.setAssignments(current.id, employeeIDs: ids, at: clock.now())
    }

    /// Cancels a job (it stops blocking the calendar).
    public func cancel(_ rawID: String, byCustomer: Bool) async throws -> Job {
        let current = try await job(rawID)
        return try await repository.updateStatus(current.id, status: byCustomer ? .userCanceled : .proCanceled, at: clock.now())
    }

    /// Adds a note.
    public func addNote(_ rawID: String, content: String) async throws -> JobNote {
        let current = try await job(rawID)
        let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 10_000 else {
            throw DomainError.validation(message: "Write a note of up to 10,000 characters.", fields: ["content": "1 to 10,000 characters."])
        }
        let note = JobNote(id: .random(), content: trimmed, createdAt: clock.now())
        try await repository.addNote(note, to: current.id)
        return note
    }

    /// Deletes a note.
    public func deleteNote(_ rawID: String, noteID: String) async throws {
        let current = try await job(rawID)
        guard let id = NoteID(noteID), try await repository.deleteNote(id, of: current.id) else { throw DomainError.notFound(entity: "note") }
    }

    // MARK: Helpers

    /// Both bounds or neither; each a date or a date-time; end after start.
    func parseSchedule(start: String?, end: String?, arrivalWindow: Int?, fields: inout [String: String], prefix: String) throws -> JobSchedule? {
        let startText = start.nilIfBlank
        let endText = end.nilIfBlank
        guard startText != nil || endText != nil else { return nil }
        let startName = prefix.isEmpty ? "start_time" : prefix + "scheduled_start"
        let endName = prefix.isEmpty ? "end_time" : prefix + "scheduled_end"
        let startBound = startText.flatMap(ScheduleBound.init)
        let endBound = endText.flatMap(ScheduleBound.init)
        if startBound == nil { fields[startName] = startText == nil ? "Required with an end." : "Use YYYY-MM-DD or an ISO-8601 date-time." }
        if endBound == nil { fields[endName] = endText == nil ? "Required with a start." : "Use YYYY-MM-DD or an ISO-8601 date-time." }
        guard let startBound, let endBound else { return nil }
        do {
            return try JobSchedule(start: startBound, end: endBound, arrivalWindow: arrivalWindow ?? 0, timeZone: timeZone)
        } catch DomainError.validation(_, let problems) {
            // JobSchedule names JobCreate's fields; the schedule endpoint calls them differently.
            let renamed = ["schedule.scheduled_end": endName, "schedule.arrival_window": prefix.isEmpty ? "arrival_window_in_minutes" : "schedule.arrival_window"]
            for (key, value) in problems { fields[renamed[key] ?? key] = value }
            return nil
        }
    }

    /// Parses and checks employee ids; unknown ones are reported on `field`.
    func employeeIDs(_ raw: [String], field: String, fields: inout [String: String]) async throws -> [EmployeeID] {
        var result: [EmployeeID] = []
        for text in raw {
            guard let id = EmployeeID(text), let employee = try await employees.employee(id: id), employee.isActive else {
                fields[field] = "No active employee \(text)."
                continue
            }
            result.append(id)
        }
        return result
    }
}

extension Optional where Wrapped == String {
    /// `nil` for nil, empty or whitespace-only strings; otherwise the trimmed text.
    var nilIfBlank: String? {
        guard let trimmed = self?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
