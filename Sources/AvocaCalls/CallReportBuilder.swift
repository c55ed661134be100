import AvocaCore
import Foundation

/// Derives a report's figures from the stored rows of its period: the calls and their audit logs.
/// Pure, so every instance that reads the same rows reports the same numbers.
enum CallReportBuilder {
    static func build(
        _ rows: [ReportedCallRow], log: [CallLogRow], names: [EmployeeID: String], into report: inout CallReport
    ) {
        let logs = Dictionary(grouping: log, by: \.callID)
        var waits: [Double] = []
        var handles: [Double] = []
        var agents: [EmployeeID: AgentFigures] = [:]
        var agentHandles: [EmployeeID: [Double]] = [:]
        var outcomes: [CallOutcome: Int] = [:]
        var bookedJobs = Set<JobID>()
        func agent(_ id: EmployeeID) -> AgentFigures { agents[id] ?? AgentFigures(employeeID: id, name: names[id] ?? "Former employee") }

        for row in rows {
            // The log is read in time order; a stable sort keeps same-instant entries as written.
            let entries = (logs[row.id] ?? []).enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
            let answer = entries.first { $0.kind == .claimed }
            let done = answer.flatMap { answer in entries.first { $0.kind == .completed && $0.at >= answer.at } }
            let wasOffered = entries.contains { $0.kind == .offered }
            let callback = entries.first { $0.kind == .callbackClaimed }
            var line = ReportedCall(
                call: row, answeredAt: answer?.at, wrapUpDoneAt: done?.at, waitSeconds: nil, handleSeconds: nil, missedReason: nil,
                calledBack: callback != nil)
            report.received += 1
            if let answer {
                report.answered += 1
                // A bridge may report a start a little after it told us; never a negative wait.
                let wait = Self.rounded(max(0, answer.at.timeIntervalSince(row.startedAt)))
                line.waitSeconds = wait
                waits.append(wait)
                if wait <= Double(report.serviceLevelSeconds) { report.answeredWithinServiceLevel += 1 }
                if let done {
                    let handle = Self.rounded(max(0, done.at.timeIntervalSince(answer.at)))
                    line.handleSeconds = handle
                    handles.append(handle)
                    if let owner = row.employeeID { agentHandles[owner, default: []].append(handle) }
                }
                if let owner = row.employeeID {
                    var figures = agent(owner)
                    figures.handled += 1
                    agents[owner] = figures
                }
            } else if row.state == .missed {
                report.missed += 1
                line.missedReason = wasOffered ? .abandonedWhileRinging : .noAgentAvailable
                if wasOffered { report.abandonedWhileRinging += 1 } else { report.missedNoAgentAvailable += 1 }
                if let callback {
                    report.calledBack += 1
                    if let taker = callback.actorID {
                        var figures = agent(taker)
                        figures.callbacks += 1
                        agents[taker] = figures
                    }
                }
            } else if row.state == .ringing {
                report.stillRinging += 1
            }
            if let outcome = row.outcome {
                outcomes[outcome, default: 0] += 1
                // Each job booked on a booked call counts (a call can book several).
                if outcome == .booked { bookedJobs.formUnion(row.jobIDs.isEmpty ? [row.jobID].compactMap { $0 } : row.jobIDs) }
            }
            for entry in entries {
                guard let actor = entry.actorID, entry.kind == .offerExpired || entry.kind == .declined else { continue }
                var figures = agent(actor)
                if entry.kind == .offerExpired { figures.missedOffers += 1 } else { figures.declinedOffers += 1 }
                agents[actor] = figures
            }
            report.calls.append(line)
        }
        let finishedRinging = report.answered + report.missed
        report.serviceLevel = finishedRinging == 0 ? nil : Double(report.answeredWithinServiceLevel) / Double(finishedRinging)
        report.averageWaitSeconds = Self.mean(waits)
        report.p90WaitSeconds = Self.percentile(90, of: waits)
        report.averageHandleSeconds = Self.mean(handles)
        report.outcomes = CallOutcome.allCases.map { OutcomeCount(outcome: $0, calls: outcomes[$0] ?? 0) }
        report.jobsBooked = bookedJobs.count
        for (id, values) in agentHandles {
            var figures = agent(id)
            figures.averageHandleSeconds = Self.mean(values)
            agents[id] = figures
        }
        report.agents = agents.values.sorted { ($0.name, $0.employeeID.description) < ($1.name, $1.employeeID.description) }
        report.halfHours = halfHours(report.calls, from: report.firstDay.start(in: report.timeZone), to: report.lastDay.end(in: report.timeZone))
    }

    /// Puts each agent's time available on their line; an agent who took no call but was
    /// available gets a line of their own.
    static func addAvailableTime(_ seconds: [EmployeeID: Double], names: [EmployeeID: String], into report: inout CallReport) {
        var agents = Dictionary(uniqueKeysWithValues: report.agents.map { ($0.employeeID, $0) })
        for (id, value) in seconds where value > 0 || agents[id] != nil {
            var figures = agents[id] ?? AgentFigures(employeeID: id, name: names[id] ?? "Former employee")
            figures.availableSeconds = value
            agents[id] = figures
        }
        report.agents = agents.values.sorted { ($0.name, $0.employeeID.description) < ($1.name, $1.employeeID.description) }
    }

    /// Half-hour counts over `start ..< end` (a day of a clock change has 46 or 50 of them).
    static func halfHours(_ calls: [ReportedCall], from start: Date, to end: Date) -> [HalfHour] {
        let width: TimeInterval = 1_800
        let count = max(0, Int((end.timeIntervalSince(start) / width).rounded(.up)))
        var buckets = (0..<count).map { HalfHour(start: start.addingTimeInterval(Double($0) * width)) }
        for line in calls {
            // The rows were read for this period; the guard keeps any stray one from indexing out.
            let offset = line.call.startedAt.timeIntervalSince(start) / width
            guard offset >= 0, offset < Double(count) else { continue }
            let index = Int(offset)
            buckets[index].received += 1
            if line.answeredAt != nil { buckets[index].answered += 1 } else if line.call.state == .missed { buckets[index].missed += 1 }
        }
        return buckets
    }

    /// Seconds to the millisecond (the stores keep sub-microsecond noise in timestamps).
    static func rounded(_ seconds: Double) -> Double { (seconds * 1_000).rounded() / 1_000 }

    static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : rounded(values.reduce(0, +) / Double(values.count))
    }

    /// Nearest-rank percentile: the smallest value with at least `percent`% of the values at or below it.
    static func percentile(_ percent: Int, of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((Double(percent) / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
