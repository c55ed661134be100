import AvocaCore
import Foundation

/// Call reports over whole days in the company time zone, computed from the database rows of the
/// period (never from this process's memory), so every instance answers alike.
public struct CallReportService: Sendable {
    /// The longest period one report covers; keeps the rows read per request bounded.
    public static let maximumDays = 31

    let repository: any CallReportRepository
    let clock: any AppClock
    /// The company's zone: where a day starts and ends.
    public let timeZone: TimeZone
    /// Answers within this many seconds count toward the service level.
    public let serviceLevelSeconds: Int

    /// Creates the service.
    public init(repository: any CallReportRepository, clock: any AppClock, timeZone: TimeZone, serviceLevelSeconds: Int) {
        self.repository = repository
        self.clock = clock
        self.timeZone = timeZone
        self.serviceLevelSeconds = serviceLevelSeconds
    }

    /// Today in the company zone.
    public func today() -> CalendarDay { CalendarDay(containing: clock.now(), in: timeZone) }

    /// The report for `firstDay` through `lastDay` (inclusive); `422` for a reversed or too long period.
    public func report(from firstDay: CalendarDay, through lastDay: CalendarDay) async throws -> CallReport {
        guard firstDay <= lastDay else {
            throw DomainError.validation(message: "Please correct the highlighted fields.", fields: ["to": "Must be on or after from."])
        }
        guard firstDay.days(until: lastDay) < Self.maximumDays else {
            throw DomainError.validation(
                message: "Please correct the highlighted fields.", fields: ["to": "A report covers at most \(Self.maximumDays) days."])
        }
        let (start, end) = (firstDay.start(in: timeZone), lastDay.end(in: timeZone))
        let (rows, log, names) = try await repository.reportRows(startedFrom: start, before: end)
        let history = try await repository.presenceHistory(from: start, to: end)
        var report = CallReport(firstDay: firstDay, lastDay: lastDay, timeZone: timeZone, serviceLevelSeconds: serviceLevelSeconds)
        CallReportBuilder.build(rows, log: log, names: names.merging(history.names) { known, _ in known }, into: &report)
        CallReportBuilder.addAvailableTime(
            AvailableTime.seconds(history, from: start, to: end, now: clock.now()), names: history.names, into: &report)
        return report
    }
}
