import AvocaCore
import Testing

@testable import AvocaTelephony

@Suite("Twilio webhooks → telephony events")
struct TwilioWebhookDecoderTests {
    static let sid = "CA0123456789abcdef0123456789abcdef"

    static func content(
        track: String = "inbound_track", final: String = "true", sequence: String = "1", text: String = "I need a plumber"
    )
        -> FormParameters
    {
        FormParameters([
            ("AccountSid", "AC00000000000000000000000000000000"), ("CallSid", sid), ("TranscriptionSid", "GT1"),
            ("TranscriptionEvent", "transcription-content"), ("Track", track), ("Final", final), ("SequenceId", sequence),
            ("TranscriptionData", #"{"transcript":"\#(text)","confidence":0.93}"#), ("LanguageCode", "en-US"),
        ])
    }

    @Test("an incoming call starts a call keyed twilio:<CallSid> from the calling number")
    func voice() throws {
        let event = try TwilioWebhookDecoder.voice(FormParameters([("CallSid", Self.sid), ("From", "+13125550142"), ("To", "+18005551212")]))
        #expect(event == .started(externalID: "twilio:\(Self.sid)", from: "+13125550142"))
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.voice(FormParameters([("CallSid", Self.sid)])) }
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.voice(FormParameters([("CallSid", "nope"), ("From", "+1")])) }
    }

    @Test("content callbacks become words: track → speaker, Final → final or partial, key = TranscriptionSid/SequenceId")
    func words() throws {
        #expect(
            try TwilioWebhookDecoder.transcription(Self.content())
                == .words(externalID: "twilio:\(Self.sid)", Words(speaker: .caller, text: "I need a plumber", isFinal: true, sourceKey: "GT1/1")))
        #expect(
            try TwilioWebhookDecoder.transcription(Self.content(track: "outbound_track", final: "false", sequence: "7", text: "How can"))
                == .words(externalID: "twilio:\(Self.sid)", Words(speaker: .agent, text: "How can", isFinal: false, sourceKey: "GT1/7")))
    }

    @Test("empty finals and lifecycle events carry no words")
    func nothing() throws {
        #expect(try TwilioWebhookDecoder.transcription(Self.content(text: "  ")) == .ignored)
        var started = Self.content().pairs.map { ($0.name, $0.value) }
        started[3] = ("TranscriptionEvent", "transcription-started")
        #expect(try TwilioWebhookDecoder.transcription(FormParameters(started)) == .ignored)
    }

    @Test("unknown tracks, events, Final values, sequence ids or unreadable TranscriptionData are malformed")
    func malformed() {
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.transcription(Self.content(track: "both")) }
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.transcription(Self.content(final: "maybe")) }
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.transcription(Self.content(sequence: "-1")) }
        var broken = Self.content().pairs.map { ($0.name, $0.value) }
        broken[7] = ("TranscriptionData", "not json")
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.transcription(FormParameters(broken)) }
        broken[3] = ("TranscriptionEvent", "transcription-exploded")
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.transcription(FormParameters(broken)) }
    }

    @Test("status callbacks end the call when it is over, and only then")
    func status() throws {
        for over in ["completed", "busy", "failed", "no-answer", "canceled"] {
            #expect(
                try TwilioWebhookDecoder.status(FormParameters([("CallSid", Self.sid), ("CallStatus", over)]))
                    == .ended(externalID: "twilio:\(Self.sid)"))
        }
        for live in ["queued", "ringing", "in-progress"] {
            #expect(try TwilioWebhookDecoder.status(FormParameters([("CallSid", Self.sid), ("CallStatus", live)])) == .ignored)
        }
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.status(FormParameters([("CallSid", Self.sid), ("CallStatus", "odd")])) }
    }

    @Test("the Dial action: a rep who is busy, does not answer or fails sends the call back; the rest is over")
    func dialResult() throws {
        for unreachable in ["busy", "no-answer", "failed"] {
            #expect(
                try TwilioWebhookDecoder.dialResult(FormParameters([("CallSid", Self.sid), ("DialCallStatus", unreachable)]))
                    == .repUnreachable(externalID: "twilio:\(Self.sid)"))
        }
        for over in ["completed", "answered", "canceled"] {
            #expect(try TwilioWebhookDecoder.dialResult(FormParameters([("CallSid", Self.sid), ("DialCallStatus", over)])) == .ignored)
        }
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.dialResult(FormParameters([("CallSid", Self.sid)])) }
    }

    @Test("control characters: dropped from the words (line breaks become spaces), refused in the calling number and the transcription sid")
    func controlCharacters() throws {
        #expect(
            try TwilioWebhookDecoder.transcription(Self.content(text: #"leak\u0000ing\nunder the sink\u0007"#))
                == .words(
                    externalID: "twilio:\(Self.sid)", Words(speaker: .caller, text: "leaking under the sink", isFinal: true, sourceKey: "GT1/1")))
        #expect(try TwilioWebhookDecoder.transcription(Self.content(text: #"\u0000"#)) == .ignored)
        #expect(throws: MalformedWebhook.self) {
            try TwilioWebhookDecoder.voice(FormParameters([("CallSid", Self.sid), ("From", "+1312555\u{0}0142")]))
        }
        let form = FormParameters(Self.content().pairs.map { ($0.name, $0.name == "TranscriptionSid" ? "GT\u{0}1" : $0.value) })
        #expect(throws: MalformedWebhook.self) { try TwilioWebhookDecoder.transcription(form) }
    }

    @Test("TwiML escapes what it is given")
    func escaping() {
        let answer = TwiML.dial(number: "+1312<5550142>&\"'", action: "https://a.example/x?y=1&z=2")
        #expect(answer.contains("action=\"https://a.example/x?y=1&amp;z=2\""))
        #expect(answer.contains("<Number>+1312&lt;5550142&gt;&amp;&quot;&apos;</Number>"))
    }
}
