import AvocaAPI
import AvocaCore
import AvocaDirectory
import Foundation

extension APIHandler {
    /// `JobCreate`'s names for the job fields.
    static let jobCreateFields: [JobField: String] = [
        .customer: "customer_id", .address: "address_id", .invoiceNumber: "invoice_number", .name: "name", .description: "description",
        .leadSource: "lead_source", .notes: "notes", .tags: "tags", .scheduledStart: "schedule.scheduled_start",
        .scheduledEnd: "schedule.scheduled_end", .arrivalWindow: "schedule.arrival_window", .employees: "assigned_employee_ids",
    ]
    /// `PUT /jobs/{id}/schedule`'s names (Housecall Pro calls them differently there).
    static let jobScheduleFields: [JobField: String] = [
        .scheduledStart: "start_time", .scheduledEnd: "end_time", .arrivalWindow: "arrival_window_in_minutes", .employees: "dispatched_employees",
    ]

    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        let (page, size) = try Paging.validate(page: input.query.page, pageSize: input.query.pageSize)
        let query = input.query
        var fields = RequestFields()
        var filter = JobFilter(
            customerID: fields.id(query.customerId, "customer_id", "customer"),
            scheduledStartMin: fields.bound(query.scheduledStartMin, "scheduled_start_min"),
            scheduledStartMax: fields.bound(query.scheduledStartMax, "scheduled_start_max"),
            scheduledEndMin: fields.bound(query.scheduledEndMin, "scheduled_end_min"),
            scheduledEndMax: fields.bound(query.scheduledEndMax, "scheduled_end_max"),
            employeeIDs: fields.ids(query.employeeIds ?? [], "employee_ids", "employee"))
        for status in query.workStatus ?? [] {
            // Housecall Pro's filter accepts two group names besides the statuses themselves.
            switch status.rawValue {
            case "completed": filter.statuses += [.completeRated, .completeUnrated]
            case "canceled": filter.statuses += [.userCanceled, .proCanceled]
            default:
                if let parsed = WorkStatus(rawValue: status.rawValue) {
                    filter.statuses.append(parsed)
                } else {
                    fields.report("work_status", "Unknown status \(status.rawValue).")
                }
            }
        }
        try fields.check("Invalid filters.")
        let result = try await jobs.list(
            filter, page: page, pageSize: size, sortBy: query.sortBy == .scheduledStart ? .scheduledStart : .createdAt,
            direction: query.sortDirection == .asc ? .asc : .desc)
        let rendered = try await render(result.items)
        return .ok(
            .init(
                body: .json(
                    .init(page: result.page, pageSize: result.pageSize, totalPages: result.totalPages, totalItems: result.totalItems, jobs: rendered))
            ))
    }

    func createJob(_ input: Operations.CreateJob.Input) async throws -> Operations.CreateJob.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        var fields = RequestFields()
        let customerID: CustomerID? = fields.id(body.customerId, "customer_id", "customer")
        let addressID: AddressID? = fields.id(body.addressId, "address_id", "address")
        if body.customerId.isEmpty { fields.report("customer_id", "Required.") }
        if body.addressId.isEmpty { fields.report("address_id", "Choose one of this customer's addresses.") }
        let start = fields.bound(body.schedule?.scheduledStart, "schedule.scheduled_start")
        let end = fields.bound(body.schedule?.scheduledEnd, "schedule.scheduled_end")
        if (start == nil) != (end == nil), fields.problems.isEmpty {
            fields.report(
                start == nil ? "schedule.scheduled_start" : "schedule.scheduled_end",
                start == nil ? "Required with an end." : "Required with a start.")
        }
        let assigned: [EmployeeID] = fields.ids(body.assignedEmployeeIds ?? [], "assigned_employee_ids", "employee")
        var invoiceNumber: Int?
        if let raw = body.invoiceNumber.map(String.init)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            invoiceNumber = Int(raw)
            if invoiceNumber == nil { fields.report("invoice_number", "Use a positive whole number.") }
        }
        try fields.check()
        guard let customerID, let addressID else { throw DomainError.validation(message: "Please correct the highlighted fields.") }
        let schedule = start.flatMap { start in end.map { ScheduleInput(start: start, end: $0, arrivalWindow: body.schedule?.arrivalWindow ?? 0) } }
        let job = try await naming(Self.jobCreateFields) {
            try await jobs.create(
                JobInput(
                    customerID: customerID, addressID: addressID, invoiceNumber: invoiceNumber, name: body.name, description: body.description,
                    leadSource: body.leadSource, notes: body.notes, schedule: schedule, assignedEmployeeIDs: assigned, tags: body.tags ?? []))
        }
        return .ok(.init(body: .json(try await render(job))))
    }

    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        .ok(.init(body: .json(try await render(try await jobs.job(try Self.jobID(input.path.jobId))))))
    }

    func updateJobSchedule(_ input: Operations.UpdateJobSchedule.Input) async throws -> Operations.UpdateJobSchedule.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let id = try Self.jobID(input.path.jobId)
        var fields = RequestFields()
        let start = fields.bound(body.startTime, "start_time")
        let end = fields.bound(body.endTime, "end_time")
        if body.startTime.trimmingCharacters(in: .whitespaces).isEmpty { fields.report("start_time", "Required with an end.") }
        if body.endTime.trimmingCharacters(in: .whitespaces).isEmpty { fields.report("end_time", "Required with a start.") }
        let dispatched: [EmployeeID]? = body.dispatchedEmployees.map { fields.ids($0.map(\.employeeId), "dispatched_employees", "employee") }
        try fields.check()
        guard let start, let end else { throw DomainError.validation(message: "Please correct the highlighted fields.") }
        let job = try await naming(Self.jobScheduleFields) {
            try await jobs.reschedule(
                id, to: ScheduleInput(start: start, end: end, arrivalWindow: body.arrivalWindowInMinutes ?? 0), dispatched: dispatched)
        }
        return .ok(.init(body: .json(try await render(job))))
    }

    func deleteJobSchedule(_ input: Operations.DeleteJobSchedule.Input) async throws -> Operations.DeleteJobSchedule.Output {
        .ok(.init(body: .json(try await render(try await jobs.unschedule(try Self.jobID(input.path.jobId))))))
    }

    func dispatchJob(_ input: Operations.DispatchJob.Input) async throws -> Operations.DispatchJob.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let id = try Self.jobID(input.path.jobId)
        var fields = RequestFields()
        let employees: [EmployeeID] = fields.ids(body.dispatchedEmployees.map(\.employeeId), "dispatched_employees", "employee")
        try fields.check()
        let job = try await naming(Self.jobScheduleFields) { try await jobs.dispatch(id, employeeIDs: employees) }
        return .ok(.init(body: .json(try await render(job))))
    }

    func createJobNote(_ input: Operations.CreateJobNote.Input) async throws -> Operations.CreateJobNote.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let id = try Self.jobID(input.path.jobId)
        let note = try await naming([.noteContent: "content"]) { try await jobs.addNote(to: id, content: body.content) }
        return .created(.init(body: .json(.init(id: note.id.description, content: note.content, createdAt: note.createdAt))))
    }

    func deleteJobNote(_ input: Operations.DeleteJobNote.Input) async throws -> Operations.DeleteJobNote.Output {
        let id = try Self.jobID(input.path.jobId)
        guard let noteID = NoteID(input.path.noteId) else { throw DomainError.notFound(entity: "note") }
        try await jobs.deleteNote(noteID, of: id)
        return .noContent(.init())
    }

    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        var byCustomer = false
        if case .json(let body) = input.body { byCustomer = body.canceledBy == .user }
        return .ok(.init(body: .json(try await render(try await jobs.cancel(try Self.jobID(input.path.jobId), byCustomer: byCustomer)))))
    }

    /// A job id from a path: a malformed one names no job.
    static func jobID(_ raw: String) throws -> JobID {
        guard let id = JobID(raw) else { throw DomainError.notFound(entity: "job") }
        return id
    }

    /// One job in Housecall Pro's shape.
    private func render(_ job: Job) async throws -> Components.Schemas.Job {
        guard let rendered = try await render([job]).first else { throw DomainError.notFound(entity: "job") }
        return rendered
    }

    /// Jobs in Housecall Pro's shape, with the assigned employees resolved in one pass.
    private func render(_ list: [Job]) async throws -> [Components.Schemas.Job] {
        var employees: [EmployeeID: Employee] = [:]
        for id in Set(list.flatMap(\.assignedEmployeeIDs)) { employees[id] = try await identity.employee(id) }
        return list.map { job in
            Components.Schemas.Job(
                id: job.id.description, invoiceNumber: String(job.invoiceNumber), name: job.name, description: job.description ?? "",
                customer: .init(job.customer), address: .init(job.address),
                notes: job.notes.map { .init(id: $0.id.description, content: $0.content, createdAt: $0.createdAt) },
                workStatus: Components.Schemas.Job.WorkStatusPayload(rawValue: job.workStatus.rawValue) ?? .unscheduled,
                workTimestamps: .init(onMyWayAt: nil, startedAt: nil, completedAt: nil),
                schedule: .init(
                    scheduledStart: job.schedule?.start.text, scheduledEnd: job.schedule?.end.text, arrivalWindow: job.schedule?.arrivalWindow ?? 0),
                totalAmount: job.totalAmount, outstandingBalance: job.outstandingBalance,
                assignedEmployees: job.assignedEmployeeIDs.compactMap { employees[$0] }.map(Components.Schemas.Employee.init),
                tags: job.tags, leadSource: job.leadSource, originalEstimateId: nil, createdAt: job.createdAt, updatedAt: job.updatedAt,
                companyName: nil, companyId: nil)
        }
    }
}
