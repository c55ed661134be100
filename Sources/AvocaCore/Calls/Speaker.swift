/// Who said a transcript segment.
public enum Speaker: String, Sendable, Codable {
    case caller, agent
}
