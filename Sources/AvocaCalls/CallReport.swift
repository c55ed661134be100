import AvocaCore
import Foundation

/// The figures of the calls received over one or more days in the company's time zone. A call
/// belongs to the day it started ringing, wherever its wrap-up ended.
public struct CallReport: Sendable, Equatable {
    /// First day covered.
    public var firstDay: CalendarDay
    /// Last day covered (inclusive).
    public var lastDay: CalendarDay
    /// The company zone the days are read in.
    public var timeZone: TimeZone
    /// Answers within this many seconds count toward the service level.
    public var serviceLevelSeconds: Int
    /// Calls that started ringing in the period.
    public var received = 0
    /// Calls an agent took while the caller was on the line (a release and re-claim counts once).
    public var answered = 0
    /// Calls that ended without ever being answered.
    public var missed = 0
    /// Missed calls that were offered to an agent: agents were free, the caller hung up first.
    public var abandonedWhileRinging = 0
    /// Missed calls never offered to anyone: no agent was available while they rang.
    public var missedNoAgentAvailable = 0
    /// Unanswered calls still ringing when the report was made.
    public var stillRinging = 0
    /// Missed calls that someone has taken from the callback list.
    public var calledBack = 0
    /// Answered calls whose wait was at most `serviceLevelSeconds`.
    public var answeredWithinServiceLevel = 0
    /// `answeredWithinServiceLevel / (answered + missed)`; `nil` when no call has finished ringing.
    public var serviceLevel: Double?
    /// Mean seconds from ringing to the first answer.
    public var averageWaitSeconds: Double?
    /// 90th percentile (nearest rank) of the seconds to answer.
    public var p90WaitSeconds: Double?
    /// Mean seconds from the first answer to the end of wrap-up, over calls whose wrap-up is done.
    public var averageHandleSeconds: Double?
    /// How many calls ended with each outcome (every outcome listed, zeros included).
    public var outcomes: [OutcomeCount] = []
    /// Distinct jobs linked to calls whose outcome is `booked`.
    public var jobsBooked = 0
    /// Per agent, by name.
    public var agents: [AgentFigures] = []
    /// Every call of the period, oldest first.
    public var calls: [ReportedCall] = []
    /// The period cut into half hours (from its first midnight on), for the floor's chart.
    public var halfHours: [HalfHour] = []

    /// An empty report for the period.
    public init(firstDay: CalendarDay, lastDay: CalendarDay, timeZone: TimeZone, serviceLevelSeconds: Int) {
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.timeZone = timeZone
        self.serviceLevelSeconds = serviceLevelSeconds
    }
}

/// Calls with one outcome.
/// The calls that started ringing in one half hour of a report's period.
public struct HalfHour: Sendable, Equatable {
    /// Where the half hour begins.
    public var start: Date
    public var received = 0
    public var answered = 0
    public var missed = 0

    /// Creates an empty half hour.
    public init(start: Date) { self.start = start }
}

public struct OutcomeCount: Sendable, Equatable {
    public var outcome: CallOutcome
    public var calls: Int

    /// Creates a count.
    public init(outcome: CallOutcome, calls: Int) {
        self.outcome = outcome
        self.calls = calls
    }
}

/// One agent's part of a report.
public struct AgentFigures: Sendable, Equatable {
    public var employeeID: EmployeeID
    public var name: String
    /// Answered calls the agent ended up owning.
    public var handled = 0
    /// Missed calls the agent took from the callback list.
    public var callbacks = 0
    /// Offers that ran out on the agent's desk.
    public var missedOffers = 0
    /// Offers the agent declined.
    public var declinedOffers = 0
    /// Mean handle time of the agent's handled calls whose wrap-up is done.
    public var averageHandleSeconds: Double?
    /// Seconds signed in, set Available and not on a call or its wrap-up (up to now for today).
    public var availableSeconds: Double = 0

    /// Creates an agent's figures.
    public init(employeeID: EmployeeID, name: String) {
        self.employeeID = employeeID
        self.name = name
    }
}

/// Why an unanswered call was lost.
public enum MissedReason: String, Sendable, Equatable {
    /// It was offered to an agent; the caller hung up before anyone took it.
    case abandonedWhileRinging = "abandoned_while_ringing"
    /// Nobody was available to offer it to.
    case noAgentAvailable = "no_agent_available"
}

/// One call of a report with its derived times.
public struct ReportedCall: Sendable, Equatable {
    public var call: ReportedCallRow
    /// The first live claim.
    public var answeredAt: Date?
    /// When wrap-up finished (the call became completed).
    public var wrapUpDoneAt: Date?
    /// Seconds from ringing to the first answer.
    public var waitSeconds: Double?
    /// Seconds from the first answer to the end of wrap-up.
    public var handleSeconds: Double?
    /// Set for missed calls.
    public var missedReason: MissedReason?
    /// Whether someone took it from the callback list.
    public var calledBack: Bool

    /// Creates a reported call.
    public init(
        call: ReportedCallRow, answeredAt: Date?, wrapUpDoneAt: Date?, waitSeconds: Double?, handleSeconds: Double?, missedReason: MissedReason?,
        calledBack: Bool
    ) {
        self.call = call
        self.answeredAt = answeredAt
        self.wrapUpDoneAt = wrapUpDoneAt
        self.waitSeconds = waitSeconds
        self.handleSeconds = handleSeconds
        self.missedReason = missedReason
        self.calledBack = calledBack
    }
}
