// The generated encoders leave out a `nil` value; the spec requires these keys, as `null` when
// empty, and Housecall Pro clients read them without checking for absence. So each schema with
// required nullable keys writes itself here, key by key, and `ResponseShapeTests` checks every
// response against `openapi.yaml`.

extension Components.Schemas.Customer {
    package func encode(to encoder: any Encoder) throws {
        var json = encoder.container(keyedBy: CodingKeys.self)
        try json.encode(id, forKey: .id)
        try json.encode(firstName, forKey: .firstName)
        try json.encode(lastName, forKey: .lastName)
        try json.encode(email, forKey: .email)
        try json.encode(mobileNumber, forKey: .mobileNumber)
        try json.encode(homeNumber, forKey: .homeNumber)
        try json.encode(workNumber, forKey: .workNumber)
        try json.encode(company, forKey: .company)
        try json.encode(notificationsEnabled, forKey: .notificationsEnabled)
        try json.encode(leadSource, forKey: .leadSource)
        try json.encode(notes, forKey: .notes)
        try json.encode(tags, forKey: .tags)
        try json.encode(addresses, forKey: .addresses)
        try json.encode(createdAt, forKey: .createdAt)
        try json.encode(updatedAt, forKey: .updatedAt)
        try json.encodeIfPresent(companyName, forKey: .companyName)
        try json.encodeIfPresent(companyId, forKey: .companyId)
    }
}
