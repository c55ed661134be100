import AvocaCore
import Foundation

/// The one path by which call data enters Avoca. The HTTP ingest API, the in-process simulator and
/// `avoca simulate` (over HTTP) all go through it.
public protocol CallIngest: Sendable {
    /// A call starts ringing; starting the same `externalID` again returns the same call.
    func startCall(phoneNumber: String, startedAt: Date?, externalID: String?) async throws -> PhoneCall
    /// Appends segments (idempotent on seq); returns the highest stored seq.
    func appendTranscript(_ id: PhoneCallID, segments: [TranscriptSegmentInput]) async throws -> (lastSeq: Int, stored: Int)
    /// The caller hung up.
    func endCall(_ id: PhoneCallID) async throws -> PhoneCall
}

/// A transcript segment as a source sends it.
public struct TranscriptSegmentInput: Sendable, Equatable, Codable {
    public var seq: Int
    public var speaker: Speaker
    public var text: String

    /// Creates a segment.
    public init(seq: Int, speaker: Speaker, text: String) {
        self.seq = seq
        self.speaker = speaker
        self.text = text
    }
}
