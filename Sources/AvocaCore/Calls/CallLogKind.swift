/// An entry of a call's audit log (`phone_call_events.kind`).
public enum CallLogKind: String, Sendable, Codable, CaseIterable {
    /// The call started ringing.
    case created
    /// An agent claimed the ringing call.
    case claimed
    /// An agent took the missed call to call back.
    case callbackClaimed = "callback_claimed"
    /// The owner put the call back in the queue.
    case released
    /// The call ended (the detail names the reason).
    case ended
    /// The call was offered to an agent.
    case offered
    /// An offer ran out.
    case offerExpired = "offer_expired"
    /// An agent declined an offer.
    case declined
    /// A customer or job was linked, or notes changed.
    case linked
    /// A wrap-up outcome was recorded.
    case outcome
    /// Wrap-up finished: the call became `completed` (reports measure handle time up to here).
    case completed
    /// A supervisor moved the call to another agent (the detail names both).
    case reassigned
}
