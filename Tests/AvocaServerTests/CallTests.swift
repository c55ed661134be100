import AvocaCalls
import AvocaCore
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import AvocaServer

/// An ingest key plus an enrolled agent, for call tests.
struct CallDesk {
    let h: Harness
    let agent: SignedIn
    let ingestKey: String

    static func run(live: Bool = false, _ body: @escaping @Sendable (CallDesk) async throws -> Void) async throws {
        try await Harness.run(live: live) { h in
            let agent = try await h.enrolledEmployee("agent1@example.com")
            let (_, key) = try await h.services.identity.createAPIKey(name: "bridge", scopes: [.callsIngest])
            try await body(CallDesk(h: h, agent: agent, ingestKey: key))
        }
    }

    func start(_ number: String = "(312) 555-0142") async throws -> String {
        let response = try await h.request(.post, "/api/phone-calls", json: ["phone_number": number], token: ingestKey)
        try #require(response.status == .created, "\(String(decoding: response.data, as: UTF8.self))")
        return try #require(response["phone_call_id"] as? String)
    }

    @discardableResult
    func say(_ id: String, from seq: Int, _ words: [String], speaker: String = "caller") async throws -> APIResponse {
        let segments = words.enumerated().map { ["seq": seq + $0.offset, "speaker": speaker, "text": $0.element] as [String: Any] }
        return try await h.request(.post, "/api/phone-calls/\(id)/transcript", json: ["segments": segments], token: ingestKey)
    }

    func end(_ id: String) async throws -> APIResponse {
        try await h.request(.post, "/api/phone-calls/\(id)/end", token: ingestKey)
    }

    func get(_ id: String, as token: String? = nil) async throws -> APIResponse {
        try await h.request(.get, "/api/phone-calls/\(id)", bearer: token ?? agent.accessToken)
    }

    /// A hub of its own on this desk's services, driven by hand (not the application's).
    func hub(bufferSize: Int = 1_000) -> RealtimeHub {
        RealtimeHub(
            calls: h.services.calls, bus: h.services.bus, renderer: SchemaRealtimeRenderer(), bufferSize: bufferSize, logger: Logger(label: "t"))
    }
}

@Suite("Calls: ingest, state machine, claims", .timeLimit(.minutes(4)))
struct CallStateTests {
    @Test("ringing → active → wrap_up → completed; a call cannot leave wrap-up without an outcome")
    func stateMachine() async throws {
        try await CallDesk.run { d in
            let id = try await d.start()
            #expect(try await d.get(id)["state"] as? String == "ringing")
            let accepted = try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: d.agent.accessToken)
            #expect(accepted["state"] as? String == "active")
            #expect(accepted["employee_id"] as? String == d.agent.employeeID)
            #expect(try await d.end(id)["state"] as? String == "wrap_up")
            #expect(try await d.end(id)["state"] as? String == "wrap_up")  // idempotent
            let notesOnly = try await d.h.request(.put, "/api/phone-calls/\(id)", json: ["notes": "Called about AC"], bearer: d.agent.accessToken)
            #expect(notesOnly["state"] as? String == "wrap_up")
            let bookedWithoutJob = try await d.h.request(.put, "/api/phone-calls/\(id)", json: ["outcome": "booked"], bearer: d.agent.accessToken)
            #expect(bookedWithoutJob.status == .unprocessableContent)
            let done = try await d.h.request(.put, "/api/phone-calls/\(id)", json: ["outcome": "information_only"], bearer: d.agent.accessToken)
            #expect(done["state"] as? String == "completed")
            #expect(done["outcome"] as? String == "information_only")
        }
    }

    @Test("a call that ends unclaimed is missed and shows on the callback list")
    func missed() async throws {
        try await CallDesk.run { d in
            let id = try await d.start()
            #expect(try await d.end(id)["state"] as? String == "missed")
            let list = try await d.h.request(.get, "/api/phone-calls?missed=true", bearer: d.agent.accessToken)
            #expect((list["phone_calls"] as? [[String: Any]])?.map { $0["phone_call_id"] as? String } == [id])
        }
    }

    @Test("any agent can take a missed call to call back, exactly one of many at once; the taker records the outcome")
    func callbacks() async throws {
        try await CallDesk.run { d in
            // The first employee is an admin; these two are plain agents.
            let second = try await d.h.enrolledEmployee("agent2@example.com")
            let third = try await d.h.enrolledEmployee("agent3@example.com")
            let id = try await d.start()
            _ = try await d.end(id)
            #expect(
                try await d.h.request(.put, "/api/phone-calls/\(id)", json: ["outcome": "information_only"], bearer: second.accessToken).status
                    == .forbidden)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<20 {
                    let token = index.isMultiple(of: 2) ? second.accessToken : third.accessToken
                    group.addTask { try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: token).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 19)
            let taken = try await d.get(id)
            #expect(taken["state"] as? String == "missed")
            let owner = try #require(taken["employee_id"] as? String)
            let (taker, other) = owner == second.employeeID ? (second, third) : (third, second)
            #expect(
                try await d.h.request(.put, "/api/phone-calls/\(id)", json: ["notes": "Left a voicemail"], bearer: other.accessToken).status
                    == .forbidden)
            let done = try await d.h.request(
                .put, "/api/phone-calls/\(id)", json: ["outcome": "callback_scheduled", "notes": "Calls back at 5"], bearer: taker.accessToken)
            #expect(done.status == .ok)
            #expect(done["outcome"] as? String == "callback_scheduled")
            #expect(done["state"] as? String == "missed")
        }
    }

    @Test("of 100 concurrent accepts exactly one wins; the others get 409 naming the owner")
    func concurrentAccepts() async throws {
        try await CallDesk.run { d in
            let second = try await d.h.enrolledEmployee("agent2@example.com")
            let id = try await d.start()
            let results = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for index in 0..<100 {
                    let token = index.isMultiple(of: 2) ? d.agent.accessToken : second.accessToken
                    group.addTask {
                        let response = try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: token)
                        return (response.status, (response.json["error"] as? [String: Any])?["owner_employee_id"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0.0 == .ok }.count == 1)
            #expect(results.filter { $0.0 == .conflict }.count == 99)
            let owner = try await d.get(id)["employee_id"] as? String
            #expect(owner != nil)
            #expect(results.filter { $0.0 == .conflict }.allSatisfy { $0.1 == owner })
        }
    }

    @Test("transcript appends are idempotent on seq; a gap is refused with the expected seq")
    func idempotentTranscript() async throws {
        try await CallDesk.run { d in
            let id = try await d.start()
            #expect(try await d.say(id, from: 1, ["Hi", "my", "name"])["stored"] as? Int == 3)
            let retry = try await d.say(id, from: 1, ["Hi", "my", "name"])
            #expect(retry["stored"] as? Int == 0)
            #expect(retry["last_seq"] as? Int == 3)
            let gap = try await d.say(id, from: 6, ["late"])
            #expect(gap.status == .conflict)
            #expect(gap.errorCode == "transcript_gap")
            #expect((gap.json["error"] as? [String: Any])?["expected_seq"] as? Int == 4)
            #expect(try await d.say(id, from: 3, ["name", "is", "Ana"])["last_seq"] as? Int == 5)
            let call = try await d.get(id)
            #expect((call["segments"] as? [[String: Any]])?.map { $0["seq"] as? Int } == [1, 2, 3, 4, 5])
            #expect(call["transcript"] as? String == "Caller: Hi\nCaller: my\nCaller: name\nCaller: is\nCaller: Ana")
            #expect(try await d.say(id, from: 6, [String(repeating: "x", count: 5000)]).status == .unprocessableContent)
        }
    }

    @Test("concurrent and duplicated batches for one call store every word once, in order; an ended call takes no more")
    func concurrentTranscript() async throws {
        try await CallDesk.run { d in
            let id = try await d.start()
            // 12 batches of 5 words, each sent twice at once, all 24 requests racing; a batch that
            // arrives early is refused as a gap and sent again a little later, as a bridge would.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in (0..<12).flatMap({ [$0, $0] }).shuffled() {
                    group.addTask {
                        let words = (1...5).map { "w\(batch * 5 + $0)" }
                        for _ in 0..<120 {
                            let response = try await d.say(id, from: batch * 5 + 1, words)
                            if response.status == .ok { return }
                            #expect(response.errorCode == "transcript_gap", "\(String(decoding: response.data, as: UTF8.self))")
                            try await Task.sleep(for: .milliseconds(250))
                        }
                        Issue.record("batch \(batch) was never stored")
                    }
                }
                try await group.waitForAll()
            }
            let segments = try await d.get(id)["segments"] as? [[String: Any]] ?? []
            #expect(segments.map { $0["seq"] as? Int } == Array(1...60))
            #expect(segments.map { $0["text"] as? String } == (1...60).map { "w\($0)" })
            _ = try await d.end(id)
            let late = try await d.say(id, from: 61, ["after"])
            #expect(late.status == .conflict)
            #expect(late.errorCode == "call_ended")
        }
    }

    @Test("only the owner (or an admin) releases, links or wraps up; agents cannot ingest")
    func ownership() async throws {
        try await CallDesk.run { d in
            let other = try await d.h.enrolledEmployee("agent2@example.com")
            let id = try await d.start()
            _ = try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: other.accessToken)
            // agent1 is the admin (first employee), so use a third, plain agent.
            let third = try await d.h.enrolledEmployee("agent3@example.com")
            #expect(try await d.h.request(.post, "/api/phone-calls/\(id)/release", bearer: third.accessToken).status == .forbidden)
            #expect(try await d.h.request(.put, "/api/phone-calls/\(id)", json: ["notes": "x"], bearer: third.accessToken).status == .forbidden)
            let released = try await d.h.request(.post, "/api/phone-calls/\(id)/release", bearer: other.accessToken)
            #expect(released["state"] as? String == "ringing")
            #expect(released["employee_id"] is NSNull)
            #expect(try await d.h.request(.post, "/api/phone-calls", json: ["phone_number": "1"], bearer: third.accessToken).status == .forbidden)
            #expect(try await d.h.request(.get, "/api/phone-calls", token: d.ingestKey).status == .forbidden)
        }
    }

    @Test("a ringing call names the one customer its number matches, with their open jobs and newest job; none or several name nobody")
    func callerNamed() async throws {
        try await CallDesk.run { d in
            func customer(_ first: String, _ last: String, _ phone: String) async throws -> (id: String, address: String) {
                let created = try await d.h.request(
                    .post, "/api/customers",
                    json: [
                        "first_name": first, "last_name": last, "mobile_number": phone,
                        "addresses": [["street": "1 Elm St", "city": "Chicago", "state": "IL", "zip": "60601", "country": "US"]],
                    ], bearer: d.agent.accessToken)
                let addresses = try #require(created["addresses"] as? [[String: Any]])
                return (try #require(created["id"] as? String), try #require(addresses.first?["id"] as? String))
            }
            let ana = try await customer("Ana", "Ruiz", "312.555.0142")
            for description in ["Drain cleaning", "Water heater"] {
                let job = try await d.h.request(
                    .post, "/api/jobs", json: ["customer_id": ana.id, "address_id": ana.address, "description": description],
                    bearer: d.agent.accessToken)
                try #require(job.status == .created || job.status == .ok, "\(String(decoding: job.data, as: UTF8.self))")
                d.h.clock.advance(by: 60)
            }
            let id = try await d.start("+1 (312) 555-0142")
            let call = try await d.get(id)
            #expect(call["caller_customer_id"] as? String == ana.id)
            #expect(call["caller_name"] as? String == "Ana Ruiz")
            #expect(call["caller_open_jobs"] as? Int == 2)
            #expect(call["caller_last_job"] as? String == "Water heater")
            #expect(call["caller_last_job_at"] is String)
            #expect(call["customer_id"] is NSNull, "a match is not a link")
            let problems = try SpecConformance().problems(method: .get, path: "/api/phone-calls/{id}", status: 200, body: call.data)
            #expect(problems.isEmpty, "\(problems)")

            // A number nobody has, and one two customers share, name nobody.
            let unknown = try await d.get(try await d.start("+1 (773) 555-0199"))
            #expect(unknown["caller_name"] is NSNull)
            #expect(unknown["caller_customer_id"] is NSNull)
            _ = try await customer("Ben", "Ruiz", "(312) 555-0177")
            _ = try await customer("Cora", "Ruiz", "312-555-0177")
            let shared = try await d.get(try await d.start("+13125550177"))
            #expect(shared["caller_name"] is NSNull)
            #expect((shared["customer_matches"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test("linking validates the customer and job; the caller's number pops up matching customers")
    func linkingAndScreenPop() async throws {
        try await CallDesk.run { d in
            let created = try await d.h.request(
                .post, "/api/customers",
                json: [
                    "first_name": "Ana", "mobile_number": "312.555.0142",
                    "addresses": [["street": "1 Elm St", "city": "Chicago", "state": "IL", "zip": "60601", "country": "US"]],
                ], bearer: d.agent.accessToken)
            let customerID = try #require(created["id"] as? String)
            let id = try await d.start("+1 (312) 555-0142")
            let detail = try await d.get(id)
            #expect((detail["customer_matches"] as? [[String: Any]])?.map { $0["id"] as? String } == [customerID])
            _ = try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: d.agent.accessToken)
            #expect(
                try await d.h.request(.put, "/api/phone-calls/\(id)", json: ["customer_id": UUID().uuidString], bearer: d.agent.accessToken).status
                    == .unprocessableContent)
            let linked = try await d.h.request(.put, "/api/phone-calls/\(id)", json: ["customer_id": customerID], bearer: d.agent.accessToken)
            #expect(linked["customer_id"] as? String == customerID)
            let calls = try await d.h.request(.get, "/api/phone-calls?customer_id=\(customerID)", bearer: d.agent.accessToken)
            #expect(calls["total_items"] as? Int == 1)
        }
    }

    @Test("insights come from the words as they stream; the last words count once the caller hangs up")
    func insightsOnEnd() async throws {
        try await CallDesk.run { d in
            let id = try await d.start()
            try await d.say(
                id, from: 1,
                "Hi my name is Maria Gonzalez. My water heater is leaking. You can reach me at 312 555 0199".split(separator: " ").map(String.init))
            let during = try await d.get(id)
            let kinds = (during["insights"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("name"))
            #expect(kinds.contains("service"))
            _ = try await d.end(id)
            let after = try await d.get(id)
            let phones = (after["insights"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "phone" }
            #expect(phones.first?["normalized"] as? String == "+13125550199")
        }
    }

    @Test("a live call whose source goes silent is ended as stale, so nothing rings forever")
    func staleCalls() async throws {
        try await CallDesk.run { d in
            let id = try await d.start()
            try await d.h.services.router.routeOnce()
            #expect(try await d.get(id)["state"] as? String == "ringing")
            d.h.clock.advance(by: 121)
            try await d.h.services.router.routeOnce()
            let call = try await d.get(id)
            #expect(call["state"] as? String == "missed")
            #expect(call["end_reason"] as? String == "stale")
        }
    }
}

@Suite("Calls: routing offers", .timeLimit(.minutes(4)))
struct CallRoutingTests {
    /// Marks agents online (as an open socket would) with distinct idle times.
    func online(_ h: Harness, _ agents: [SignedIn]) async throws {
        for agent in agents {
            try await h.services.callRepository.touchConnection(UUID(), employee: EmployeeID(agent.employeeID)!, at: h.clock.now())
            h.clock.advance(by: 1)
        }
    }

    func pendingOffer(_ h: Harness, _ id: String) async throws -> String? {
        try await h.services.callRepository.pendingOffer(for: PhoneCallID(id)!)?.employeeID.description
    }

    @Test("offers go round-robin to the longest idle available agent; expiry and decline move them on; away agents get none")
    func roundRobin() async throws {
        try await CallDesk.run { d in
            let b = try await d.h.enrolledEmployee("b@example.com")
            let c = try await d.h.enrolledEmployee("c@example.com")
            try await online(d.h, [d.agent, b, c])
            _ = try await d.h.request(.put, "/api/presence", json: ["available": false], bearer: c.accessToken)

            let first = try await d.start()
            try await d.h.services.router.routeOnce()
            #expect(try await pendingOffer(d.h, first) == d.agent.employeeID)  // connected first = idle longest
            let second = try await d.start()
            try await d.h.services.router.routeOnce()
            #expect(try await pendingOffer(d.h, second) == b.employeeID)  // the next agent, not the one deciding

            // b declines; a lets the first offer expire. Each call moves to the agent who has not had it.
            #expect(try await d.h.request(.post, "/api/phone-calls/\(second)/decline", bearer: b.accessToken).status == .noContent)
            d.h.clock.advance(by: 21)
            try await d.h.services.router.routeOnce()
            #expect(try await pendingOffer(d.h, first) == b.employeeID)
            #expect(try await pendingOffer(d.h, second) == d.agent.employeeID)
            // Once every available agent has had a call, it waits in the queue; c (away) was never offered anything.
            d.h.clock.advance(by: 21)
            try await online(d.h, [d.agent, b, c])
            try await d.h.services.router.routeOnce()
            #expect(try await pendingOffer(d.h, first) == nil)
            #expect(try await pendingOffer(d.h, second) == nil)
            for call in [first, second] {
                let offered = try await d.h.services.callRepository.offeredAgents(for: PhoneCallID(call)!)
                #expect(!offered.contains(EmployeeID(c.employeeID)!))
                #expect(offered.count == 2)
            }
        }
    }
}
