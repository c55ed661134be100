import AvocaCore
import FluentKit
import Foundation
import SQLKit

extension FluentCallRepository {
    public func presenceHistory(from: Date, to: Date) async throws -> PresenceHistory {
        let connectionRows = try await db.sql.select().column("employee_id").column("connected_at").column("closed_at").column("last_seen_at")
            .from("realtime_connections").where("connected_at", .lessThan, SQLBind(to))
            .where(SQLFunction("COALESCE", args: SQLColumn("closed_at"), SQLColumn("last_seen_at")), .greaterThanOrEqual, SQLBind(from))
            .orderBy("connected_at").all()
        var connections: [ConnectionSpan] = []
        for row in connectionRows {
            connections.append(
                ConnectionSpan(
                    employeeID: EmployeeID(try row.decode(column: "employee_id", as: UUID.self)),
                    connectedAt: try row.decode(column: "connected_at", as: Date.self), closedAt: try row.decode(column: "closed_at", as: Date?.self),
                    lastSeenAt: try row.decode(column: "last_seen_at", as: Date.self)))
        }
        // The period's flips, and where each agent stood when it began (their last flip before it).
        let changeRows = try await db.sql.raw(
            """
            SELECT employee_id, available, changed_at FROM presence_changes p
            WHERE changed_at < \(bind: to) AND (changed_at >= \(bind: from) OR changed_at =
                (SELECT MAX(q.changed_at) FROM presence_changes q WHERE q.employee_id = p.employee_id AND q.changed_at < \(bind: from)))
            ORDER BY changed_at
            """
        ).all()
        var changes: [AvailabilityChange] = []
        for row in changeRows {
            changes.append(
                AvailabilityChange(
                    employeeID: EmployeeID(try row.decode(column: "employee_id", as: UUID.self)),
                    available: try row.decode(column: "available", as: Bool.self), at: try row.decode(column: "changed_at", as: Date.self)))
        }
        let busy = try await busySpans(from: from, to: to)
        let names = try await employeeNames(
            Set(connections.map(\.employeeID.uuid) + changes.map(\.employeeID.uuid) + busy.map(\.employeeID.uuid)))
        return PresenceHistory(connections: connections, changes: changes, busy: busy, names: names)
    }

    /// Each owned call's stretch, from its first take to the end of its wrap-up, for its owner —
    /// the same stretch a report's handle time measures.
    private func busySpans(from: Date, to: Date) async throws -> [BusySpan] {
        let taken: [CallLogKind] = [.claimed, .callbackClaimed, .reassigned]
        let rows = try await db.sql.select()
            .column(SQLColumn("phone_call_id", table: "c")).column(SQLColumn("employee_id", table: "c")).column(SQLColumn("state", table: "c"))
            .column(SQLColumn("kind", table: "e")).column(SQLColumn("created_at", table: "e"))
            .from(SQLAlias(SQLIdentifier("phone_calls"), as: SQLIdentifier("c")))
            .join(
                SQLAlias(SQLIdentifier("phone_call_events"), as: SQLIdentifier("e")), method: SQLJoinMethod.inner,
                on: SQLColumn("phone_call_id", table: "e"), .equal, SQLColumn("phone_call_id", table: "c")
            )
            .where(SQLColumn("employee_id", table: "c"), .isNot, SQLLiteral.null)
            .where(SQLColumn("start_date_time", table: "c"), .greaterThanOrEqual, SQLBind(from.addingTimeInterval(-86_400)))
            .where(SQLColumn("start_date_time", table: "c"), .lessThan, SQLBind(to))
            .where(SQLColumn("kind", table: "e"), .in, SQLBind.group((taken + [.completed]).map(\.rawValue)))
            .orderBy(SQLColumn("created_at", table: "e")).all()
        var spans: [UUID: (owner: UUID, live: Bool, from: Date?, to: Date?)] = [:]
        var order: [UUID] = []
        for row in rows {
            let call = try row.decode(column: "phone_call_id", as: UUID.self)
            let at = try row.decode(column: "created_at", as: Date.self)
            let kind = CallLogKind(rawValue: try row.decode(column: "kind", as: String.self))
            if spans[call] == nil {
                let state = CallState(rawValue: try row.decode(column: "state", as: String.self))
                spans[call] = (try row.decode(column: "employee_id", as: UUID.self), state == .active || state == .wrapUp, nil, nil)
                order.append(call)
            }
            if let kind, taken.contains(kind), spans[call]?.from == nil { spans[call]?.from = at }
            if kind == .completed, let start = spans[call]?.from, at >= start { spans[call]?.to = at }
        }
        return order.compactMap { call in
            guard let span = spans[call], let start = span.from else { return nil }
            // A finished call without a completion entry (an older build's row) counts as no time.
            return BusySpan(employeeID: EmployeeID(span.owner), from: start, to: span.to ?? (span.live ? nil : start))
        }
    }
}
