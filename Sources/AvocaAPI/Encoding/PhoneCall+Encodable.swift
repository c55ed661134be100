// Required nullable keys are written as `null` (see Customer+Encodable.swift).
extension Components.Schemas.PhoneCall {
    package func encode(to encoder: any Encoder) throws {
        var json = encoder.container(keyedBy: CodingKeys.self)
        try json.encode(phoneCallId, forKey: .phoneCallId)
        try json.encode(phoneNumber, forKey: .phoneNumber)
        try json.encode(startDateTime, forKey: .startDateTime)
        try json.encode(endDateTime, forKey: .endDateTime)
        try json.encode(state, forKey: .state)
        try json.encode(employeeId, forKey: .employeeId)
        try json.encode(employeeName, forKey: .employeeName)
        try json.encode(customerId, forKey: .customerId)
        try json.encode(jobId, forKey: .jobId)
        try json.encode(jobIds, forKey: .jobIds)
        try json.encode(outcome, forKey: .outcome)
        try json.encode(notes, forKey: .notes)
        try json.encode(endReason, forKey: .endReason)
        try json.encode(lastSeq, forKey: .lastSeq)
        try json.encode(createdAt, forKey: .createdAt)
        try json.encode(updatedAt, forKey: .updatedAt)
        try json.encode(callerCustomerId, forKey: .callerCustomerId)
        try json.encode(callerName, forKey: .callerName)
        try json.encode(callerOpenJobs, forKey: .callerOpenJobs)
        try json.encode(callerLastJob, forKey: .callerLastJob)
        try json.encode(callerLastJobAt, forKey: .callerLastJobAt)
    }
}
