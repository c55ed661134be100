/// Why an offer of a ringing call to one agent ended (`phone_call_offer_ended.reason`).
public enum OfferEndReason: String, Sendable, Codable, CaseIterable {
    /// The agent it was offered to took the call.
    case accepted
    /// The agent declined; routing moves on.
    case declined
    /// Nobody answered in time; routing moves on.
    case expired
    /// Another agent took the call from the queue.
    case taken
    /// The caller hung up while the offer was pending.
    case ended
    /// The agent took another call meanwhile; routing moves on at once.
    case busy
}
