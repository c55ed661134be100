// Required nullable keys are written as `null` (see Customer+Encodable.swift); an empty `{}` here
// broke Housecall Pro clients.
extension Components.Schemas.WorkTimestamps {
    package func encode(to encoder: any Encoder) throws {
        var json = encoder.container(keyedBy: CodingKeys.self)
        try json.encode(onMyWayAt, forKey: .onMyWayAt)
        try json.encode(startedAt, forKey: .startedAt)
        try json.encode(completedAt, forKey: .completedAt)
    }
}
