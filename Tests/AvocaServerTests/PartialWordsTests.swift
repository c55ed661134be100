import AvocaCore
import AvocaTestSupport
import Foundation
import Testing

@testable import AvocaServer

@Suite("Interim words: shown on the desk, never stored", .timeLimit(.minutes(4)))
struct PartialWordsTests {
    func partial(_ d: CallDesk, _ id: String, _ text: String, speaker: String = "caller") async throws -> APIResponse {
        try await d.h.request(.post, "/api/phone-calls/\(id)/partial", json: ["speaker": speaker, "text": text], token: d.ingestKey)
    }

    @Test("the ingest API takes partials without storing them or spending a seq; refused once the call ended")
    func ingest() async throws {
        try await CallDesk.run { d in
            let id = try await d.start()
            #expect(try await partial(d, id, "I need").status == .accepted)
            #expect(try await partial(d, id, "", speaker: "agent").status == .accepted)  // clears the line
            #expect(try await d.say(id, from: 1, ["I need a plumber."]).status == .ok)
            let detail = try await d.get(id)
            #expect((detail["segments"] as? [[String: Any]])?.map { $0["text"] as? String } == ["I need a plumber."])
            #expect(detail["last_seq"] as? Int == 1)
            #expect(try await partial(d, id, String(repeating: "é", count: 1_500)).status == .unprocessableContent)
            #expect(try await partial(d, id, "hi", speaker: "robot").status == .badRequest)
            #expect(try await d.h.request(.post, "/api/phone-calls/\(id)/partial", json: ["speaker": "caller", "text": "x"]).status == .unauthorized)
            _ = try await d.end(id)
            let ended = try await partial(d, id, "bye")
            #expect(ended.status == .conflict)
            #expect(ended.errorCode == "call_ended")
        }
    }

    @Test("subscribers get phone_call_partial with the speaker and the seq it follows, then the final that replaces it")
    func realtime() async throws {
        try await CallDesk.run(live: true) { d in
            let id = try await d.start()
            try await d.say(id, from: 1, ["Hello."])
            let ticket = try #require(try await d.h.request(.post, "/api/realtime/tickets", bearer: d.agent.accessToken)["url"] as? String)
            try await d.h.client.ws(ticket) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"event":"subscribe","phone_call_id":"\#(id)"}"#))
                let (subscribed, signal) = AsyncStream<Void>.makeStream()
                async let spoken: Void = {
                    try await withDeadline(waitingFor: "the transcript snapshot") { for await _ in subscribed { return } }
                    #expect(try await partial(d, id, "my sink").status == .accepted)
                    #expect(try await d.say(id, from: 2, ["My sink is blocked."]).status == .ok)
                }()
                // Generous: the wait ends at the token, and a loaded CI machine can take >10 s for it.
                let events = try await collect(inbound, timeout: .seconds(45)) { events in
                    if events.contains(where: { $0["event"] as? String == "phone_call_transcript" }) { signal.yield() }
                    return events.contains { $0["event"] as? String == "phone_call_token" }
                }
                signal.finish()
                try await spoken
                let live = events.filter { ["phone_call_partial", "phone_call_token"].contains($0["event"] as? String ?? "") }
                #expect(live.map { $0["event"] as? String } == ["phone_call_partial", "phone_call_token"])
                let shown = try #require(live.first)
                #expect(shown["phone_call_id"] as? String == id)
                #expect(shown["speaker"] as? String == "caller")
                #expect(shown["text"] as? String == "my sink")
                #expect(shown["after_seq"] as? Int == 1)
                #expect(live.last?["seq"] as? Int == 2)
            }
        }
    }
}
