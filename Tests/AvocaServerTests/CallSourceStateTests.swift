import AvocaCore
import AvocaTestSupport
import Foundation
import Testing

@testable import AvocaServer

/// `GET /api/phone-calls/{id}/state`: a call's source learns whether a rep has answered, and an
/// ingest key reads only the calls it started.
@Suite("Calls: a source reads the state of its own calls", .timeLimit(.minutes(4)))
struct CallSourceStateTests {
    @Test("the key that started a call reads ringing, then answered, then ended; another ingest key gets 404; other scopes 403")
    func ownCallsOnly() async throws {
        try await CallDesk.run { d in
            let id = try await d.start()
            let ringing = try await d.h.request(.get, "/api/phone-calls/\(id)/state", token: d.ingestKey)
            #expect(ringing.status == .ok, "\(String(decoding: ringing.data, as: UTF8.self))")
            #expect(ringing["state"] as? String == "ringing")
            #expect(ringing["answered"] as? Bool == false)
            #expect(ringing["phone_call_id"] as? String == id)
            #expect(ringing.json["caller_name"] == nil && ringing.json["phone_number"] == nil, "nothing about the caller")

            try await d.say(id, from: 1, ["my", "furnace"])
            #expect(try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: d.agent.accessToken).status == .ok)
            let answered = try await d.h.request(.get, "/api/phone-calls/\(id)/state", token: d.ingestKey)
            #expect(answered["state"] as? String == "active")
            #expect(answered["answered"] as? Bool == true)
            #expect(answered["last_seq"] as? Int == 2)

            let (_, otherBridge) = try await d.h.services.identity.createAPIKey(name: "other bridge", scopes: [.callsIngest])
            let foreign = try await d.h.request(.get, "/api/phone-calls/\(id)/state", token: otherBridge)
            #expect(foreign.status == .notFound, "another key learns nothing about the call")
            let (_, reader) = try await d.h.services.identity.createAPIKey(name: "reports", scopes: [.callsRead, .directoryRead])
            #expect(try await d.h.request(.get, "/api/phone-calls/\(id)/state", token: reader).status == .forbidden)
            // The admin (the first employee) reads any call's state, for testing from the console.
            #expect(try await d.h.request(.get, "/api/phone-calls/\(id)/state", bearer: d.agent.accessToken)["state"] as? String == "active")
            #expect(try await d.h.request(.get, "/api/phone-calls/not-a-call/state", token: d.ingestKey).status == .notFound)

            _ = try await d.end(id)
            let ended = try await d.h.request(.get, "/api/phone-calls/\(id)/state", token: d.ingestKey)
            #expect(ended["state"] as? String == "wrap_up")
            #expect(ended["answered"] as? Bool == false)
        }
    }

    @Test("a call the carrier bridge or the in-process simulator started (no key) is read by no ingest key")
    func keylessCalls() async throws {
        try await CallDesk.run { d in
            let call = try await d.h.services.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            #expect(try await d.h.request(.get, "/api/phone-calls/\(call.id)/state", token: d.ingestKey).status == .notFound)
        }
    }
}
