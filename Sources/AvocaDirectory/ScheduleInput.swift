import AvocaCore

/// A requested schedule: both bounds (a day or an instant each) and the arrival window in minutes.
public struct ScheduleInput: Sendable, Equatable {
    public var start: ScheduleBound
    public var end: ScheduleBound
    public var arrivalWindow: Int

    /// Creates a schedule request.
    public init(start: ScheduleBound, end: ScheduleBound, arrivalWindow: Int = 0) {
        self.start = start
        self.end = end
        self.arrivalWindow = arrivalWindow
    }
}
