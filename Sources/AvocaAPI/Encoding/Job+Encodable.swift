// Required nullable keys are written as `null` (see Customer+Encodable.swift).
extension Components.Schemas.Job {
    package func encode(to encoder: any Encoder) throws {
        var json = encoder.container(keyedBy: CodingKeys.self)
        try json.encode(id, forKey: .id)
        try json.encode(invoiceNumber, forKey: .invoiceNumber)
        try json.encode(name, forKey: .name)
        try json.encode(description, forKey: .description)
        try json.encode(customer, forKey: .customer)
        try json.encode(address, forKey: .address)
        try json.encode(notes, forKey: .notes)
        try json.encode(workStatus, forKey: .workStatus)
        try json.encode(workTimestamps, forKey: .workTimestamps)
        try json.encode(schedule, forKey: .schedule)
        try json.encode(totalAmount, forKey: .totalAmount)
        try json.encode(outstandingBalance, forKey: .outstandingBalance)
        try json.encode(assignedEmployees, forKey: .assignedEmployees)
        try json.encode(tags, forKey: .tags)
        try json.encode(leadSource, forKey: .leadSource)
        try json.encodeIfPresent(originalEstimateId, forKey: .originalEstimateId)
        try json.encode(createdAt, forKey: .createdAt)
        try json.encode(updatedAt, forKey: .updatedAt)
        try json.encodeIfPresent(companyName, forKey: .companyName)
        try json.encodeIfPresent(companyId, forKey: .companyId)
    }
}
