/// Why a live call ended (`end_reason` on the wire).
public enum CallEndReason: String, Sendable, Codable, CaseIterable {
    /// The source (telephony bridge, simulator) reported the hang-up.
    case hangup
    /// The source went silent for longer than the stale-call timeout.
    case stale
}
