import AvocaAPI
import AvocaCore
import AvocaDirectory
import Foundation

extension APIHandler {
    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        let (page, size) = try Paging.validate(page: input.query.page, pageSize: input.query.pageSize)
        let query = input.query
        let result = try await jobs.list(
            JobFilterInput(
                customerID: query.customerId, scheduledStartMin: query.scheduledStartMin, scheduledStartMax: query.scheduledStartMax,
                scheduledEndMin: query.scheduledEndMin, scheduledEndMax: query.scheduledEndMax,
                statuses: (query.workStatus ?? []).map(\.rawValue), employeeIDs: query.employeeIds ?? []),
            page: page, pageSize: size, sortBy: query.sortBy == .scheduledStart ? .scheduledStart : .createdAt,
            direction: query.sortDirection == .asc ? .asc : .desc)
        let rendered = try await render(result.items)
        return .ok(
            .init(
                body: .json(
                    .init(page: result.page, pageSize: result.pageSize, totalPages: result.totalPages, totalItems: result.totalItems, jobs: rendered))))
    }

    func createJob(_ input: Operations.CreateJob.Input) async throws -> Operations.CreateJob.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let job = try await jobs.create(
            JobInput(
                customerID: body.customerId, addressID: body.addressId, invoiceNumber: body.invoiceNumber.map(String.init), name: body.name,
                description: body.description, leadSource: body.leadSource, notes: body.notes, scheduledStart: body.schedule?.scheduledStart,
                scheduledEnd: body.schedule?.scheduledEnd, arrivalWindow: body.schedule?.arrivalWindow,
                assignedEmployeeIDs: body.assignedEmployeeIds ?? [], tags: body.tags ?? []))
        return .ok(.init(body: .json(try await render([job])[0])))
    }

    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        .ok(.init(body: .json(try await render([try await jobs.job(input.path.jobId)])[0])))
    }

    func updateJobSchedule(_ input: Operations.UpdateJobSchedule.Input) async throws -> Operations.UpdateJobSchedule.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let job = try await jobs.reschedule(
            input.path.jobId, start: body.startTime, end: body.endTime, arrivalWindow: body.arrivalWindowInMinutes,
            dispatched: body.dispatchedEmployees?.map(\.employeeId))
        return .ok(.init(body: .json(try await render([job])[0])))
    }

    func deleteJobSchedule(_ input: Operations.DeleteJobSchedule.Input) async throws -> Operations.DeleteJobSchedule.Output {
        .ok(.init(body: .json(try await render([try await jobs.unschedule(input.path.jobId)])[0])))
    }

    func dispatchJob(_ input: Operations.DispatchJob.Input) async throws -> Operations.DispatchJob.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let job = try await jobs.dispatch(input.path.jobId, employeeIDs: body.dispatchedEmployees.map(\.employeeId))
        return .ok(.init(body: .json(try await render([job])[0])))
    }

    func createJobNote(_ input: Operations.CreateJobNote.Input) async throws -> Operations.CreateJobNote.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let note = try await jobs.addNote(input.path.jobId, content: body.content)
        return .created(.init(body: .json(.init(id: note.id.description, content: note.content, createdAt: note.createdAt))))
    }

    func deleteJobNote(_ input: Operations.DeleteJobNote.Input) async throws -> Operations.DeleteJobNote.Output {
        try await jobs.deleteNote(input.path.jobId, noteID: input.path.noteId)
        return .noContent(.init())
    }

    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        var byCustomer = false
        if case .json(let body) = input.body { byCustomer = body.canceledBy == .user }
        return .ok(.init(body: .json(try await render([try await jobs.cancel(input.path.jobId, byCustomer: byCustomer)])[0])))
    }

    /// Jobs in Housecall Pro's shape, with the assigned employees resolved in one pass.
    private func render(_ list: [Job]) async throws -> [Components.Schemas.Job] {
        var employees: [EmployeeID: Employee] = [:]
        for id in Set(list.flatMap(\.assignedEmployeeIDs)) { employees[id] = try await identity.employee(id) }
        return list.map { job in
            Components.Schemas.Job(
                id: job.id.description, invoiceNumber: String(job.invoiceNumber), name: job.name, description: job.description,
                customer: .init(job.customer), address: .init(job.address),
                notes: job.notes.map { .init(id: $0.id.description, content: $0.content, createdAt: $0.createdAt) },
                workStatus: Components.Schemas.Job.WorkStatusPayload(rawValue: job.workStatus.rawValue) ?? .unscheduled,
                workTimestamps: .init(onMyWayAt: nil, startedAt: nil, completedAt: nil),
                schedule: .init(scheduledStart: job.schedule?.start.text, scheduledEnd: job.schedule?.end.text, arrivalWindow: job.schedule?.arrivalWindow ?? 0),
                totalAmount: job.totalAmount, outstandingBalance: job.outstandingBalance,
                assignedEmployees: job.assignedEmployeeIDs.compactMap { employees[$0] }.map(Components.Schemas.Employee.init),
                tags: job.tags, leadSource: job.leadSource, originalEstimateId: nil, createdAt: job.createdAt, updatedAt: job.updatedAt,
                companyName: nil, companyId: nil)
        }
    }
}
