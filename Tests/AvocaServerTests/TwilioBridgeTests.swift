import AvocaCore
import AvocaTelephony
import AvocaTestSupport
import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import AvocaServer

@Suite("Twilio Voice bridge: webhooks → the call service", .timeLimit(.minutes(4)))
struct TwilioBridgeTests {
    func calls(_ d: CallDesk) async throws -> [[String: Any]] {
        try #require(try await d.h.request(.get, "/api/phone-calls", bearer: d.agent.accessToken)["phone_calls"] as? [[String: Any]])
    }

    func segments(_ d: CallDesk, _ id: String) async throws -> [(Int, String, String)] {
        let detail = try await d.get(id)
        return try #require(detail["segments"] as? [[String: Any]]).map {
            ($0["seq"] as? Int ?? 0, $0["speaker"] as? String ?? "", $0["text"] as? String ?? "")
        }
    }

    func callID(_ d: CallDesk, sid: String) async throws -> String {
        try #require(try await d.h.services.calls.call(externalID: "twilio:\(sid)")).id.description
    }

    @Test("an incoming call rings on the desk; the TwiML answer transcribes both sides, greets and queues with hold music")
    func incomingCall() async throws {
        try await TwilioLine.run { line, d in
            let sid = TwilioLine.sid(1)
            let answer = try await line.ring(sid)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType]?.hasPrefix("application/xml") == true)
            let twiml = try #require(XMLTree.parse(answer.data))
            #expect(twiml.name == "Response")
            #expect(twiml.children.map(\.name) == ["Start", "Say", "Enqueue"])
            let transcription = try #require(twiml.child("Start")?.child("Transcription"))
            #expect(transcription.attributes["statusCallbackUrl"] == "\(TwilioLine.publicURL)/api/telephony/twilio/transcription")
            #expect(transcription.attributes["track"] == "both_tracks")
            #expect(transcription.attributes["partialResults"] == "true")
            #expect(transcription.attributes["inboundTrackLabel"] == "caller")
            #expect(transcription.attributes["outboundTrackLabel"] == "agent")
            #expect(twiml.child("Say")?.text == "Thanks for calling Avoca Plumbing.")
            let enqueue = try #require(twiml.child("Enqueue"))
            #expect(enqueue.attributes["waitUrl"] == "\(TwilioLine.publicURL)/api/telephony/twilio/wait")
            #expect(enqueue.text == TwilioSettings.queue)

            let listed = try await calls(d)
            #expect(listed.count == 1)
            #expect(listed.first?["phone_number"] as? String == "+13125550142")
            #expect(listed.first?["state"] as? String == "ringing")
            // Twilio retries a webhook it got no answer to: the same call, not a second one.
            #expect(try await line.ring(sid).status == .ok)
            #expect(try await calls(d).count == 1)

            let hold = try #require(XMLTree.parse(try await line.post("wait", [("CallSid", sid), ("QueuePosition", "1")]).data))
            #expect(hold.children.map(\.name) == ["Say", "Pause"])
        }
    }

    @Test("a missing, wrong, forged or tampered signature is 403 and stores nothing")
    func forged() async throws {
        try await TwilioLine.run { line, d in
            let pairs = [("CallSid", TwilioLine.sid(2)), ("From", "+13125550142")]
            #expect(try await line.post("voice", pairs, signature: "").status == .forbidden)
            #expect(try await line.post("voice", pairs, signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=").status == .forbidden)
            // Signed for the Host the test client used, not for AVOCA_PUBLIC_URL.
            let wrongHost = try await line.post("voice", pairs, signedURL: "http://localhost/api/telephony/twilio/voice")
            #expect(wrongHost.status == .forbidden)
            #expect(wrongHost.errorCode == "invalid_signature")
            // Signed by Twilio, then a parameter changed on the way.
            let signed = TwilioSignature(authToken: TwilioLine.authToken).compute(
                url: TwilioLine.publicURL + "/api/telephony/twilio/voice", parameters: FormParameters(pairs))
            #expect(try await line.post("voice", [pairs[0], ("From", "+19995550000")], signature: signed).status == .forbidden)
            #expect(try await line.post("voice", pairs, signature: signed).status == .ok)  // the untouched original passes
            #expect(try await calls(d).count == 1)

            let id = try await callID(d, sid: TwilioLine.sid(2))
            let words = [
                ("CallSid", TwilioLine.sid(2)), ("TranscriptionSid", "GT1"), ("TranscriptionEvent", "transcription-content"),
                ("Track", "inbound_track"), ("Final", "true"), ("SequenceId", "1"), ("TranscriptionData", #"{"transcript":"forged"}"#),
            ]
            #expect(try await line.post("transcription", words, signature: "bogus").status == .forbidden)
            #expect(
                try await line.post("status", [("CallSid", TwilioLine.sid(2)), ("CallStatus", "completed")], signature: "x").status == .forbidden)
            #expect(try await segments(d, id).isEmpty)
            #expect(try await d.get(id)["state"] as? String == "ringing")
        }
    }

    @Test("finals are stored once each at gapless seqs in arrival order; duplicates, empty finals and partials are not")
    func finals() async throws {
        try await TwilioLine.run { line, d in
            let sid = TwilioLine.sid(3)
            try await line.ring(sid)
            let id = try await callID(d, sid: sid)
            #expect(try await line.ringAt(d, "+13125550100").status == .ok)
            #expect(try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: d.agent.accessToken).status == .ok)
            #expect(try await line.words(sid, "Hi, my water heater", sequence: 2, final: false).status == .noContent)
            // SequenceId 3 overtakes 2 on the way; each is stored when it arrives.
            #expect(try await line.words(sid, "is leaking everywhere.", sequence: 3).status == .noContent)
            #expect(try await line.words(sid, "Hi, my water heater", sequence: 2).status == .noContent)
            #expect(try await line.words(sid, "is leaking everywhere.", sequence: 3).status == .noContent)  // Twilio's retry
            #expect(try await line.words(sid, "", sequence: 4).status == .noContent)  // silence
            #expect(try await line.words(sid, "Sorry to hear", sequence: 1, track: "outbound_track", final: false).status == .noContent)
            #expect(try await line.words(sid, "Sorry to hear that.", sequence: 1, track: "outbound_track").status == .noContent)
            // Another transcription of the same call numbers its results afresh.
            #expect(try await line.words(sid, "Can you come today?", sequence: 1, transcription: "GT2").status == .noContent)
            let stored = try await segments(d, id)
            #expect(stored.map(\.0) == [1, 2, 3, 4])
            #expect(stored.map(\.1) == ["caller", "caller", "agent", "caller"])
            #expect(stored.map(\.2) == ["is leaking everywhere.", "Hi, my water heater", "Sorry to hear that.", "Can you come today?"])
            #expect(try await d.get(id)["last_seq"] as? Int == 4)
        }
    }

    @Test("a NUL in the caller's words (as Twilio's JSON escape) is dropped, not a 500; one in the calling number is 400 and rings nothing")
    func nulCharacters() async throws {
        try await TwilioLine.run { line, d in
            let sid = TwilioLine.sid(9)
            #expect(try await line.ring(TwilioLine.sid(10), from: "+1312\u{0}5550142").status == .badRequest)
            #expect(try await d.h.services.calls.call(externalID: "twilio:\(TwilioLine.sid(10))") == nil)
            try await line.ring(sid)
            let id = try await callID(d, sid: sid)
            #expect(try await line.words(sid, "drip\u{0}ping", sequence: 1).status == .noContent)
            #expect(try await segments(d, id).map(\.2) == ["dripping"])
        }
    }

    @Test("what Twilio plays to a waiting caller (greeting, hold music) is not stored as the rep's words; the caller's are")
    func holdAudio() async throws {
        try await TwilioLine.run { line, d in
            let sid = TwilioLine.sid(11)
            try await line.ring(sid)
            let id = try await callID(d, sid: sid)
            #expect(try await line.words(sid, "Thanks for calling Avoca Plumbing.", sequence: 1, track: "outbound_track").status == .noContent)
            #expect(try await line.words(sid, "Hello? Anyone there?", sequence: 2).status == .noContent)
            #expect(try await line.ringAt(d, "+13125550100").status == .ok)
            #expect(try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: d.agent.accessToken).status == .ok)
            #expect(try await line.words(sid, "Hi, this is Pat.", sequence: 3, track: "outbound_track").status == .noContent)
            #expect(try await segments(d, id).map(\.2) == ["Hello? Anyone there?", "Hi, this is Pat."])
        }
    }

    @Test("concurrent finals of one call each get their own seq, none lost or doubled")
    func concurrentFinals() async throws {
        try await TwilioLine.run { line, d in
            let sid = TwilioLine.sid(4)
            try await line.ring(sid)
            let id = try await callID(d, sid: sid)
            // Six results at once, each twice (a retry racing its original): more than Twilio sends
            // for one call at a time (two tracks, a retry). 24 at once, while every other suite ran
            // in parallel on 2 cores, queued past the 10 s pool wait behind the call's row lock.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 1...6 {
                    for _ in 0..<2 {
                        group.addTask {
                            let answer = try await line.words(sid, "word \(n)", sequence: n)
                            #expect(answer.status == .noContent, "\(answer.status) \(String(decoding: answer.data, as: UTF8.self))")
                        }
                    }
                }
                try await group.waitForAll()
            }
            let stored = try await segments(d, id)
            #expect(stored.map(\.0) == Array(1...6))
            #expect(Set(stored.map(\.2)) == Set((1...6).map { "word \($0)" }))
        }
    }

    @Test("a status callback ends the call: a claimed call goes to wrap-up, a caller who hangs up in the queue is missed")
    func hangUps() async throws {
        try await TwilioLine.run { line, d in
            let (claimed, queued) = (TwilioLine.sid(5), TwilioLine.sid(6))
            try await line.ring(claimed)
            try await line.ring(queued)
            let claimedID = try await callID(d, sid: claimed)
            let queuedID = try await callID(d, sid: queued)
            #expect(try await line.ringAt(d, "+13125550100").status == .ok)
            #expect(try await d.h.request(.post, "/api/phone-calls/\(claimedID)/accept", bearer: d.agent.accessToken).status == .ok)
            #expect(try await line.status(claimed, "in-progress").status == .noContent)
            #expect(try await d.get(claimedID)["state"] as? String == "active")
            #expect(try await line.status(claimed, "completed").status == .noContent)
            #expect(try await line.status(claimed, "completed").status == .noContent)  // a retry changes nothing
            #expect(try await d.get(claimedID)["state"] as? String == "wrap_up")
            #expect(try await line.status(queued, "completed").status == .noContent)
            #expect(try await d.get(queuedID)["state"] as? String == "missed")
            // A status for a leg Avoca never rang (the one dialled to a rep) is not Avoca's to end.
            #expect(try await line.status(TwilioLine.sid(99), "completed").status == .noContent)
        }
    }

    @Test("final words up to 30 s after the hang-up are stored; later ones are refused; partials after it are dropped")
    func lateFinals() async throws {
        try await TwilioLine.run { line, d in
            let sid = TwilioLine.sid(7)
            try await line.ring(sid)
            let id = try await callID(d, sid: sid)
            try await line.status(sid, "completed")
            d.h.clock.advance(by: 25)
            #expect(try await line.words(sid, "Thanks, bye.", sequence: 9).status == .noContent)
            #expect(try await line.words(sid, "bye", sequence: 10, final: false).status == .noContent)
            d.h.clock.advance(by: 10)
            let late = try await line.words(sid, "Too late.", sequence: 11)
            #expect(late.status == .conflict)
            #expect(late.errorCode == "call_ended")
            #expect(try await segments(d, id).map(\.2) == ["Thanks, bye."])
            #expect(try await d.get(id)["state"] as? String == "missed")
        }
    }

    @Test("a Twilio caller on hold sends no words for minutes without the call going stale; hours of silence still end it")
    func onHold() async throws {
        try await TwilioLine.run { line, d in
            let sid = TwilioLine.sid(10)
            try await line.ring(sid)
            let id = try await callID(d, sid: sid)
            let ingestID = try await d.start()
            d.h.clock.advance(by: 600)
            try await d.h.services.router.routeOnce()
            #expect(try await d.get(id)["state"] as? String == "ringing")
            #expect(try await d.get(ingestID)["state"] as? String == "missed")  // the ingest API's calls as before
            d.h.clock.advance(by: 5 * 3600)
            try await d.h.services.router.routeOnce()
            // Read from the service: the agent's access token has long expired by now.
            let callID = try #require(PhoneCallID(id))
            #expect(try await d.h.services.calls.call(callID).state == .missed)
        }
    }

    @Test("an unreadable webhook is 400, words for an unknown call 404; nothing is stored")
    func malformed() async throws {
        try await TwilioLine.run { line, d in
            let sid = TwilioLine.sid(8)
            try await line.ring(sid)
            let id = try await callID(d, sid: sid)
            let broken = try await line.post(
                "transcription",
                [
                    ("CallSid", sid), ("TranscriptionSid", "GT1"), ("TranscriptionEvent", "transcription-content"), ("Track", "inbound_track"),
                    ("Final", "true"), ("SequenceId", "1"), ("TranscriptionData", "{not json"),
                ])
            #expect(broken.status == .badRequest)
            #expect(try await line.post("voice", [("CallSid", "nope"), ("From", "+13125550142")]).status == .badRequest)
            #expect(try await line.words(TwilioLine.sid(98), "who?", sequence: 1).status == .notFound)
            #expect(try await segments(d, id).isEmpty)
            #expect(try await calls(d).count == 1)
        }
    }

    @Test("with the bridge off the telephony paths answer 404 and nothing else changes")
    func bridgeOff() async throws {
        try await CallDesk.run { d in
            let response = try await d.h.client.execute(
                uri: "/api/telephony/twilio/voice", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "CallSid=\(TwilioLine.sid(1))&From=%2B13125550142"))
            #expect(response.status == .notFound)
            #expect(try await calls(d).isEmpty)
        }
    }

    @Test("a webhook body over 64 KiB is refused before it is read")
    func oversized() async throws {
        try await TwilioLine.run { line, d in
            let big = try await line.post(
                "voice", [("CallSid", TwilioLine.sid(9)), ("From", "+13125550142"), ("Pad", String(repeating: "x", count: 70_000))])
            #expect(big.status == .contentTooLarge)
            #expect(try await calls(d).isEmpty)
        }
    }
}

@Suite("Twilio settings")
struct TwilioSettingsTests {
    @Test("the bridge is off without settings, on with both the sid and the token, and half a configuration is refused")
    func settings() throws {
        #expect(try AppConfig.fromEnvironment([:]).twilio == nil)
        let on = try AppConfig.fromEnvironment([
            "AVOCA_TWILIO_ACCOUNT_SID": "AC123", "AVOCA_TWILIO_AUTH_TOKEN": "secret", "AVOCA_TWILIO_API_URL": "http://127.0.0.1:9999/",
        ])
        #expect(on.twilio?.accountSID == "AC123")
        #expect(on.twilio?.apiURL == "http://127.0.0.1:9999")
        #expect(on.twilio?.greeting == TwilioSettings.defaultGreeting)
        #expect(throws: ConfigurationError.self) { try AppConfig.fromEnvironment(["AVOCA_TWILIO_ACCOUNT_SID": "AC123"]) }
        // The token can live in a secret file.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("twilio-token-\(UUID().uuidString)")
        try "from-a-file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try AppConfig.fromEnvironment(["AVOCA_TWILIO_ACCOUNT_SID": "AC123", "AVOCA_TWILIO_AUTH_TOKEN_FILE": file.path])
        #expect(fromFile.twilio?.authToken == "from-a-file")
        #expect(throws: ConfigurationError.self) {
            try AppConfig.fromEnvironment([
                "AVOCA_TWILIO_ACCOUNT_SID": "AC123", "AVOCA_TWILIO_AUTH_TOKEN": "x", "AVOCA_TWILIO_HOLD_MUSIC_URL": "ftp://x",
            ])
        }
        #expect(throws: ConfigurationError.self) {
            try AppConfig.fromEnvironment(["AVOCA_TWILIO_ACCOUNT_SID": "nope", "AVOCA_TWILIO_AUTH_TOKEN": "secret"])
        }
    }
}
