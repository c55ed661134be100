/// What happened to a call, as the realtime hub announces it (`phone_call_started`,
/// `phone_call_assigned`, `phone_call_updated`, `phone_call_ended`).
public enum CallChange: String, Sendable, Codable, CaseIterable {
    /// A new call is ringing.
    case started
    /// Someone took the call (a live claim or a callback).
    case assigned
    /// Links, outcome, notes or the owner changed.
    case updated
    /// The caller hung up or the call went silent.
    case ended
}
