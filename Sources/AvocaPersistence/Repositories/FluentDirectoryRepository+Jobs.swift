import AvocaCore
import FluentKit
import Foundation
import SQLKit

extension FluentDirectoryRepository {
    /// Statuses that free the calendar.
    static let canceledStatuses = [WorkStatus.userCanceled.rawValue, WorkStatus.proCanceled.rawValue]

    public func createJob(_ job: NewJob) async throws -> Job {
        // Invoice numbers are picked as max + 1; two concurrent bookings may pick the same one and
        // the unique index sends the loser round again.
        for _ in 0..<20 {
            do {
                try await db.transaction { tx in
                    if let schedule = job.schedule {
                        try await Self.rejectOverlap(customerID: job.customerID, schedule: schedule, excluding: nil, on: tx)
                    }
                    let model = JobModel()
                    model.id = job.id.uuid
                    model.invoiceNumber = try await Self.invoiceNumber(job.invoiceNumber, on: tx)
                    model.name = job.name
                    model.description = job.description
                    model.customerID = job.customerID.uuid
                    model.addressID = job.addressID.uuid
                    model.workStatus = (job.schedule == nil ? WorkStatus.unscheduled : .scheduled).rawValue
                    model.setSchedule(job.schedule)
                    model.totalAmount = 0
                    model.outstandingBalance = 0
                    model.tags = JSONCoding.encode(job.tags)
                    model.leadSource = job.leadSource
                    model.createdAt = job.createdAt
                    model.updatedAt = job.createdAt
                    try await model.create(on: tx)
                    for (index, content) in job.notes.enumerated() {
                        // A millisecond apart, so the notes keep the order they were written in.
                        let createdAt = job.createdAt.addingTimeInterval(Double(index) / 1000)
                        try await JobNoteModel(jobID: job.id.uuid, content: content, createdAt: createdAt).create(on: tx)
                    }
                    for employee in Set(job.assignedEmployeeIDs) {
                        try await JobAssignmentModel(jobID: job.id.uuid, employeeID: employee.uuid).create(on: tx)
                    }
                }
                return try await self.job(job.id)!
            } catch  where error.isUniqueViolation {
                // PostgreSQL's exclusion constraint caught an overlap that committed after our check.
                if let schedule = job.schedule {
                    try await Self.rejectOverlap(customerID: job.customerID, schedule: schedule, excluding: nil, on: db)
                }
                if let number = job.invoiceNumber, try await JobModel.query(on: db).filter(\.$invoiceNumber == number).count() > 0 {
                    throw DomainError.conflict(code: "invoice_number_taken", message: "Invoice number \(number) is already used by another job.")
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...20)))
            }
        }
        throw DomainError.conflict(code: "busy", message: "Too many simultaneous bookings; please try again.")
    }

    public func job(_ id: JobID) async throws -> Job? {
        guard let model = try await JobModel.find(id.uuid, on: db) else { return nil }
        return try await assemble([model]).first
    }

    public func jobs(_ query: JobQuery) async throws -> ResultPage<Job> {
        var filters: [any SQLExpression] = []
        if let customer = query.customerID { filters.append(SQLQueryString("customer_id = \(bind: customer.uuid)")) }
        if let value = query.scheduledStartMin { filters.append(SQLQueryString("period_start >= \(bind: value)")) }
        if let value = query.scheduledStartMax { filters.append(SQLQueryString("period_start < \(bind: value)")) }
        if let value = query.scheduledEndMin { filters.append(SQLQueryString("period_end > \(bind: value)")) }
        if let value = query.scheduledEndMax { filters.append(SQLQueryString("period_end <= \(bind: value)")) }
        if !query.statuses.isEmpty {
            filters.append(SQLBinaryExpression(SQLColumn("work_status"), .in, SQLGroupExpression(query.statuses.map { SQLBind($0.rawValue) })))
        }
        if !query.employeeIDs.isEmpty {
            let employees = SQLGroupExpression(query.employeeIDs.map { SQLBind($0.uuid) })
            filters.append(SQLQueryString("id IN (SELECT job_id FROM job_assignments WHERE employee_id IN \(employees))"))
        }
        let filter: any SQLExpression = filters.isEmpty ? SQLQueryString("1 = 1") : SQLList(filters, separator: SQLRaw(" AND "))
        let total =
            try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("jobs").where(filter)
            .first()?.decode(column: "count", as: Int.self) ?? 0
        let direction: SQLDirection = query.direction == .asc ? .ascending : .descending
        let rows = try await db.sql.select().column("id").from("jobs").where(filter)
            .orderBy(query.sortBy == .scheduledStart ? "period_start" : "created_at", direction).orderBy("id", direction)
            .limit(query.pageSize).offset(try PageWindow(page: query.page, pageSize: query.pageSize).offset).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        let models = ids.isEmpty ? [] : try await JobModel.query(on: db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(uniqueKeysWithValues: try await assemble(models).map { ($0.id.uuid, $0) })
        return ResultPage(items: ids.compactMap { byID[$0] }, page: query.page, pageSize: query.pageSize, totalItems: total)
    }

    public func updateSchedule(_ id: JobID, schedule: JobSchedule?, status: WorkStatus, at: Date) async throws -> Job {
        do {
            try await db.transaction { tx in
                guard let model = try await JobModel.find(id.uuid, on: tx) else { throw DomainError.notFound(entity: "job") }
                if let schedule {
                    try await Self.rejectOverlap(customerID: CustomerID(model.customerID), schedule: schedule, excluding: id, on: tx)
                }
                model.setSchedule(schedule)
                model.workStatus = status.rawValue
                model.updatedAt = at
                try await model.update(on: tx)
            }
        } catch  where error.isUniqueViolation {
            guard let schedule, let model = try await JobModel.find(id.uuid, on: db) else { throw error }
            try await Self.rejectOverlap(customerID: CustomerID(model.customerID), schedule: schedule, excluding: id, on: db)
            throw DomainError.conflict(code: "busy", message: "The schedule changed meanwhile; please try again.")
        }
        return try await job(id)!
    }

    public func updateStatus(_ id: JobID, status: WorkStatus, at: Date) async throws -> Job {
        guard let model = try await JobModel.find(id.uuid, on: db) else { throw DomainError.notFound(entity: "job") }
        model.workStatus = status.rawValue
        model.updatedAt = at
        try await model.update(on: db)
        return try await job(id)!
    }

    public func setAssignments(_ id: JobID, employeeIDs: [EmployeeID], at: Date) async throws -> Job {
        try await db.transaction { tx in
            guard let model = try await JobModel.find(id.uuid, on: tx) else { throw DomainError.notFound(entity: "job") }
            try await JobAssignmentModel.query(on: tx).filter(\.$jobID == id.uuid).delete()
            for employee in Set(employeeIDs) { try await JobAssignmentModel(jobID: id.uuid, employeeID: employee.uuid).create(on: tx) }
            model.updatedAt = at
            try await model.update(on: tx)
        }
        return try await job(id)!
    }

    public func addNote(_ note: JobNote, to jobID: JobID) async throws {
        let model = JobNoteModel(jobID: jobID.uuid, content: note.content, createdAt: note.createdAt)
        model.id = note.id.uuid
        try await model.create(on: db)
    }

    public func deleteNote(_ noteID: NoteID, of jobID: JobID) async throws -> Bool {
        let existing = try await JobNoteModel.query(on: db).filter(\.$id == noteID.uuid).filter(\.$jobID == jobID.uuid).count()
        guard existing > 0 else { return false }
        try await JobNoteModel.query(on: db).filter(\.$id == noteID.uuid).delete()
        return true
    }

    // MARK: Internals

    /// Throws `job_overlap` naming every live job of the customer whose period meets [start, end).
    static func rejectOverlap(customerID: CustomerID, schedule: JobSchedule, excluding: JobID?, on db: any Database) async throws {
        var query = JobModel.query(on: db).filter(\.$customerID == customerID.uuid)
            .filter(\.$periodStart < schedule.periodEnd).filter(\.$periodEnd > schedule.periodStart)
            .filter(\.$workStatus !~ canceledStatuses)
        if let excluding { query = query.filter(\.$id != excluding.uuid) }
        let conflicts = try await query.all()
        guard conflicts.isEmpty else {
            throw DomainError.conflict(
                code: "job_overlap", message: "This customer already has a job at that time.",
                details: ConflictDetails(conflictingJobIDs: conflicts.compactMap { $0.id?.uuidString.lowercased() }))
        }
    }

    static func invoiceNumber(_ requested: Int?, on db: any Database) async throws -> Int {
        if let requested { return requested }
        let row = try await db.sql.select().column(SQLFunction("MAX", args: SQLColumn("invoice_number")), as: "max").from("jobs").first()
        return (try row?.decode(column: "max", as: Int?.self) ?? nil).map { $0 + 1 } ?? 1001
    }

    /// Jobs with their customers, addresses, notes and assignments, loaded in four queries.
    func assemble(_ models: [JobModel]) async throws -> [Job] {
        guard !models.isEmpty else { return [] }
        let jobIDs = models.compactMap(\.id)
        let customerModels = try await CustomerModel.query(on: db).filter(\.$id ~~ Set(models.map(\.customerID))).all()
        let customers = Dictionary(uniqueKeysWithValues: customerModels.map { ($0.id!, $0.domain(addresses: [])) })
        let addresses = Dictionary(
            uniqueKeysWithValues: try await AddressModel.query(on: db).filter(\.$id ~~ Set(models.map(\.addressID))).all().map { ($0.id!, $0.domain) }
        )
        let notes = Dictionary(
            grouping: try await JobNoteModel.query(on: db).filter(\.$jobID ~~ jobIDs).sort(\.$createdAt).sort(\.$id).all(), by: \.jobID)
        let assignments = Dictionary(grouping: try await JobAssignmentModel.query(on: db).filter(\.$jobID ~~ jobIDs).all(), by: \.jobID)
        return models.compactMap { model in
            guard let customer = customers[model.customerID], let address = addresses[model.addressID] else { return nil }
            return Job(
                id: JobID(model.id!), invoiceNumber: model.invoiceNumber, name: model.name, description: model.description, customer: customer,
                address: address,
                notes: (notes[model.id!] ?? []).map { JobNote(id: NoteID($0.id!), content: $0.content, createdAt: $0.createdAt) },
                workStatus: WorkStatus(rawValue: model.workStatus) ?? .unscheduled, schedule: model.schedule,
                totalAmount: model.totalAmount, outstandingBalance: model.outstandingBalance,
                assignedEmployeeIDs: (assignments[model.id!] ?? []).map { EmployeeID($0.employeeID) }, tags: JSONCoding.decodeStrings(model.tags),
                leadSource: model.leadSource, createdAt: model.createdAt, updatedAt: model.updatedAt)
        }
    }
}

extension JobModel {
    func setSchedule(_ schedule: JobSchedule?) {
        scheduledStart = schedule?.start.text
        scheduledEnd = schedule?.end.text
        arrivalWindow = schedule?.arrivalWindow ?? 0
        periodStart = schedule?.periodStart
        periodEnd = schedule?.periodEnd
    }

    var schedule: JobSchedule? {
        guard let scheduledStart, let scheduledEnd, let start = ScheduleBound(scheduledStart), let end = ScheduleBound(scheduledEnd),
            let periodStart, let periodEnd
        else { return nil }
        return JobSchedule(start: start, end: end, arrivalWindow: arrivalWindow, periodStart: periodStart, periodEnd: periodEnd)
    }
}

extension JobNoteModel {
    convenience init(jobID: UUID, content: String, createdAt: Date) {
        self.init()
        id = UUID()
        self.jobID = jobID
        self.content = content
        self.createdAt = createdAt
    }
}

extension JobAssignmentModel {
    convenience init(jobID: UUID, employeeID: UUID) {
        self.init()
        id = UUID()
        self.jobID = jobID
        self.employeeID = employeeID
    }
}
