import AvocaCore
import FluentKit
import Foundation
import SQLKit

extension FluentDirectoryRepository {
    /// Statuses that free the calendar.
    static let canceledStatuses = [WorkStatus.userCanceled.rawValue, WorkStatus.proCanceled.rawValue]

    public func createJob(_ job: NewJob) async throws -> Job {
        let notes = Self.notes(of: job)
        var seen = Set<EmployeeID>()
        let assigned = job.assignedEmployeeIDs.filter { seen.insert($0).inserted }
        // A lost race (an overlapping job or the same invoice number, committed after our check)
        // sends the booking round again; the overlap check then names the job it lost to.
        for _ in 0..<20 {
            var collided = false
            do {
                if let invoiceNumber = try await store(job, notes: notes, assigned: assigned) {
                    return try await created(job, invoiceNumber: invoiceNumber, notes: notes, assigned: assigned)
                }
            } catch  where error.isUniqueViolation {
                if let number = job.invoiceNumber, try await JobModel.query(on: db).filter(\.$invoiceNumber == number).count() > 0 {
                    throw DomainError.conflict(code: "invoice_number_taken", message: "Invoice number \(number) is already used by another job.")
                }
                collided = true
            }
            if let schedule = job.schedule {
                try await Self.rejectOverlap(customerID: job.customerID, schedule: schedule, excluding: nil, on: db)
            }
            if collided { try await Task.sleep(for: .milliseconds(Int.random(in: 1...20))) }
        }
        throw DomainError.conflict(code: "busy", message: "Too many simultaneous bookings; please try again.")
    }

    /// Stores the job; its invoice number, or nil when PostgreSQL's probe saw an overlapping job.
    /// SQLite checks and inserts on its single connection, in a transaction shared with the writes
    /// that arrive meanwhile (it has no exclusion constraint; the serialised check is the rule).
    private func store(_ job: NewJob, notes: [JobNote], assigned: [EmployeeID]) async throws -> Int? {
        let status = job.schedule == nil ? WorkStatus.unscheduled : .scheduled
        if let hotPaths = database.hotPaths { return try await hotPaths.book(job, status: status, notes: notes, assigned: assigned) }
        return try await database.write { (tx: any Database) async throws -> Int in
            if let schedule = job.schedule {
                try await Self.rejectOverlap(customerID: job.customerID, schedule: schedule, excluding: nil, on: tx)
            }
            let invoiceNumber = try await Self.insertJob(job, status: status, on: tx.sql)
            try await Self.insertDetails(of: job, notes: notes, assigned: assigned, on: tx.sql)
            return invoiceNumber
        }
    }

    /// SQLite: inserts the job row in one statement, the next free invoice number included, and
    /// returns the number it got. A booking is on every call's path; Fluent's model reflection and
    /// a separate MAX query cost more than the insert itself.
    private static func insertJob(_ job: NewJob, status: WorkStatus, on sql: any SQLDatabase) async throws -> Int {
        let values: SQLQueryString = """
            \(bind: job.id.uuid), \(bind: job.name), \(bind: job.description), \(bind: job.customerID.uuid), \(bind: job.addressID.uuid), \
            \(bind: status.rawValue), \(bind: job.schedule?.start.text), \(bind: job.schedule?.end.text), \(bind: job.schedule?.arrivalWindow ?? 0), \
            \(bind: job.schedule?.periodStart), \(bind: job.schedule?.periodEnd), 0, 0, \(bind: JSONCoding.encode(job.tags)), \
            \(bind: job.leadSource), \(bind: job.createdAt), \(bind: job.createdAt)
            """
        let invoice: SQLQueryString =
            if let requested = job.invoiceNumber { "\(bind: requested)" } else { "(SELECT COALESCE(MAX(invoice_number), 1000) + 1 FROM jobs)" }
        let row = try await sql.raw(
            """
            INSERT INTO jobs (id, name, description, customer_id, address_id, work_status, scheduled_start, scheduled_end, \
            arrival_window, period_start, period_end, total_amount, outstanding_balance, tags, lead_source, created_at, updated_at, \
            invoice_number) VALUES (\(values), \(invoice)) RETURNING invoice_number
            """
        ).first()
        guard let number = try row?.decode(column: "invoice_number", as: Int.self) else {
            throw DomainError.conflict(code: "busy", message: "The job could not be stored; please try again.")
        }
        return number
    }

    /// The job's first notes and its dispatched employees, one multi-row insert each.
    private static func insertDetails(of job: NewJob, notes: [JobNote], assigned: [EmployeeID], on sql: any SQLDatabase) async throws {
        let jobID = job.id.uuid
        if !notes.isEmpty {
            let rows: [[any SQLExpression]] = notes.map { [SQLBind($0.id.uuid), SQLBind(jobID), SQLBind($0.content), SQLBind($0.createdAt)] }
            try await sql.insert(into: JobNoteModel.schema).columns("id", "job_id", "content", "created_at").rows(rows).run()
        }
        if !assigned.isEmpty {
            let rows: [[any SQLExpression]] = assigned.map { [SQLBind(UUID()), SQLBind(jobID), SQLBind($0.uuid)] }
            try await sql.insert(into: JobAssignmentModel.schema).columns("id", "job_id", "employee_id").rows(rows).run()
        }
    }

    /// The notes a new job starts with, a millisecond apart so they keep the order they were written in.
    private static func notes(of job: NewJob) -> [JobNote] {
        job.notes.enumerated().map { index, content in
            JobNote(id: NoteID(UUID()), content: content, createdAt: job.createdAt.addingTimeInterval(Double(index) / 1000))
        }
    }

    /// The job just stored, built from what was written, with the customer the caller read (or,
    /// without one, read back).
    private func created(_ job: NewJob, invoiceNumber: Int, notes: [JobNote], assigned: [EmployeeID]) async throws -> Job {
        let read: Customer? = if let customer = job.customer { customer } else { try await self.customer(job.customerID) }
        guard var customer = read,
            let address = customer.addresses.first(where: { $0.id == job.addressID })
        else { throw DomainError.notFound(entity: "customer") }
        // A job carries its customer without the address list, as every other job read does.
        customer.addresses = []
        return Job(
            id: job.id, invoiceNumber: invoiceNumber, name: job.name, description: job.description, customer: customer, address: address,
            notes: notes, workStatus: job.schedule == nil ? .unscheduled : .scheduled, schedule: job.schedule,
            assignedEmployeeIDs: assigned, tags: job.tags, leadSource: job.leadSource, createdAt: job.createdAt,
            updatedAt: job.createdAt)
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
        // Only the ids are needed: this runs inside every booking's transaction.
        var query: SQLQueryString = """
            SELECT id FROM jobs WHERE customer_id = \(bind: customerID.uuid) AND period_start < \(bind: schedule.periodEnd) \
            AND period_end > \(bind: schedule.periodStart) AND work_status NOT IN (\(binds: canceledStatuses))
            """
        if let excluding { query += " AND id <> \(bind: excluding.uuid)" }
        let rows = try await db.sql.raw(query + " ORDER BY period_start, id").all()
        guard rows.isEmpty else {
            throw DomainError.conflict(
                code: "job_overlap", message: "This customer already has a job at that time.",
                details: ConflictDetails(conflictingJobIDs: try rows.map { try $0.decode(column: "id", as: UUID.self).uuidString.lowercased() }))
        }
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
