import AvocaCore
import FluentKit
import Foundation
import SQLKit

extension FluentCallRepository {
    // MARK: Offers

    public func createOffer(_ offer: CallOffer, at: Date) async throws -> Bool {
        let model = CallOfferModel()
        model.id = UUID()
        model.callID = offer.callID.uuid
        model.employeeID = offer.employeeID.uuid
        model.status = "pending"
        model.pendingCallID = offer.callID.uuid
        model.offeredAt = at
        model.expiresAt = offer.expiresAt
        do {
            try await model.create(on: db)
        } catch  where error.isUniqueViolation {
            return false  // another instance offered it first
        }
        try await log(offer.callID, kind: .offered, actor: offer.employeeID, detail: nil, at: at)
        return true
    }

    public func pendingOffer(for id: PhoneCallID) async throws -> CallOffer? {
        try await CallOfferModel.query(on: db).filter(\.$pendingCallID == id.uuid).first().map(\.domain)
    }

    public func expireOffers(now: Date) async throws -> [CallOffer] {
        let due = try await CallOfferModel.query(on: db).filter(\.$status == "pending").filter(\.$expiresAt <= now).all()
        var expired: [CallOffer] = []
        for offer in due where try await close(try offer.requireID(), status: OfferEndReason.expired.rawValue, at: now) {
            expired.append(offer.domain)
        }
        return expired
    }

    public func closeOffer(for id: PhoneCallID, employee: EmployeeID?, reason: OfferEndReason, at: Date) async throws -> CallOffer? {
        var query = CallOfferModel.query(on: db).filter(\.$pendingCallID == id.uuid)
        if let employee { query = query.filter(\.$employeeID == employee.uuid) }
        guard let offer = try await query.first(), try await close(try offer.requireID(), status: reason.rawValue, at: at) else { return nil }
        return offer.domain
    }

    /// Closes one pending offer; `false` if someone else closed it first.
    private func close(_ offerID: UUID, status: String, at: Date) async throws -> Bool {
        let rows = try await db.sql.update("call_offers").set("status", to: status).set("pending_call_id", to: SQLLiteral.null)
            .set("closed_at", to: at).where("id", .equal, offerID).where("status", .equal, "pending").returning("id").all()
        return !rows.isEmpty
    }

    public func offeredAgents(for id: PhoneCallID) async throws -> Set<EmployeeID> {
        Set(
            try await CallOfferModel.query(on: db).filter(\.$callID == id.uuid).filter(\.$status != "pending").all().map { EmployeeID($0.employeeID) }
        )
    }

    public func pendingOffers() async throws -> [CallOffer] {
        try await CallOfferModel.query(on: db).filter(\.$status == "pending").all().map(\.domain)
    }

    public func callsOffered(to employee: EmployeeID) async throws -> [PhoneCallID] {
        try await CallOfferModel.query(on: db).filter(\.$status == "pending").filter(\.$employeeID == employee.uuid).all().map {
            PhoneCallID($0.callID)
        }
    }

    public func ringingSummary() async throws -> (count: Int, oldestStartedAt: Date?) {
        let row = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "waiting")
            .column(SQLFunction("MIN", args: SQLColumn("start_date_time")), as: "oldest").from("phone_calls")
            .where("state", .equal, CallState.ringing.rawValue).first()
        guard let row else { return (0, nil) }
        return (try row.decode(column: "waiting", as: Int.self), try row.decode(column: "oldest", as: Date?.self))
    }

    public func ringingCallsWithoutOffer() async throws -> [PhoneCall] {
        let pending = Set(try await CallOfferModel.query(on: db).filter(\.$status == "pending").all().map(\.callID))
        let ringing = try await PhoneCallModel.query(on: db).filter(\.$state == CallState.ringing.rawValue).sort(\.$startDateTime).all()
        return try await named(ringing.filter { !pending.contains($0.id!) })
    }

    // MARK: Presence

    public func setAvailable(_ employee: EmployeeID, _ available: Bool, reason: PresenceReason?, at: Date) async throws {
        // Choosing a state by hand is a fresh start for the missed-offer count.
        let reason = available ? nil : reason?.rawValue
        try await db.transaction { db in
            try await Self.logChange(employee, available: available, reason: reason, at: at, on: db)
            try await db.sql.insert(into: "agent_presence").columns("employee_id", "available", "reason", "missed_offers", "updated_at")
                .values(SQLBind(employee.uuid), SQLBind(available), SQLBind(reason), SQLBind(0), SQLBind(at))
                .onConflict(with: "employee_id") {
                    $0.set(excludedValueOf: "available").set(excludedValueOf: "reason").set(excludedValueOf: "missed_offers")
                        .set(excludedValueOf: "updated_at")
                }
                .run()
        }
    }

    /// Appends to `presence_changes`, the history a report's "time available" is computed from.
    private static func logChange(_ employee: EmployeeID, available: Bool, reason: String?, at: Date, on db: any Database) async throws {
        try await db.sql.insert(into: "presence_changes").columns("id", "employee_id", "available", "reason", "changed_at")
            .values(SQLBind(UUID()), SQLBind(employee.uuid), SQLBind(available), SQLBind(reason), SQLBind(at)).run()
    }

    public func recordMissedOffer(_ employee: EmployeeID, limit: Int, at: Date) async throws -> Bool {
        // One statement per step, so two instances expiring offers at once count both.
        try await db.sql.insert(into: "agent_presence").columns("employee_id", "available", "missed_offers", "updated_at")
            .values(SQLBind(employee.uuid), SQLBind(true), SQLBind(0), SQLBind(at)).ignoringConflicts(with: "employee_id").run()
        try await db.sql.update("agent_presence").set(SQLIdentifier("missed_offers"), to: SQLRaw("missed_offers + 1"))
            .where("employee_id", .equal, employee.uuid).run()
        // Only the update that crosses the limit while the agent is still available reports it.
        let switched = try await db.sql.update("agent_presence")
            .set("available", to: false).set("reason", to: PresenceReason.notResponding.rawValue).set("updated_at", to: at)
            .where("employee_id", .equal, employee.uuid).where("available", .equal, true).where("missed_offers", .greaterThanOrEqual, limit)
            .returning("employee_id").all()
        if !switched.isEmpty { try await Self.logChange(employee, available: false, reason: PresenceReason.notResponding.rawValue, at: at, on: db) }
        return !switched.isEmpty
    }

    public func resetMissedOffers(_ employee: EmployeeID) async throws {
        try await db.sql.update("agent_presence").set("missed_offers", to: 0).where("employee_id", .equal, employee.uuid).run()
    }

    public func touchConnection(_ connectionID: UUID, employee: EmployeeID, at: Date) async throws {
        if let model = try await RealtimeConnectionModel.find(connectionID, on: db) {
            model.lastSeenAt = at
            try await model.update(on: db)
            return
        }
        let model = RealtimeConnectionModel()
        model.id = connectionID
        model.employeeID = employee.uuid
        model.connectedAt = at
        model.lastSeenAt = at
        try await model.create(on: db)
    }

    public func touchConnections(_ connectionIDs: [UUID], at: Date) async throws {
        // In slices, so one statement's bind count stays far below either database's limit.
        for start in stride(from: 0, to: connectionIDs.count, by: 500) {
            let slice = Array(connectionIDs[start..<min(start + 500, connectionIDs.count)])
            try await db.sql.update("realtime_connections").set("last_seen_at", to: at).where("id", .in, slice)
                .where("closed_at", .is, SQLLiteral.null).run()
        }
    }

    public func dropConnection(_ connectionID: UUID, at: Date) async throws {
        // Kept, closed, rather than deleted: a day's report reads when each agent was online.
        try await db.sql.update("realtime_connections").set("closed_at", to: at).where("id", .equal, connectionID)
            .where("closed_at", .is, SQLLiteral.null).run()
    }

    // MARK: Tickets

    public func createTicket(hash: String, employee: EmployeeID, session: SessionID, expiresAt: Date) async throws {
        let model = RealtimeTicketModel()
        model.id = UUID()
        model.ticketHash = hash
        model.employeeID = employee.uuid
        model.sessionID = session.uuid
        model.expiresAt = expiresAt
        try await model.create(on: db)
    }

    public func redeemTicket(hash: String, at: Date) async throws -> (EmployeeID, SessionID)? {
        let rows = try await db.sql.update("realtime_tickets").set("used_at", to: at).where("ticket_hash", .equal, hash)
            .where("used_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, at).returning("employee_id", "session_id").all()
        guard let row = rows.first else { return nil }
        return (EmployeeID(try row.decode(column: "employee_id", as: UUID.self)), SessionID(try row.decode(column: "session_id", as: UUID.self)))
    }
}

extension CallOfferModel {
    var domain: CallOffer { CallOffer(callID: PhoneCallID(callID), employeeID: EmployeeID(employeeID), expiresAt: expiresAt) }
}
