import AvocaCore
import FluentKit
import Foundation
import SQLKit

extension FluentCallRepository: CallReportRepository {
    public func reportRows(
        startedFrom from: Date, before to: Date
    ) async throws -> (
        calls: [ReportedCallRow], log: [CallLogRow], names: [EmployeeID: String]
    ) {
        // Indexed range reads for the period only (start_date_time is indexed); the figures are
        // then derived from these rows, identically on every instance and on both databases.
        let startedInPeriod = SQLBinaryExpression(
            SQLBinaryExpression(SQLColumn("start_date_time", table: "c"), .greaterThanOrEqual, SQLBind(from)), .and,
            SQLBinaryExpression(SQLColumn("start_date_time", table: "c"), .lessThan, SQLBind(to)))
        let callRows = try await db.sql.select()
            .column(SQLColumn("phone_call_id", table: "c")).column(SQLColumn("phone_number", table: "c")).column(SQLColumn("state", table: "c"))
            .column(SQLColumn("start_date_time", table: "c")).column(SQLColumn("end_date_time", table: "c"))
            .column(SQLColumn("employee_id", table: "c")).column(SQLColumn("customer_id", table: "c")).column(SQLColumn("job_id", table: "c"))
            .column(SQLColumn("outcome", table: "c")).column(SQLColumn("notes", table: "c"))
            .column(SQLColumn("first_name", table: "u"), as: "customer_first_name").column(
                SQLColumn("last_name", table: "u"), as: "customer_last_name"
            )
            .column(SQLColumn("company", table: "u"), as: "customer_company")
            .from(SQLAlias(SQLIdentifier("phone_calls"), as: SQLIdentifier("c")))
            .join(
                SQLAlias(SQLIdentifier("customers"), as: SQLIdentifier("u")), method: SQLJoinMethod.left,
                on: SQLColumn("customer_id", table: "c"), .equal, SQLColumn("id", table: "u")
            )
            .where(startedInPeriod)
            .orderBy(SQLColumn("start_date_time", table: "c")).orderBy(SQLColumn("phone_call_id", table: "c")).all()
        let logRows = try await db.sql.select()
            .column(SQLColumn("phone_call_id", table: "e")).column(SQLColumn("kind", table: "e")).column(SQLColumn("actor_id", table: "e"))
            .column(SQLColumn("created_at", table: "e"))
            .from(SQLAlias(SQLIdentifier("phone_call_events"), as: SQLIdentifier("e")))
            .join(
                SQLAlias(SQLIdentifier("phone_calls"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                on: SQLColumn("phone_call_id", table: "e"), .equal, SQLColumn("phone_call_id", table: "c")
            )
            .where(startedInPeriod)
            .orderBy(SQLColumn("created_at", table: "e")).all()
        // The jobs booked on those calls, in booking order (one more range read).
        let jobRows = try await db.sql.select()
            .column(SQLColumn("phone_call_id", table: "j")).column(SQLColumn("job_id", table: "j"))
            .from(SQLAlias(SQLIdentifier("phone_call_jobs"), as: SQLIdentifier("j")))
            .join(
                SQLAlias(SQLIdentifier("phone_calls"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                on: SQLColumn("phone_call_id", table: "j"), .equal, SQLColumn("phone_call_id", table: "c")
            )
            .where(startedInPeriod)
            .orderBy(SQLColumn("phone_call_id", table: "j")).orderBy(SQLColumn("position", table: "j")).all()
        var bookedJobs: [UUID: [JobID]] = [:]
        for row in jobRows {
            bookedJobs[try row.decode(column: "phone_call_id", as: UUID.self), default: []].append(
                JobID(try row.decode(column: "job_id", as: UUID.self)))
        }
        var calls: [ReportedCallRow] = []
        calls.reserveCapacity(callRows.count)
        for row in callRows {
            let first = try row.decode(column: "customer_first_name", as: String?.self)
            let last = try row.decode(column: "customer_last_name", as: String?.self)
            let company = try row.decode(column: "customer_company", as: String?.self)
            let person = [first, last].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            calls.append(
                ReportedCallRow(
                    id: PhoneCallID(try row.decode(column: "phone_call_id", as: UUID.self)),
                    phoneNumber: try row.decode(column: "phone_number", as: String.self),
                    state: CallState(rawValue: try row.decode(column: "state", as: String.self)) ?? .completed,
                    startedAt: try row.decode(column: "start_date_time", as: Date.self),
                    endedAt: try row.decode(column: "end_date_time", as: Date?.self),
                    employeeID: try row.decode(column: "employee_id", as: UUID?.self).map(EmployeeID.init),
                    customerID: try row.decode(column: "customer_id", as: UUID?.self).map(CustomerID.init),
                    customerName: person.isEmpty ? (company?.isEmpty == false ? company : nil) : person,
                    jobID: try row.decode(column: "job_id", as: UUID?.self).map(JobID.init),
                    outcome: try row.decode(column: "outcome", as: String?.self).flatMap(CallOutcome.init(rawValue:)),
                    notes: try row.decode(column: "notes", as: String?.self)))
        }
        var log: [CallLogRow] = []
        log.reserveCapacity(logRows.count)
        for row in logRows {
            log.append(
                CallLogRow(
                    callID: PhoneCallID(try row.decode(column: "phone_call_id", as: UUID.self)),
                    kind: CallLogKind(rawValue: try row.decode(column: "kind", as: String.self)),
                    actorID: try row.decode(column: "actor_id", as: UUID?.self).map(EmployeeID.init),
                    at: try row.decode(column: "created_at", as: Date.self)))
        }
        for index in calls.indices { calls[index].jobIDs = bookedJobs[calls[index].id.uuid] ?? [] }
        let names = try await employeeNames(Set(calls.compactMap(\.employeeID?.uuid) + log.compactMap(\.actorID?.uuid)))
        for index in calls.indices { calls[index].employeeName = calls[index].employeeID.flatMap { names[$0] } }
        return (calls, log, names)
    }

    /// Full names of these employees, in one query.
    func employeeNames(_ people: Set<UUID>) async throws -> [EmployeeID: String] {
        guard !people.isEmpty else { return [:] }
        var names: [EmployeeID: String] = [:]
        for employee in try await EmployeeModel.query(on: db).filter(\.$id ~~ people).all() {
            guard let id = employee.id else { continue }
            names[EmployeeID(id)] = "\(employee.firstName) \(employee.lastName)"
        }
        return names
    }
}
