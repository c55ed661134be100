/// The parts of a job a validation error can point at. Services name fields with these; the HTTP
/// layer maps each to the wire name of the operation at hand (`schedule.scheduled_end` when booking,
/// `end_time` when rescheduling).
public enum JobField: String, Sendable, CaseIterable {
    case customer, address, invoiceNumber, name, description, leadSource, notes, tags
    case scheduledStart, scheduledEnd, arrivalWindow, employees, noteContent
}
