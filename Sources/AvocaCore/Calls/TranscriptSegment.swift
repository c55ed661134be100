import Foundation

/// One piece of a call's transcript: a word, or a sentence, said by one side.
///
/// The same value travels the whole way: the telephony bridge sends it (without `createdAt`), the
/// store stamps it, agents and the insight engine read it.
public struct TranscriptSegment: Sendable, Equatable, Codable {
    /// The segment's 1-based, gapless position in the call.
    public var seq: Int
    /// Who said it.
    public var speaker: Speaker
    /// What was said: a sentence, or a single word when the transcript arrives live.
    public var text: String
    /// When the server stored it; `nil` for a segment that has not been stored yet.
    public var createdAt: Date?

    /// Creates a segment.
    public init(seq: Int, speaker: Speaker, text: String, createdAt: Date? = nil) {
        self.seq = seq
        self.speaker = speaker
        self.text = text
        self.createdAt = createdAt
    }
}
