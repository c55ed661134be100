// Required nullable keys are written as `null` (see Customer+Encodable.swift): a day without
// answered calls still has every figure a spreadsheet or dashboard reads.
extension Components.Schemas.CallReport {
    package func encode(to encoder: any Encoder) throws {
        var json = encoder.container(keyedBy: CodingKeys.self)
        try json.encode(from, forKey: .from)
        try json.encode(to, forKey: .to)
        try json.encode(timeZone, forKey: .timeZone)
        try json.encode(serviceLevelSeconds, forKey: .serviceLevelSeconds)
        try json.encode(received, forKey: .received)
        try json.encode(answered, forKey: .answered)
        try json.encode(missed, forKey: .missed)
        try json.encode(abandonedWhileRinging, forKey: .abandonedWhileRinging)
        try json.encode(missedNoAgentAvailable, forKey: .missedNoAgentAvailable)
        try json.encode(stillRinging, forKey: .stillRinging)
        try json.encode(calledBack, forKey: .calledBack)
        try json.encode(answeredWithinServiceLevel, forKey: .answeredWithinServiceLevel)
        try json.encode(serviceLevel, forKey: .serviceLevel)
        try json.encode(averageWaitSeconds, forKey: .averageWaitSeconds)
        try json.encode(p90WaitSeconds, forKey: .p90WaitSeconds)
        try json.encode(averageHandleSeconds, forKey: .averageHandleSeconds)
        try json.encode(outcomes, forKey: .outcomes)
        try json.encode(jobsBooked, forKey: .jobsBooked)
        try json.encode(agents, forKey: .agents)
        try json.encode(halfHours, forKey: .halfHours)
    }
}

extension Components.Schemas.CallReportAgent {
    package func encode(to encoder: any Encoder) throws {
        var json = encoder.container(keyedBy: CodingKeys.self)
        try json.encode(employeeId, forKey: .employeeId)
        try json.encode(name, forKey: .name)
        try json.encode(handled, forKey: .handled)
        try json.encode(callbacks, forKey: .callbacks)
        try json.encode(missedOffers, forKey: .missedOffers)
        try json.encode(declinedOffers, forKey: .declinedOffers)
        try json.encode(averageHandleSeconds, forKey: .averageHandleSeconds)
        try json.encode(availableSeconds, forKey: .availableSeconds)
    }
}
