import AvocaCore
import FluentKit
import Foundation
import SQLKit

extension FluentCallRepository {
    /// Presence is read every second while anything changes and once per connecting socket, so it
    /// is a handful of narrow SQL reads decoded straight from the rows (no model reflection), and
    /// none of them grows with the history: closed connections and old calls are skipped by index.
    public func presence(onlineSince: Date, of only: EmployeeID?) async throws -> [AgentPresence] {
        let sql = try db.sql
        var employees = sql.select().column(SQLColumn("id", table: "e")).column(SQLColumn("first_name", table: "e"))
            .column(SQLColumn("last_name", table: "e")).column(SQLColumn("available", table: "p")).column(SQLColumn("reason", table: "p"))
            .column(SQLColumn("updated_at", table: "p"))
            .from(SQLAlias(SQLIdentifier("employees"), as: SQLIdentifier("e")))
            .join(
                SQLAlias(SQLIdentifier("agent_presence"), as: SQLIdentifier("p")), method: SQLJoinMethod.left,
                on: SQLColumn("employee_id", table: "p"), .equal, SQLColumn("id", table: "e")
            )
            .where(SQLColumn("is_active", table: "e"), .equal, SQLBind(true))
            .where(SQLColumn("totp_enabled_at", table: "e"), .isNot, SQLLiteral.null)
        var connections = sql.select().column("employee_id").column(SQLFunction("MIN", args: SQLColumn("connected_at")), as: "since")
            .from("realtime_connections").where("last_seen_at", .greaterThanOrEqual, onlineSince).where("closed_at", .is, SQLLiteral.null)
        var owned = sql.select().columns("phone_call_id", "employee_id", "state", "end_date_time").from("phone_calls")
            .where("state", .in, [CallState.active.rawValue, CallState.wrapUp.rawValue]).where("employee_id", .isNot, SQLLiteral.null)
        if let only {
            employees = employees.where(SQLColumn("id", table: "e"), .equal, SQLBind(only.uuid))
            connections = connections.where("employee_id", .equal, only.uuid)
            owned = owned.where("employee_id", .equal, only.uuid)
        }

        var online: [UUID: Date] = [:]
        for row in try await connections.groupBy("employee_id").all() {
            online[try row.decode(column: "employee_id", as: UUID.self)] = try row.decode(column: "since", as: Date.self)
        }
        var active: [UUID: UUID] = [:]  // employee → call
        var wrapUp: [UUID: Date?] = [:]  // employee → when that call ended
        for row in try await owned.all() {
            let employee = try row.decode(column: "employee_id", as: UUID.self)
            if try row.decode(column: "state", as: String.self) == CallState.active.rawValue {
                active[employee] = try row.decode(column: "phone_call_id", as: UUID.self)
            } else {
                wrapUp[employee] = try row.decode(column: "end_date_time", as: Date?.self)
            }
        }
        let idle = try await lastCallEnded(since: online.values.min(), of: only)
        let answered = try await answeredAt(Array(active.values))

        return try await employees.all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let available = try row.decode(column: "available", as: Bool?.self) ?? true
            let reason = available ? nil : try row.decode(column: "reason", as: String?.self).flatMap(PresenceReason.init(rawValue:))
            let toggled = try row.decode(column: "updated_at", as: Date?.self)
            let connectedAt = online[id]
            let status: PresenceStatus =
                if connectedAt == nil { .offline } else if active[id] != nil { .onCall } else if wrapUp[id] != nil {
                    .wrapUp
                } else if reason
                    == .notResponding
                {
                    .notResponding
                } else if !available { .away } else { .available }
            // Free since the later of coming online and hanging up (an older call does not matter).
            let idleSince = connectedAt.map { max($0, idle[id] ?? $0) }
            let statusSince: Date? =
                switch status {
                case .offline: nil
                case .onCall: active[id].flatMap { answered[$0] }
                case .wrapUp: wrapUp[id] ?? nil
                case .away, .notResponding: toggled ?? connectedAt
                case .available: [idleSince, toggled].compactMap { $0 }.max()
                }
            return AgentPresence(
                employeeID: EmployeeID(id),
                name: "\(try row.decode(column: "first_name", as: String.self)) \(try row.decode(column: "last_name", as: String.self))",
                status: status, available: available, idleSince: idleSince, reason: reason, statusSince: statusSince)
        }
    }

    /// Each agent's last hang-up since `since` (the earliest an online agent connected): older ones
    /// cannot be anyone's idle time, so the read stays small however many calls the company has had.
    private func lastCallEnded(since: Date?, of only: EmployeeID?) async throws -> [UUID: Date] {
        guard let since else { return [:] }
        var query = try db.sql.select().column("employee_id").column(SQLFunction("MAX", args: SQLColumn("end_date_time")), as: "ended")
            .from("phone_calls").where("end_date_time", .greaterThanOrEqual, since).where("employee_id", .isNot, SQLLiteral.null)
        if let only { query = query.where("employee_id", .equal, only.uuid) }
        var ended: [UUID: Date] = [:]
        for row in try await query.groupBy("employee_id").all() {
            if let at = try row.decode(column: "ended", as: Date?.self) { ended[try row.decode(column: "employee_id", as: UUID.self)] = at }
        }
        return ended
    }

    /// When each of these active calls reached its current owner (claimed, or reassigned to them).
    private func answeredAt(_ calls: [UUID]) async throws -> [UUID: Date] {
        guard !calls.isEmpty else { return [:] }
        let rows = try await db.sql.select().column("phone_call_id").column(SQLFunction("MAX", args: SQLColumn("created_at")), as: "at")
            .from("phone_call_events").where("phone_call_id", .in, calls)
            .where("kind", .in, [CallLogKind.claimed.rawValue, CallLogKind.reassigned.rawValue]).groupBy("phone_call_id").all()
        var answered: [UUID: Date] = [:]
        for row in rows {
            if let id = try? row.decode(column: "phone_call_id", as: UUID.self), let at = try? row.decode(column: "at", as: Date.self) {
                answered[id] = at
            }
        }
        return answered
    }
}
