import AvocaAPI
import AvocaCalls
import AvocaCore
import Foundation
import OpenAPIRuntime

extension APIHandler {
    func getCallReport(_ input: Operations.GetCallReport.Input) async throws -> Operations.GetCallReport.Output {
        var fields = RequestFields()
        let date = fields.day(input.query.date, "date")
        let from = fields.day(input.query.from, "from")
        let to = fields.day(input.query.to, "to")
        if input.query.date?.isEmpty == false && (input.query.from?.isEmpty == false || input.query.to?.isEmpty == false) {
            fields.report("date", "Give either date, or from and to.")
        }
        if (input.query.from?.isEmpty == false) != (input.query.to?.isEmpty == false) {
            fields.report(input.query.from?.isEmpty == false ? "to" : "from", "A range needs both from and to.")
        }
        try fields.check("Invalid report period.")
        let first = date ?? from ?? reports.today()
        let report = try await reports.report(from: first, through: date ?? to ?? first)
        // The CSV export when the client prefers it; JSON otherwise.
        if input.headers.accept.sortedByQuality().first?.contentType == .csv {
            return .ok(.init(body: .csv(HTTPBody(CallReportCSV.render(report)))))
        }
        return .ok(.init(body: .json(.init(report))))
    }
}

extension Components.Schemas.CallReport {
    init(_ report: CallReport) {
        self.init(
            from: report.firstDay.description, to: report.lastDay.description, timeZone: report.timeZone.identifier,
            serviceLevelSeconds: report.serviceLevelSeconds, received: report.received, answered: report.answered, missed: report.missed,
            abandonedWhileRinging: report.abandonedWhileRinging, missedNoAgentAvailable: report.missedNoAgentAvailable,
            stillRinging: report.stillRinging, calledBack: report.calledBack, answeredWithinServiceLevel: report.answeredWithinServiceLevel,
            serviceLevel: report.serviceLevel, averageWaitSeconds: report.averageWaitSeconds, p90WaitSeconds: report.p90WaitSeconds,
            averageHandleSeconds: report.averageHandleSeconds,
            outcomes: report.outcomes.map {
                .init(outcome: Components.Schemas.CallOutcome(rawValue: $0.outcome.rawValue) ?? .other, calls: $0.calls)
            },
            jobsBooked: report.jobsBooked,
            agents: report.agents.map {
                .init(
                    employeeId: $0.employeeID.description, name: $0.name, handled: $0.handled, callbacks: $0.callbacks,
                    missedOffers: $0.missedOffers, declinedOffers: $0.declinedOffers, averageHandleSeconds: $0.averageHandleSeconds,
                    availableSeconds: $0.availableSeconds)
            },
            halfHours: report.halfHours.map { .init(start: $0.start, received: $0.received, answered: $0.answered, missed: $0.missed) })
    }
}
