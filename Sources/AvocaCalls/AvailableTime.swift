import AvocaCore
import Foundation

/// Seconds each agent spent available over a period: signed in (a realtime connection open),
/// toggled Available, and neither on a call nor in its wrap-up. Pure, from database rows only.
enum AvailableTime {
    /// A connection whose last heartbeat is older than this is gone (presence uses the same rule).
    static let heartbeatGrace: TimeInterval = 30

    static func seconds(_ history: PresenceHistory, from start: Date, to periodEnd: Date, now: Date) -> [EmployeeID: Double] {
        let end = min(periodEnd, now)
        guard start < end else { return [:] }
        let period = Spans([(start, end)])
        let online = Dictionary(grouping: history.connections, by: \.employeeID).mapValues { connections in
            Spans(
                connections.map { connection in
                    let until =
                        connection.closedAt ?? (connection.lastSeenAt >= now.addingTimeInterval(-heartbeatGrace) ? now : connection.lastSeenAt)
                    return (connection.connectedAt, until)
                })
        }
        let changes = Dictionary(grouping: history.changes, by: \.employeeID)
        let busy = Dictionary(grouping: history.busy, by: \.employeeID).mapValues { spans in Spans(spans.map { ($0.from, $0.to ?? end) }) }
        var seconds: [EmployeeID: Double] = [:]
        for (employee, online) in online {
            let toggledOn = toggledOn(changes[employee] ?? [], from: start, to: end)
            let free = online.intersection(period).intersection(toggledOn).subtracting(busy[employee] ?? Spans([]))
            seconds[employee] = CallReportBuilder.rounded(free.total)
        }
        return seconds
    }

    /// When the toggle was on over `[start, end)`; an agent who never touched it counts as Available.
    static func toggledOn(_ changes: [AvailabilityChange], from start: Date, to end: Date) -> Spans {
        var on = true
        var since = start
        var spans: [(Date, Date)] = []
        for change in changes.sorted(by: { $0.at < $1.at }) {
            if change.at <= start {
                on = change.available
                continue
            }
            if on { spans.append((since, min(change.at, end))) }
            since = change.at
            on = change.available
        }
        if on { spans.append((since, end)) }
        return Spans(spans)
    }
}

/// Sorted, disjoint time ranges (half-open), with the set operations a day's timeline needs.
struct Spans: Equatable {
    private(set) var ranges: [(start: Date, end: Date)]

    /// Merges any ranges, overlapping or not; empty and reversed ones are dropped.
    init(_ ranges: [(Date, Date)]) {
        var merged: [(start: Date, end: Date)] = []
        for (start, end) in ranges.filter({ $0.0 < $0.1 }).sorted(by: { $0.0 < $1.0 }) {
            if let last = merged.last, start <= last.end {
                merged[merged.count - 1].end = max(last.end, end)
            } else {
                merged.append((start, end))
            }
        }
        self.ranges = merged
    }

    var total: TimeInterval { ranges.reduce(0) { $0 + $1.end.timeIntervalSince($1.start) } }

    func intersection(_ other: Spans) -> Spans {
        var result: [(Date, Date)] = []
        var i = 0
        var j = 0
        while i < ranges.count, j < other.ranges.count {
            let start = max(ranges[i].start, other.ranges[j].start)
            let end = min(ranges[i].end, other.ranges[j].end)
            if start < end { result.append((start, end)) }
            if ranges[i].end < other.ranges[j].end { i += 1 } else { j += 1 }
        }
        return Spans(result)
    }

    func subtracting(_ other: Spans) -> Spans {
        var result: [(Date, Date)] = []
        for range in ranges {
            var cursor = range.start
            for cut in other.ranges where cut.end > cursor && cut.start < range.end {
                if cut.start > cursor { result.append((cursor, cut.start)) }
                cursor = max(cursor, cut.end)
            }
            if cursor < range.end { result.append((cursor, range.end)) }
        }
        return Spans(result)
    }

    static func == (lhs: Spans, rhs: Spans) -> Bool {
        lhs.ranges.count == rhs.ranges.count && zip(lhs.ranges, rhs.ranges).allSatisfy { $0.start == $1.start && $0.end == $1.end }
    }
}
