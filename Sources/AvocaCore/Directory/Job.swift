import Foundation

/// Housecall Pro's job states.
public enum WorkStatus: String, Sendable, CaseIterable {
    case unscheduled, scheduled
    case inProgress = "in_progress"
    case completeRated = "complete_rated"
    case completeUnrated = "complete_unrated"
    case userCanceled = "user_canceled"
    case proCanceled = "pro_canceled"

    /// Canceled jobs no longer occupy the calendar.
    public var isCanceled: Bool { self == .userCanceled || self == .proCanceled }
}

/// One bound of a schedule as the client gave it: a whole day or an instant.
public enum ScheduleBound: Sendable, Equatable {
    /// `YYYY-MM-DD` in the company time zone.
    case day(year: Int, month: Int, day: Int)
    /// An ISO-8601 date-time.
    case instant(Date)

    /// Parses `YYYY-MM-DD` or an RFC 3339 date-time (with or without fractional seconds); `nil` otherwise.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let (year, month, day) = InternetDateTime.calendarDate(from: trimmed) {
            self = .day(year: year, month: month, day: day)
            return
        }
        guard let date = InternetDateTime.date(from: trimmed) else { return nil }
        self = .instant(date)
    }

    /// The text form: `YYYY-MM-DD` or ISO-8601 in UTC.
    public var text: String {
        switch self {
        case .day(let year, let month, let day): InternetDateTime.calendarDateText(year: year, month: month, day: day)
        case .instant(let date): InternetDateTime.string(from: date)
        }
    }
}

/// When a job happens, as given, plus the half-open interval it occupies.
public struct JobSchedule: Sendable, Equatable {
    public var start: ScheduleBound
    public var end: ScheduleBound
    /// Arrival window in minutes.
    public var arrivalWindow: Int
    /// First instant occupied.
    public var periodStart: Date
    /// First instant no longer occupied. A date-only end covers that whole day, so the period ends
    /// at the next midnight: 10th→15th occupies [10th 00:00, 16th 00:00) and 12th→17th overlaps it.
    public var periodEnd: Date

    /// Builds a schedule, interpreting days in `timeZone`; throws a field-level validation error.
    public init(start: ScheduleBound, end: ScheduleBound, arrivalWindow: Int, timeZone: TimeZone) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        func instant(_ bound: ScheduleBound, endOfRange: Bool) -> Date? {
            switch bound {
            case .instant(let date): return date
            case .day(let year, let month, let day):
                let midnight = calendar.date(from: DateComponents(year: year, month: month, day: day))
                return endOfRange ? midnight.flatMap { calendar.date(byAdding: .day, value: 1, to: $0) } : midnight
            }
        }
        guard let periodStart = instant(start, endOfRange: false) else {
            throw DomainError.validation(
                message: "The start is not a calendar date.", fields: [JobField.scheduledStart.rawValue: "Not a calendar date."])
        }
        guard let periodEnd = instant(end, endOfRange: true) else {
            throw DomainError.validation(message: "The end is not a calendar date.", fields: [JobField.scheduledEnd.rawValue: "Not a calendar date."])
        }
        guard periodEnd > periodStart else {
            throw DomainError.validation(
                message: "The end must be after the start.", fields: [JobField.scheduledEnd.rawValue: "Must be after the start."])
        }
        guard arrivalWindow >= 0, arrivalWindow <= 24 * 60 else {
            throw DomainError.validation(
                message: "The arrival window is 0 to 1440 minutes.", fields: [JobField.arrivalWindow.rawValue: "0 to 1440 minutes."])
        }
        self.start = start
        self.end = end
        self.arrivalWindow = arrivalWindow
        self.periodStart = periodStart
        self.periodEnd = periodEnd
    }

    /// Restores a stored schedule without re-validating it.
    public init(start: ScheduleBound, end: ScheduleBound, arrivalWindow: Int, periodStart: Date, periodEnd: Date) {
        self.start = start
        self.end = end
        self.arrivalWindow = arrivalWindow
        self.periodStart = periodStart
        self.periodEnd = periodEnd
    }
}

/// A note on a job.
public struct JobNote: Sendable, Equatable {
    public var id: NoteID
    public var content: String
    public var createdAt: Date

    /// Creates a note value.
    public init(id: NoteID, content: String, createdAt: Date) {
        self.id = id
        self.content = content
        self.createdAt = createdAt
    }
}

/// A job booked for a customer at one of their addresses.
public struct Job: Sendable, Equatable {
    public var id: JobID
    public var invoiceNumber: Int
    public var name: String?
    public var description: String?
    public var customer: Customer
    public var address: Address
    public var notes: [JobNote]
    public var workStatus: WorkStatus
    public var schedule: JobSchedule?
    public var totalAmount: Int
    public var outstandingBalance: Int
    public var assignedEmployeeIDs: [EmployeeID]
    public var tags: [String]
    public var leadSource: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a job value.
    public init(
        id: JobID, invoiceNumber: Int, name: String?, description: String?, customer: Customer, address: Address, notes: [JobNote],
        workStatus: WorkStatus, schedule: JobSchedule?, totalAmount: Int = 0, outstandingBalance: Int = 0, assignedEmployeeIDs: [EmployeeID],
        tags: [String], leadSource: String?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.invoiceNumber = invoiceNumber
        self.name = name
        self.description = description
        self.customer = customer
        self.address = address
        self.notes = notes
        self.workStatus = workStatus
        self.schedule = schedule
        self.totalAmount = totalAmount
        self.outstandingBalance = outstandingBalance
        self.assignedEmployeeIDs = assignedEmployeeIDs
        self.tags = tags
        self.leadSource = leadSource
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
