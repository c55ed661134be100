import AvocaCore
import Foundation

/// What a carrier webhook means for Avoca, whoever the carrier is. Decoders turn a provider's
/// request into these; `TelephonyBridge` feeds them to the call service.
public enum TelephonyEvent: Sendable, Equatable {
    /// A call came in: it starts ringing on the desk.
    case started(externalID: String, from: String)
    /// Words of a live call, final or interim.
    case words(externalID: String, Words)
    /// The call is over at the carrier (hung up, failed, never answered).
    case ended(externalID: String)
    /// The rep's phone did not take the call (busy, no answer, failed): the caller is back in the
    /// queue, so the call rings on the desk again.
    case repUnreachable(externalID: String)
    /// Nothing for Avoca to do (a transcription started, a call is still ringing at the carrier).
    case ignored
}

/// Words heard on one side of a call.
public struct Words: Sendable, Equatable {
    /// Who spoke.
    public var speaker: Speaker
    /// What was heard.
    public var text: String
    /// `false` for an interim hypothesis that the next final replaces.
    public var isFinal: Bool
    /// The carrier's identity for this result, unique per call (`TranscriptionSid/SequenceId` for
    /// Twilio): a retried or duplicated callback carries the same key and is stored once.
    public var sourceKey: String

    /// Creates words.
    public init(speaker: Speaker, text: String, isFinal: Bool, sourceKey: String) {
        self.speaker = speaker
        self.text = text
        self.isFinal = isFinal
        self.sourceKey = sourceKey
    }
}

/// A webhook the decoder could not make sense of; answered `400`, nothing stored.
public struct MalformedWebhook: Error, Equatable, Sendable {
    /// What is wrong, for the carrier's debugger.
    public var message: String

    /// Creates the error.
    public init(_ message: String) { self.message = message }
}
