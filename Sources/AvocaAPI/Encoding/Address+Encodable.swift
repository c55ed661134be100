// Required nullable keys are written as `null` (see Customer+Encodable.swift).
extension Components.Schemas.Address {
    package func encode(to encoder: any Encoder) throws {
        var json = encoder.container(keyedBy: CodingKeys.self)
        try json.encode(id, forKey: .id)
        try json.encode(_type, forKey: ._type)
        try json.encode(street, forKey: .street)
        try json.encode(streetLine2, forKey: .streetLine2)
        try json.encode(city, forKey: .city)
        try json.encode(state, forKey: .state)
        try json.encode(zip, forKey: .zip)
        try json.encode(country, forKey: .country)
        try json.encode(latitude, forKey: .latitude)
        try json.encode(longitude, forKey: .longitude)
        try json.encodeIfPresent(customerId, forKey: .customerId)
        try json.encodeIfPresent(createdAt, forKey: .createdAt)
        try json.encodeIfPresent(updatedAt, forKey: .updatedAt)
    }
}
