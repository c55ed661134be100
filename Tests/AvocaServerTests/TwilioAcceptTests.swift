import AvocaCore
import AvocaTelephony
import AvocaTestSupport
import Foundation
import Testing

@testable import AvocaServer

@Suite("Twilio Voice bridge: accept connects the caller to the rep's phone", .timeLimit(.minutes(4)))
struct TwilioAcceptTests {
    func ringing(_ line: TwilioLine, _ d: CallDesk, _ n: Int) async throws -> (sid: String, id: String) {
        let sid = TwilioLine.sid(n)
        try #require(try await line.ring(sid).status == .ok)
        return (sid, try #require(try await d.h.services.calls.call(externalID: "twilio:\(sid)")).id.description)
    }

    func accept(_ d: CallDesk, _ id: String) async throws -> APIResponse {
        try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: d.agent.accessToken)
    }

    @Test("the ring-at number is validated as E.164, tidied, read back and cleared")
    func ringAtNumber() async throws {
        try await TwilioLine.run { line, d in
            let before = try await d.h.request(.get, "/api/phone-settings", bearer: d.agent.accessToken)
            #expect(before["carrier_connected"] as? Bool == true)
            #expect(before["ring_at"] == nil || before["ring_at"] is NSNull)
            for bad in ["555-0142", "+0123456789", "+1312555014212345", "+1 312 call me", "13125550142"] {
                let refused = try await line.ringAt(d, bad)
                #expect(refused.status == .unprocessableContent, "\(bad)")
                #expect(refused.errorFields["ring_at"] != nil)
            }
            #expect(try await line.ringAt(d, "+1 (312) 555-0142")["ring_at"] as? String == "+13125550142")
            #expect(try await d.h.request(.get, "/api/phone-settings", bearer: d.agent.accessToken)["ring_at"] as? String == "+13125550142")
            let cleared = try await line.ringAt(d, "")
            #expect(cleared.status == .ok)
            let employee = try #require(EmployeeID(d.agent.employeeID))
            #expect(try await d.h.services.calls.ringNumber(of: employee) == nil)
        }
        try await CallDesk.run { d in
            let settings = try await d.h.request(.get, "/api/phone-settings", bearer: d.agent.accessToken)
            #expect(settings["carrier_connected"] as? Bool == false)
        }
    }

    @Test("without a ring-at number accepting a Twilio call is refused with a clear message and nothing changes")
    func noNumber() async throws {
        try await TwilioLine.run { line, d in
            let (_, id) = try await ringing(line, d, 20)
            let refused = try await accept(d, id)
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "no_ring_at")
            #expect(refused.errorMessage?.contains("Settings") == true)
            #expect(try await d.get(id)["state"] as? String == "ringing")
            #expect(line.rest.requests.isEmpty)
        }
    }

    @Test("accept redirects the live call to the rep's number through Twilio's REST API; release puts the caller back in the queue")
    func redirect() async throws {
        try await TwilioLine.run { line, d in
            let (sid, id) = try await ringing(line, d, 21)
            #expect(try await line.ringAt(d, "+13125550199").status == .ok)
            let accepted = try await accept(d, id)
            #expect(accepted.status == .ok)
            #expect(accepted["state"] as? String == "active")
            let asked = try #require(line.rest.requests.first)
            #expect(line.rest.requests.count == 1)
            #expect(asked.path == "/2010-04-01/Accounts/\(TwilioLine.accountSID)/Calls/\(sid).json")
            let credentials = Data("\(TwilioLine.accountSID):\(TwilioLine.authToken)".utf8).base64EncodedString()
            #expect(asked.authorization == "Basic \(credentials)")
            let dialTwiML = try #require(asked.form["Twiml"])
            let dial = try #require(XMLTree.parse(Data(dialTwiML.utf8)))
            #expect(dial.name == "Response")
            #expect(dial.child("Dial")?.child("Number")?.text == "+13125550199")
            #expect(dial.child("Dial")?.attributes["action"] == "\(TwilioLine.publicURL)/api/telephony/twilio/dial")

            #expect(try await d.h.request(.post, "/api/phone-calls/\(id)/release", bearer: d.agent.accessToken)["state"] as? String == "ringing")
            let requeueTwiML = try #require(line.rest.requests.last?.form["Twiml"])
            let requeued = try #require(XMLTree.parse(Data(requeueTwiML.utf8)))
            #expect(requeued.child("Enqueue")?.text == TwilioSettings.queue)
            #expect(requeued.child("Enqueue")?.attributes["waitUrl"] == "\(TwilioLine.publicURL)/api/telephony/twilio/wait")
        }
    }

    @Test("a rep whose phone does not answer gives the call back: the caller returns to the queue and it rings for everyone")
    func repUnreachable() async throws {
        try await TwilioLine.run { line, d in
            let (sid, id) = try await ringing(line, d, 23)
            #expect(try await line.ringAt(d, "+13125550199").status == .ok)
            #expect(try await accept(d, id).status == .ok)
            let unanswered = try await line.post("dial", [("CallSid", sid), ("DialCallStatus", "no-answer"), ("DialCallSid", "CA9")])
            #expect(unanswered.status == .ok)
            let requeue = try #require(XMLTree.parse(unanswered.data))
            #expect(requeue.child("Enqueue")?.text == TwilioSettings.queue)
            let call = try await d.get(id)
            #expect(call["state"] as? String == "ringing")
            #expect(call["employee_id"] == nil || call["employee_id"] is NSNull)

            // Taken again, talked, and the rep hung up: Twilio is told to end the call.
            #expect(try await accept(d, id).status == .ok)
            let talked = try await line.post("dial", [("CallSid", sid), ("DialCallStatus", "completed"), ("DialCallSid", "CA9")])
            #expect(try #require(XMLTree.parse(talked.data)).children.map(\.name) == ["Hangup"])
            #expect(try await d.get(id)["state"] as? String == "active")
        }
    }

    @Test("a supervisor's reassignment connects the caller to the new rep's phone; a rep without a number is refused first")
    func reassign() async throws {
        try await TwilioLine.run { line, d in
            let (_, id) = try await ringing(line, d, 24)
            let bob = try await d.h.enrolledEmployee("bob@example.com")
            let bobID = try #require(EmployeeID(bob.employeeID))
            try await d.h.services.callRepository.touchConnection(UUID(), employee: bobID, at: d.h.clock.now())
            let refused = try await d.h.request(
                .post, "/api/phone-calls/\(id)/reassign", json: ["employee_id": bob.employeeID], bearer: d.agent.accessToken)
            #expect(refused.status == .conflict)
            #expect(refused.errorCode == "no_ring_at")
            #expect(try await d.get(id)["state"] as? String == "ringing")
            #expect(line.rest.requests.isEmpty)

            #expect(try await d.h.request(.put, "/api/phone-settings", json: ["ring_at": "+13125550123"], bearer: bob.accessToken).status == .ok)
            let moved = try await d.h.request(
                .post, "/api/phone-calls/\(id)/reassign", json: ["employee_id": bob.employeeID], bearer: d.agent.accessToken)
            #expect(moved.status == .ok)
            #expect(moved["employee_id"] as? String == bob.employeeID)
            let twiml = try #require(line.rest.requests.last?.form["Twiml"])
            #expect(XMLTree.parse(Data(twiml.utf8))?.child("Dial")?.child("Number")?.text == "+13125550123")
        }
    }

    @Test("when Twilio refuses the redirect the claim is given back and the call rings on")
    func refused() async throws {
        try await TwilioLine.run { line, d in
            let (_, id) = try await ringing(line, d, 22)
            #expect(try await line.ringAt(d, "+13125550199").status == .ok)
            line.rest.failing(.badRequest)
            let answer = try await accept(d, id)
            #expect(answer.status == .conflict)
            #expect(answer.errorCode == "carrier_unreachable")
            let call = try await d.get(id)
            #expect(call["state"] as? String == "ringing")
            #expect(call["employee_id"] == nil || call["employee_id"] is NSNull)
            line.rest.failing(nil)
            #expect(try await accept(d, id)["state"] as? String == "active")
        }
    }

    @Test("calls from the ingest API are accepted as before, without a ring-at number or Twilio")
    func ingestCallsUnchanged() async throws {
        try await TwilioLine.run { line, d in
            let id = try await d.start()
            #expect(try await accept(d, id)["state"] as? String == "active")
            #expect(line.rest.requests.isEmpty)
        }
    }
}
