import AvocaCore
import FluentKit
import Foundation
import SQLKit

/// `CallRepository` on FluentKit. Every transition is one conditional UPDATE, so two instances
/// (or two requests) can never both win a claim, end a call twice or double-offer it.
public struct FluentCallRepository: CallRepository {
    let database: AvocaDatabase
    var db: any Database { database.db }

    /// Creates the repository.
    public init(database: AvocaDatabase) { self.database = database }

    public func startCall(_ call: PhoneCall) async throws -> (PhoneCall, created: Bool) {
        if let external = call.externalID, let existing = try await PhoneCallModel.query(on: db).filter(\.$externalID == external).first() {
            return (try await named([existing])[0], false)
        }
        do {
            try await PhoneCallModel(call).create(on: db)
            try await log(call.id, kind: .created, actor: nil, detail: call.phoneNumber, at: call.createdAt)
            return (call, true)
        } catch  where error.isUniqueViolation {
            guard let external = call.externalID, let existing = try await PhoneCallModel.query(on: db).filter(\.$externalID == external).first()
            else { throw error }
            return (try await named([existing])[0], false)
        }
    }

    public func call(_ id: PhoneCallID) async throws -> PhoneCall? {
        guard let model = try await PhoneCallModel.find(id.uuid, on: db) else { return nil }
        return try await named([model]).first
    }

    public func calls(_ query: CallQuery) async throws -> ResultPage<PhoneCall> {
        func filtered() -> QueryBuilder<PhoneCallModel> {
            var builder = PhoneCallModel.query(on: db)
            if !query.states.isEmpty { builder = builder.filter(\.$state ~~ query.states.map(\.rawValue)) }
            if let owner = query.ownerID { builder = builder.filter(\.$employeeID == owner.uuid) }
            if let customer = query.customerID { builder = builder.filter(\.$customerID == customer.uuid) }
            if let from = query.from { builder = builder.filter(\.$startDateTime >= from) }
            if let to = query.to { builder = builder.filter(\.$startDateTime < to) }
            return builder
        }
        let total = try await filtered().count()
        let models = try await filtered().sort(\.$startDateTime, .descending).sort(\.$id, .descending)
            .range(try PageWindow(page: query.page, pageSize: query.pageSize).rows).all()
        return ResultPage(items: try await named(models), page: query.page, pageSize: query.pageSize, totalItems: total)
    }

    public func board(recentEnded: Int) async throws -> [PhoneCall] {
        let live = try await PhoneCallModel.query(on: db).filter(\.$state ~~ ["ringing", "active", "wrap_up"])
            .sort(\.$startDateTime, .descending).limit(500).all()
        let ended = try await PhoneCallModel.query(on: db).filter(\.$state ~~ ["completed", "missed"])
            .sort(\.$startDateTime, .descending).limit(recentEnded).all()
        return try await named(live + ended)
    }

    public func appendSegments(
        _ segments: [TranscriptSegment], to id: PhoneCallID, at: Date, notifying notification: DatabaseNotification? = nil
    ) async throws -> AppendResult {
        // PostgreSQL only (SQLite has no prepared hot paths): the common case in one statement.
        if let appended = try await appendContinuing(segments, to: id, at: at, notifying: notification) { return appended }
        let lockingRow = database.location.isPostgres
        return try await database.write { tx in try await Self.append(segments, to: id, at: at, lockingRow: lockingRow, on: tx) }
    }

    /// The general append, inside the caller's transaction: stores what continues the call, skips
    /// what is already stored, and refuses a gap or an ended call.
    private static func append(
        _ segments: [TranscriptSegment], to id: PhoneCallID, at: Date, lockingRow: Bool, on tx: any Database
    ) async throws -> AppendResult {
        // Lock the call row (PostgreSQL) so concurrent appends to one call take turns; SQLite's
        // single connection already serialises them.
        let lock = try await tx.sql.raw(
            "SELECT state, last_seq FROM phone_calls WHERE phone_call_id = \(bind: id.uuid)\(unsafeRaw: lockingRow ? " FOR UPDATE" : "")"
        ).first()
        guard let lock else { throw DomainError.notFound(entity: "phone_call") }
        var lastSeq = try lock.decode(column: "last_seq", as: Int.self)
        let state = CallState(rawValue: try lock.decode(column: "state", as: String.self)) ?? .completed
        var stored: [TranscriptSegment] = []
        for segment in segments.sorted(by: { $0.seq < $1.seq }) {
            if segment.seq <= lastSeq { continue }  // a retry of something already stored
            guard segment.seq == lastSeq + 1 else {
                throw DomainError.conflict(
                    code: "transcript_gap", message: "Segment \(segment.seq) arrived but \(lastSeq + 1) is next; send from seq \(lastSeq + 1).",
                    details: ConflictDetails(expectedSeq: lastSeq + 1))
            }
            guard state.isLive else {
                throw DomainError.conflict(code: "call_ended", message: "The call has ended; no new transcript is accepted.")
            }
            stored.append(TranscriptSegment(seq: segment.seq, speaker: segment.speaker, text: segment.text, createdAt: at))
            lastSeq = segment.seq
        }
        if !stored.isEmpty {
            // One statement for the whole batch: this runs for every word of every call.
            var insert = try tx.sql.insert(into: TranscriptSegmentModel.schema).columns(
                "id", "phone_call_id", "seq", "speaker", "text", "created_at")
            for segment in stored {
                insert = insert.values(
                    SQLBind(UUID()), SQLBind(id.uuid), SQLBind(segment.seq), SQLBind(segment.speaker.rawValue), SQLBind(segment.text), SQLBind(at)
                )
            }
            try await insert.run()
        }
        if !stored.isEmpty || state.isLive {
            try await tx.sql.update("phone_calls").set("last_seq", to: lastSeq).set("last_activity_at", to: at)
                .where("phone_call_id", .equal, id.uuid).run()
        }
        return AppendResult(stored: stored, lastSeq: lastSeq)
    }

    /// PostgreSQL, the common case of every word: the batch continues the call exactly where it
    /// stands. One prepared statement (one round trip, no transaction of five) checks that, moves
    /// `last_seq`, stores the words and sends `notification`. `nil` when the batch does not
    /// continue a live call (a retry, a gap, an ended call): nothing is stored or sent, and the
    /// general path decides, with its exact answers.
    private func appendContinuing(
        _ segments: [TranscriptSegment], to id: PhoneCallID, at: Date, notifying notification: DatabaseNotification?
    ) async throws -> AppendResult? {
        guard let hotPaths = database.hotPaths else { return nil }
        let sorted = segments.sorted { $0.seq < $1.seq }
        guard let first = sorted.first, let last = sorted.last,
            last.seq &- first.seq == sorted.count &- 1, first.seq > 0,
            try await hotPaths.appendContinuing(sorted, to: id, at: at, notifying: notification)
        else { return nil }
        return AppendResult(
            stored: sorted.map { TranscriptSegment(seq: $0.seq, speaker: $0.speaker, text: $0.text, createdAt: at) }, lastSeq: last.seq,
            notified: notification != nil)
    }

    public func segments(of id: PhoneCallID, after afterSeq: Int) async throws -> [TranscriptSegment] {
        try await TranscriptSegmentModel.query(on: db).filter(\.$callID == id.uuid).filter(\.$seq > afterSeq).sort(\.$seq).all().map {
            TranscriptSegment(seq: $0.seq, speaker: Speaker(rawValue: $0.speaker) ?? .caller, text: $0.text, createdAt: $0.createdAt)
        }
    }

    public func claim(_ id: PhoneCallID, by employee: EmployeeID, at: Date) async throws -> PhoneCall? {
        let rows = try await db.sql.update("phone_calls").set("state", to: CallState.active.rawValue).set("employee_id", to: employee.uuid)
            .set("updated_at", to: at).where("phone_call_id", .equal, id.uuid).where("state", .equal, CallState.ringing.rawValue)
            .where("employee_id", .is, SQLLiteral.null).returning("phone_call_id").all()
        return try await won(rows, id, kind: .claimed, by: employee, at: at)
    }

    public func claimCallback(_ id: PhoneCallID, by employee: EmployeeID, at: Date) async throws -> PhoneCall? {
        let rows = try await db.sql.update("phone_calls").set("employee_id", to: employee.uuid).set("updated_at", to: at)
            .where("phone_call_id", .equal, id.uuid).where("state", .equal, CallState.missed.rawValue)
            .where("employee_id", .is, SQLLiteral.null).returning("phone_call_id").all()
        return try await won(rows, id, kind: .callbackClaimed, by: employee, at: at)
    }

    /// After a conditional update: logs the change and returns the call when the update matched
    /// (this caller won), `nil` when it matched nothing.
    private func won(_ rows: [any SQLRow], _ id: PhoneCallID, kind: CallLogKind, by employee: EmployeeID, at: Date) async throws -> PhoneCall? {
        guard !rows.isEmpty else { return nil }
        try await log(id, kind: kind, actor: employee, detail: nil, at: at)
        return try await call(id)
    }

    public func release(_ id: PhoneCallID, by employee: EmployeeID, at: Date) async throws -> PhoneCall? {
        let rows = try await db.sql.update("phone_calls").set("state", to: CallState.ringing.rawValue).set("employee_id", to: SQLLiteral.null)
            .set("updated_at", to: at).where("phone_call_id", .equal, id.uuid).where("state", .equal, CallState.active.rawValue)
            .where("employee_id", .equal, employee.uuid).returning("phone_call_id").all()
        return try await won(rows, id, kind: .released, by: employee, at: at)
    }

    public func reassign(_ id: PhoneCallID, from owner: EmployeeID, to target: EmployeeID, at: Date) async throws -> PhoneCall? {
        let rows = try await db.sql.update("phone_calls").set("employee_id", to: target.uuid).set("updated_at", to: at)
            .where("phone_call_id", .equal, id.uuid).where("state", .equal, CallState.active.rawValue)
            .where("employee_id", .equal, owner.uuid).returning("phone_call_id").all()
        guard !rows.isEmpty else { return nil }
        return try await call(id)
    }

    public func end(_ id: PhoneCallID, reason: CallEndReason, at: Date) async throws -> (PhoneCall, ended: Bool)? {
        let next = SQLQueryString("CASE WHEN state = 'active' THEN 'wrap_up' ELSE 'missed' END")
        let rows = try await db.sql.update("phone_calls").set("state", to: next).set("end_date_time", to: at).set("end_reason", to: reason.rawValue)
            .set("updated_at", to: at).where("phone_call_id", .equal, id.uuid)
            .where("state", .in, [CallState.ringing.rawValue, CallState.active.rawValue]).returning("phone_call_id").all()
        guard let call = try await call(id) else { return nil }
        if !rows.isEmpty { try await log(id, kind: .ended, actor: nil, detail: reason.rawValue, at: at) }
        return (call, !rows.isEmpty)
    }

    public func update(_ call: PhoneCall, ifStill state: CallState, ownedBy owner: EmployeeID?) async throws -> Bool {
        try await db.transaction { tx in
            guard try await Self.update(call, ifStill: state, ownedBy: owner, on: tx) else { return false }
            try await Self.writeJobs(call, on: tx)
            return true
        }
    }

    /// The call's row, if it is still in `state` with `owner`.
    private static func update(_ call: PhoneCall, ifStill state: CallState, ownedBy owner: EmployeeID?, on db: any Database) async throws -> Bool {
        let update = try db.sql.update("phone_calls").set("customer_id", to: call.customerID?.uuid).set("job_id", to: call.jobID?.uuid)
            .set("outcome", to: call.outcome?.rawValue).set("notes", to: call.notes).set("state", to: call.state.rawValue)
            .set("updated_at", to: call.updatedAt).where("phone_call_id", .equal, call.id.uuid).where("state", .equal, state.rawValue)
        if let owner {
            update.where("employee_id", .equal, owner.uuid)
        } else {
            update.where("employee_id", .is, SQLLiteral.null)
        }
        return !(try await update.returning("phone_call_id").all().isEmpty)
    }

    /// Rewrites the jobs booked on the call (a handful of rows), in order.
    private static func writeJobs(_ call: PhoneCall, on db: any Database) async throws {
        let sql = try db.sql
        try await sql.delete(from: "phone_call_jobs").where("phone_call_id", .equal, call.id.uuid).run()
        guard !call.jobIDs.isEmpty else { return }
        let insert = sql.insert(into: "phone_call_jobs").columns("phone_call_id", "job_id", "position", "linked_at")
        for (index, job) in call.jobIDs.enumerated() {
            insert.values(SQLBind(call.id.uuid), SQLBind(job.uuid), SQLBind(index + 1), SQLBind(call.updatedAt))
        }
        try await insert.run()
    }

    public func staleCalls(silentSince cutoff: Date) async throws -> [PhoneCall] {
        try await named(
            PhoneCallModel.query(on: db).filter(\.$state ~~ ["ringing", "active"]).filter(\.$lastActivityAt < cutoff).all())
    }

    public func log(_ id: PhoneCallID, kind: CallLogKind, actor: EmployeeID?, detail: String?, at: Date) async throws {
        let event = PhoneCallEventModel()
        event.id = UUID()
        event.callID = id.uuid
        event.kind = kind.rawValue
        event.actorID = actor?.uuid
        event.detail = detail.map { String($0.prefix(500)) }
        event.createdAt = at
        try await event.create(on: db)
    }

    /// Calls with the owning employee's name filled in (one query for all names).
    func named(_ models: [PhoneCallModel]) async throws -> [PhoneCall] {
        let ownerIDs = Set(models.compactMap(\.employeeID))
        let names =
            ownerIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await EmployeeModel.query(on: db).filter(\.$id ~~ ownerIDs).all().map {
                    ($0.id!, "\($0.firstName) \($0.lastName)")
                })
        let jobs = try await bookedJobs(of: models.compactMap(\.id))
        return models.map { model in
            var call = model.domain(employeeName: model.employeeID.flatMap { names[$0] })
            // A call stored before phone_call_jobs (none left after its migration) still shows its job.
            call.jobIDs = model.id.flatMap { jobs[$0] } ?? model.jobID.map { [JobID($0)] } ?? []
            return call
        }
    }

    /// The jobs booked on each of these calls, in booking order (one query).
    private func bookedJobs(of callIDs: [UUID]) async throws -> [UUID: [JobID]] {
        guard !callIDs.isEmpty else { return [:] }
        let rows = try await db.sql.select().column("phone_call_id").column("job_id").from("phone_call_jobs")
            .where("phone_call_id", .in, callIDs).orderBy("phone_call_id").orderBy("position").all()
        var jobs: [UUID: [JobID]] = [:]
        for row in rows {
            jobs[try row.decode(column: "phone_call_id", as: UUID.self), default: []].append(JobID(try row.decode(column: "job_id", as: UUID.self)))
        }
        return jobs
    }
}

extension PhoneCallModel {
    convenience init(_ call: PhoneCall) {
        self.init()
        id = call.id.uuid
        phoneNumber = call.phoneNumber
        externalID = call.externalID
        state = call.state.rawValue
        startDateTime = call.startedAt
        endDateTime = call.endedAt
        employeeID = call.employeeID?.uuid
        customerID = call.customerID?.uuid
        jobID = call.jobID?.uuid
        outcome = call.outcome?.rawValue
        notes = call.notes
        endReason = call.endReason?.rawValue
        lastSeq = call.lastSeq
        lastActivityAt = call.lastActivityAt
        createdAt = call.createdAt
        updatedAt = call.updatedAt
        callerCustomerID = call.caller?.customerID.uuid
        callerName = call.caller?.name
        callerOpenJobs = call.caller?.openJobs
        callerLastJob = call.caller?.lastJob
        callerLastJobAt = call.caller?.lastJobAt
        sourceAPIKeyID = call.sourceKeyID?.uuid
    }

    func domain(employeeName: String?) -> PhoneCall {
        PhoneCall(
            id: PhoneCallID(id!), phoneNumber: phoneNumber, externalID: externalID, state: CallState(rawValue: state) ?? .completed,
            startedAt: startDateTime, endedAt: endDateTime, employeeID: employeeID.map(EmployeeID.init), employeeName: employeeName,
            customerID: customerID.map(CustomerID.init), jobIDs: jobID.map { [JobID($0)] } ?? [],
            outcome: outcome.flatMap(CallOutcome.init(rawValue:)),
            notes: notes, endReason: endReason.flatMap(CallEndReason.init(rawValue:)), lastSeq: lastSeq, lastActivityAt: lastActivityAt,
            createdAt: createdAt, updatedAt: updatedAt,
            caller: callerCustomerID.map {
                CallerMatch(
                    customerID: CustomerID($0), name: callerName ?? "", openJobs: callerOpenJobs ?? 0, lastJob: callerLastJob,
                    lastJobAt: callerLastJobAt)
            }, sourceKeyID: sourceAPIKeyID.map(APIKeyID.init))
    }
}
