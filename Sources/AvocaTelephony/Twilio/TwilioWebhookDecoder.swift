import AvocaCore
import Foundation

/// Turns Twilio's webhook parameters into provider-neutral `TelephonyEvent`s. Only what Avoca
/// needs is read; Twilio adds parameters without notice and they are ignored here (they are still
/// covered by the signature).
public enum TwilioWebhookDecoder {
    /// The prefix of every Twilio call's `external_id`.
    public static let externalPrefix = "twilio:"

    /// The incoming-call webhook (`CallSid`, `From`, …).
    public static func voice(_ form: FormParameters) throws(MalformedWebhook) -> TelephonyEvent {
        let sid = try callSid(form)
        guard let from = form["From"]?.trimmingCharacters(in: .whitespaces), !from.isEmpty, from.count <= 40, !from.hasControlCharacters else {
            throw MalformedWebhook("From must name the calling number (up to 40 characters).")
        }
        return .started(externalID: externalPrefix + sid, from: from)
    }

    /// A Real-Time Transcription callback (`TranscriptionEvent`, `Track`, `Final`, `SequenceId`,
    /// `TranscriptionData`, …).
    public static func transcription(_ form: FormParameters) throws(MalformedWebhook) -> TelephonyEvent {
        let sid = try callSid(form)
        switch form["TranscriptionEvent"] {
        case "transcription-content": break
        case "transcription-started", "transcription-stopped", "transcription-error": return .ignored
        case let other: throw MalformedWebhook("Unknown TranscriptionEvent \(other ?? "(missing)").")
        }
        guard let transcriptionSid = form["TranscriptionSid"], !transcriptionSid.isEmpty, transcriptionSid.count <= 64,
            !transcriptionSid.hasControlCharacters
        else {
            throw MalformedWebhook("TranscriptionSid must be the transcription's sid (up to 64 characters).")
        }
        guard let sequence = form["SequenceId"].flatMap(Int.init), sequence >= 0 else {
            throw MalformedWebhook("SequenceId must be a whole number.")
        }
        let speaker: Speaker
        switch form["Track"] {
        // The track labels Avoca asks for (inboundTrackLabel/outboundTrackLabel) are accepted too.
        case "inbound_track", "caller": speaker = .caller
        case "outbound_track", "agent": speaker = .agent
        case let other: throw MalformedWebhook("Track must be inbound_track or outbound_track (got \(other ?? "nothing")).")
        }
        let isFinal: Bool
        switch form["Final"]?.lowercased() {
        case "true": isFinal = true
        case "false", nil: isFinal = false
        case let other?: throw MalformedWebhook("Final must be true or false (got \(other)).")
        }
        guard let data = form["TranscriptionData"]?.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let transcript = object["transcript"] as? String
        else { throw MalformedWebhook("TranscriptionData must be JSON with a transcript.") }
        let text = spoken(transcript)
        guard text.count <= 4_000 else { throw MalformedWebhook("The transcript is longer than 4,000 characters.") }
        // An empty final (silence, noise) carries no words.
        if text.isEmpty { return .ignored }
        return .words(
            externalID: externalPrefix + sid, Words(speaker: speaker, text: text, isFinal: isFinal, sourceKey: "\(transcriptionSid)/\(sequence)"))
    }

    /// A call status callback (`CallStatus`).
    public static func status(_ form: FormParameters) throws(MalformedWebhook) -> TelephonyEvent {
        let sid = try callSid(form)
        switch form["CallStatus"] {
        case "completed", "busy", "failed", "no-answer", "canceled": return .ended(externalID: externalPrefix + sid)
        case "queued", "ringing", "in-progress", "initiated": return .ignored
        case let other: throw MalformedWebhook("Unknown CallStatus \(other ?? "(missing)").")
        }
    }

    /// The `<Dial action>` request, once the leg to the rep's phone is over (`DialCallStatus`).
    public static func dialResult(_ form: FormParameters) throws(MalformedWebhook) -> TelephonyEvent {
        let sid = try callSid(form)
        switch form["DialCallStatus"] {
        case "busy", "no-answer", "failed": return .repUnreachable(externalID: externalPrefix + sid)
        case "completed", "answered", "canceled": return .ignored
        case let other: throw MalformedWebhook("Unknown DialCallStatus \(other ?? "(missing)").")
        }
    }

    /// The Twilio call sid of an `external_id`, when it is a Twilio call's.
    public static func callSid(ofExternalID externalID: String?) -> String? {
        guard let externalID, externalID.hasPrefix(externalPrefix) else { return nil }
        return String(externalID.dropFirst(externalPrefix.count))
    }

    /// The transcript without control characters: they are carrier noise, not words, and a NUL
    /// would fail the insert on PostgreSQL (a 500 the carrier retries). Tabs and line breaks read as spaces.
    static func spoken(_ transcript: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in transcript.unicodeScalars {
            if scalar.properties.generalCategory != .control {
                kept.append(scalar)
            } else if scalar == "\t" || scalar == "\n" || scalar == "\r" {
                kept.append(" ")
            }
        }
        return String(kept).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func callSid(_ form: FormParameters) throws(MalformedWebhook) -> String {
        guard let sid = form["CallSid"], sid.hasPrefix("CA"), (4...64).contains(sid.count),
            sid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { throw MalformedWebhook("CallSid must be a Twilio call sid (CA…).") }
        return sid
    }
}

extension String {
    /// Whether any character is a control character (NUL, line breaks, escapes…).
    fileprivate var hasControlCharacters: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}
