import Foundation

/// What happened, as it travels between server instances (in-process bus on SQLite, PostgreSQL
/// LISTEN/NOTIFY otherwise). Events carry ids and small payloads; each instance loads what it needs
/// from the database, which stays the source of truth.
public enum RealtimeEvent: Sendable, Equatable, Codable {
    /// A call changed; `actor` is the employee who changed it (`nil` when the call's source did:
    /// it rang, the caller hung up, the carrier gave it back).
    case call(id: PhoneCallID, change: CallChange, actor: CallActor? = nil)
    /// Segments `fromSeq…toSeq` of a call were stored; `segments` carries them when small.
    case segments(id: PhoneCallID, fromSeq: Int, toSeq: Int, segments: [TranscriptSegment])
    /// Interim words of one side of a call (never stored), announced when the call's transcript
    /// stood at `afterSeq`; empty `text` clears them.
    case partial(id: PhoneCallID, speaker: Speaker, text: String, afterSeq: Int)
    /// A call was offered to one agent.
    case offered(id: PhoneCallID, employee: EmployeeID, expiresAt: Date)
    /// An offer ended.
    case offerEnded(id: PhoneCallID, employee: EmployeeID, reason: OfferEndReason)
    /// New insights were found for a call.
    case insights(id: PhoneCallID)
    /// Someone's presence changed.
    case presence
    /// A session ended; its realtime connections must close.
    case sessionEnded(SessionID)
    /// Every session of an employee but `except` ended (deactivated, password changed or reset).
    case employeeSessionsEnded(EmployeeID, except: SessionID?)
    /// An employee's role changed: their sockets reconnect, so what each one is sent (the floor or
    /// not) follows the new role.
    case roleChanged(EmployeeID)
}
