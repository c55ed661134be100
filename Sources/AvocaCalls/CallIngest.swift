import AvocaCore
import Foundation

/// The one path by which call data enters Avoca. The HTTP ingest API, the in-process simulator and
/// `avoca simulate` (over HTTP) all go through it.
public protocol CallIngest: Sendable {
    /// A call starts ringing; starting the same `externalID` again returns the same call.
    func startCall(phoneNumber: String, startedAt: Date?, externalID: String?) async throws -> PhoneCall
    /// Appends segments (idempotent on seq); returns the highest stored seq.
    func appendTranscript(_ id: PhoneCallID, segments: [TranscriptSegment]) async throws -> (lastSeq: Int, stored: Int)
    /// The caller hung up.
    func endCall(_ id: PhoneCallID) async throws -> PhoneCall
}
