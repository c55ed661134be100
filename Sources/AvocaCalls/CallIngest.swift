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
    /// Interim words (a speech engine's current guess): shown on the desk until the next final
    /// words of `speaker` replace them; never stored, never given a seq. Empty `text` clears them.
    func announcePartial(_ id: PhoneCallID, speaker: Speaker, text: String) async throws
    /// Where the call is now: a source connects the caller to a rep (and plays the rep's side)
    /// only once the call is `active`, and stops once it has ended.
    func state(of id: PhoneCallID) async throws -> CallState
}

/// What a carrier bridge needs beyond `CallIngest`: it knows calls by the carrier's id and its
/// results carry their own identity instead of a seq.
public protocol CarrierIngest: CallIngest {
    /// The call with this `external_id`.
    func call(externalID: String) async throws -> PhoneCall?
    /// Stores final words at the call's next seq (arrival order), once per `sourceKey`: `nil` when
    /// that key was already stored. Words arriving up to `CallService.lateWordsGrace` after the
    /// hang-up still count.
    func appendFinal(_ id: PhoneCallID, speaker: Speaker, text: String, sourceKey: String) async throws -> TranscriptSegment?
    /// The rep who took a call could not be reached on their phone: the claim is given back and the
    /// call rings for everyone again. `nil` when the call was not (or no longer) claimed and live.
    func returnToQueue(_ id: PhoneCallID) async throws -> PhoneCall?
}
