// Required nullable keys are written as `null` (see Customer+Encodable.swift).
extension Components.Schemas.Schedule {
    package func encode(to encoder: any Encoder) throws {
        var json = encoder.container(keyedBy: CodingKeys.self)
        try json.encode(scheduledStart, forKey: .scheduledStart)
        try json.encode(scheduledEnd, forKey: .scheduledEnd)
        try json.encode(arrivalWindow, forKey: .arrivalWindow)
    }
}
