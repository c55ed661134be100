import AvocaCalls
import AvocaCore
import Foundation
import Logging

/// Feeds decoded carrier events to the call service — the same service the ingest API calls, so
/// a carrier's calls ring, stream and end exactly like any other. Provider-neutral: it only sees
/// `TelephonyEvent`s.
public struct TelephonyBridge: Sendable {
    let ingest: any CarrierIngest
    /// The log the bridge and its callers write to.
    public let logger: Logger

    /// Creates the bridge.
    public init(ingest: any CarrierIngest, logger: Logger) {
        self.ingest = ingest
        self.logger = logger
    }

    /// What became of an event.
    public enum Outcome: Sendable, Equatable {
        /// The call rang (or already rang: a retried incoming-call webhook).
        case ringing(PhoneCall)
        /// Final words stored at this seq.
        case stored(seq: Int)
        /// A retry of words already stored; nothing changed.
        case duplicate
        /// Interim words shown on the desk.
        case shown
        /// The call ended (or had ended already).
        case ended
        /// The call is back in the queue, ringing for everyone.
        case requeued
        /// Nothing to do.
        case ignored
    }

    /// Applies one event. Throws `DomainError.notFound` for words about a call Avoca never saw.
    @discardableResult
    public func handle(_ event: TelephonyEvent) async throws -> Outcome {
        switch event {
        case .started(let externalID, let from):
            return .ringing(try await ingest.startCall(phoneNumber: from, startedAt: nil, externalID: externalID))
        case .words(let externalID, let words):
            guard let call = try await ingest.call(externalID: externalID) else { throw DomainError.notFound(entity: "phone_call") }
            // Until a rep holds the call, the outbound track is what the carrier plays to the caller
            // (the greeting, hold music), not anyone's words.
            if words.speaker == .agent && call.employeeID == nil { return .ignored }
            if words.isFinal {
                guard let segment = try await ingest.appendFinal(call.id, speaker: words.speaker, text: words.text, sourceKey: words.sourceKey) else {
                    return .duplicate
                }
                return .stored(seq: segment.seq)
            }
            do {
                try await ingest.announcePartial(call.id, speaker: words.speaker, text: words.text)
                return .shown
            } catch DomainError.conflict(code: "call_ended", _, _) {
                return .ignored  // a guess about an ended call has no one to show it to
            }
        case .ended(let externalID):
            // A status for a call Avoca never rang (the leg dialled to a rep) is not Avoca's to end.
            guard let call = try await ingest.call(externalID: externalID) else { return .ignored }
            _ = try await ingest.endCall(call.id)
            return .ended
        case .repUnreachable(let externalID):
            guard let call = try await ingest.call(externalID: externalID) else { throw DomainError.notFound(entity: "phone_call") }
            return try await ingest.returnToQueue(call.id) == nil ? .ignored : .requeued
        case .ignored:
            return .ignored
        }
    }
}
