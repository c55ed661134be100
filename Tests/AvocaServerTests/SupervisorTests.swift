import AvocaCalls
import AvocaCore
import AvocaTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

/// An admin, a supervisor (promoted by the admin) and two online agents, with an ingest key.
struct Floor {
    let h: Harness
    let admin: SignedIn
    let supervisor: SignedIn
    let ann: SignedIn
    let bob: SignedIn
    let ingestKey: String

    static func run(live: Bool = false, _ body: @escaping @Sendable (Floor) async throws -> Void) async throws {
        try await Harness.run(live: live) { h in
            let admin = try await h.enrolledEmployee("admin@example.com")
            let supervisor = try await h.enrolledEmployee("lead@example.com")
            let ann = try await h.enrolledEmployee("ann@example.com")
            let bob = try await h.enrolledEmployee("bob@example.com")
            let promoted = try await h.request(
                .put, "/api/employees/\(supervisor.employeeID)/role", json: ["role": "supervisor"], bearer: admin.accessToken)
            try #require(promoted.status == .ok)
            let (_, key) = try await h.services.identity.createAPIKey(name: "bridge", scopes: [.callsIngest])
            let floor = Floor(h: h, admin: admin, supervisor: supervisor, ann: ann, bob: bob, ingestKey: key)
            try await floor.online()
            try await body(floor)
        }
    }

    /// The agents' sockets were seen just now.
    func online() async throws {
        for agent in [ann, bob] {
            try await h.services.callRepository.touchConnection(UUID(), employee: try #require(EmployeeID(agent.employeeID)), at: h.clock.now())
        }
    }

    func ring() async throws -> String {
        let response = try await h.request(.post, "/api/phone-calls", json: ["phone_number": "+13125550142"], token: ingestKey)
        try #require(response.status == .created)
        return try #require(response["phone_call_id"] as? String)
    }

    func accept(_ id: String, _ agent: SignedIn) async throws -> APIResponse {
        try await h.request(.post, "/api/phone-calls/\(id)/accept", bearer: agent.accessToken)
    }

    func reassign(_ id: String, to agent: SignedIn, as caller: SignedIn? = nil) async throws -> APIResponse {
        try await h.request(
            .post, "/api/phone-calls/\(id)/reassign", json: ["employee_id": agent.employeeID], bearer: (caller ?? supervisor).accessToken)
    }
}

@Suite("Supervisors: role, access, reassigning, releasing, marking away", .timeLimit(.minutes(4)))
struct SupervisorTests {
    @Test("an admin makes an employee a supervisor; the role shows on /auth/me and in the employee list; the last admin cannot step down")
    func role() async throws {
        try await Floor.run { f in
            let me = try await f.h.request(.get, "/api/auth/me", bearer: f.supervisor.accessToken)
            #expect(me["role"] as? String == "supervisor")
            let list = try await f.h.request(.get, "/api/employees?page_size=10", bearer: f.admin.accessToken)
            let lead = ((list["employees"] as? [[String: Any]]) ?? []).first { $0["id"] as? String == f.supervisor.employeeID }
            #expect(lead?["role"] as? String == "supervisor")
            #expect((lead?["permissions"] as? [String: Bool])?["can_supervise"] == true)
            let demoted = try await f.h.request(
                .put, "/api/employees/\(f.admin.employeeID)/role", json: ["role": "supervisor"], bearer: f.admin.accessToken)
            #expect(demoted.status == .conflict)
            #expect(demoted.errorCode == "last_admin")
            let spec = try SpecConformance()
            #expect(try spec.problems(method: .get, path: "/api/auth/me", status: 200, body: me.data).isEmpty)
            #expect(try spec.problems(method: .get, path: "/api/employees", status: 200, body: list.data).isEmpty)
        }
    }

    @Test("agents get 403 on every supervisor and report operation; supervisors get 403 on API keys and employee administration")
    func access() async throws {
        try await Floor.run { f in
            let id = try await f.ring()
            #expect(try await f.accept(id, f.ann).status == .ok)
            let agentTries: [(HTTPRequest.Method, String, Any?)] = [
                (.post, "/api/phone-calls/\(id)/reassign", ["employee_id": f.bob.employeeID]),
                (.put, "/api/presence/\(f.ann.employeeID)", ["available": false]),
                (.get, "/api/reports/calls", nil),
                (.get, "/api/reports/calls?date=2027-01-15", nil),
            ]
            for (method, path, json) in agentTries {
                let response = try await f.h.request(method, path, json: json, bearer: f.bob.accessToken)
                #expect(response.status == .forbidden, "\(method) \(path)")
            }
            let csv = try await f.h.request(.get, "/api/reports/calls", bearer: f.bob.accessToken, headers: [.accept: "text/csv"])
            #expect(csv.status == .forbidden)
            // Another agent cannot release Ann's call either.
            #expect(try await f.h.request(.post, "/api/phone-calls/\(id)/release", bearer: f.bob.accessToken).status == .forbidden)
            #expect(try await f.h.request(.get, "/api/phone-calls/\(id)", bearer: f.ann.accessToken)["employee_id"] as? String == f.ann.employeeID)

            let supervisorTries: [(HTTPRequest.Method, String, Any?)] = [
                (.get, "/api/api-keys", nil), (.post, "/api/api-keys", ["name": "x", "scopes": ["reports:read"]]),
                (.post, "/api/employees/\(f.bob.employeeID)/deactivate", nil), (.put, "/api/employees/\(f.bob.employeeID)/role", ["role": "admin"]),
                (.post, "/api/simulator/calls", nil),
            ]
            for (method, path, json) in supervisorTries {
                let response = try await f.h.request(method, path, json: json, bearer: f.supervisor.accessToken)
                #expect(response.status == .forbidden, "\(method) \(path)")
            }
            #expect(try await f.h.request(.get, "/api/reports/calls", bearer: f.supervisor.accessToken).status == .ok)
            #expect(try await f.h.request(.get, "/api/reports/calls", bearer: f.admin.accessToken).status == .ok)
        }
    }

    @Test("a supervisor reassigns an active call to an available agent; busy or unknown targets and ended calls are refused")
    func reassign() async throws {
        try await Floor.run { f in
            let id = try await f.ring()
            #expect(try await f.accept(id, f.ann).status == .ok)
            let moved = try await f.reassign(id, to: f.bob)
            #expect(moved.status == .ok)
            #expect(moved["employee_id"] as? String == f.bob.employeeID)
            #expect(moved["state"] as? String == "active")
            #expect(try SpecConformance().problems(method: .post, path: "/api/phone-calls/\(id)/reassign", status: 200, body: moved.data).isEmpty)
            // Bob now has it: Ann can no longer wrap it up, Bob can.
            #expect(try await f.h.request(.put, "/api/phone-calls/\(id)", json: ["notes": "x"], bearer: f.ann.accessToken).status == .forbidden)
            #expect(try await f.h.request(.put, "/api/phone-calls/\(id)", json: ["notes": "x"], bearer: f.bob.accessToken).status == .ok)

            let again = try await f.reassign(id, to: f.bob)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "already_theirs")
            // A ringing call cannot go to Bob, who is on a call.
            let second = try await f.ring()
            let busy = try await f.reassign(second, to: f.bob)
            #expect(busy.status == .conflict)
            #expect(busy.errorCode == "agent_unavailable")
            #expect(try await f.h.request(.get, "/api/phone-calls/\(second)", bearer: f.ann.accessToken)["state"] as? String == "ringing")
            // …but it can go to Ann, who is free: a reassigned ringing call is answered for her.
            let claimed = try await f.reassign(second, to: f.ann)
            #expect(claimed.status == .ok)
            #expect(claimed["employee_id"] as? String == f.ann.employeeID)

            let bad = try await f.h.request(
                .post, "/api/phone-calls/\(id)/reassign", json: ["employee_id": "not-an-id"], bearer: f.supervisor.accessToken)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.errorFields["employee_id"] != nil)
            let nobody = try await f.h.request(
                .post, "/api/phone-calls/\(id)/reassign", json: ["employee_id": UUID().uuidString], bearer: f.supervisor.accessToken)
            #expect(nobody.status == .unprocessableContent)
            #expect(try await f.h.request(.get, "/api/phone-calls/\(id)", bearer: f.bob.accessToken)["employee_id"] as? String == f.bob.employeeID)
            _ = try await f.h.request(.post, "/api/phone-calls/\(id)/end", token: f.ingestKey)
            let ended = try await f.reassign(id, to: f.ann)
            #expect(ended.status == .conflict)
            #expect(ended.errorCode == "not_live")
            #expect(
                try await f.h.request(
                    .post, "/api/phone-calls/\(UUID().uuidString)/reassign", json: ["employee_id": f.ann.employeeID], bearer: f.supervisor.accessToken
                ).status == .notFound)
        }
    }

    @Test("a reassignment is one conditional write: against a concurrent release or other reassignments exactly one wins")
    func oneWinner() async throws {
        try await Floor.run { f in
            let repository = f.h.services.callRepository
            let ann = try #require(EmployeeID(f.ann.employeeID))
            let targets = try [f.bob, f.admin, f.supervisor].map { try #require(EmployeeID($0.employeeID)) }
            for round in 0..<4 {
                let id = try #require(PhoneCallID(try await f.ring()))
                #expect(try await f.accept(id.description, f.ann).status == .ok)
                let now = f.h.clock.now()
                // Everyone decided on the same read (Ann owns the call); only one write can match it.
                let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for target in targets { group.addTask { try await repository.reassign(id, from: ann, to: target, at: now) != nil } }
                    if round % 2 == 0 { group.addTask { try await repository.release(id, by: ann, at: now) != nil } }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(winners == 1, "round \(round): \(winners) writes won")
                _ = try await f.h.request(.post, "/api/phone-calls/\(id)/end", token: f.ingestKey)
            }
            // Over HTTP, an accept racing a reassignment of a ringing call never yields two claims:
            // either one side gets 409, or the reassignment moved the call Ann had just taken.
            try await f.online()
            let id = try await f.ring()
            async let taken = f.accept(id, f.ann)
            async let moved = f.reassign(id, to: f.bob)
            let (accept, reassign) = try await (taken, moved)
            let owner = try await f.h.request(.get, "/api/phone-calls/\(id)", bearer: f.ann.accessToken)["employee_id"] as? String
            #expect(reassign.status == .ok || accept.status == .ok)
            #expect(owner == (reassign.status == .ok ? f.bob.employeeID : f.ann.employeeID))
            if accept.status != .ok { #expect(accept.status == .conflict) }
            if reassign.status != .ok { #expect(reassign.status == .conflict) }
        }
    }

    @Test("a supervisor releases an agent's call and marks an agent away; the pending offer moves on; only the agent makes themselves available")
    func releaseAndAway() async throws {
        try await Floor.run { f in
            let id = try await f.ring()
            #expect(try await f.accept(id, f.ann).status == .ok)
            let released = try await f.h.request(.post, "/api/phone-calls/\(id)/release", bearer: f.supervisor.accessToken)
            #expect(released.status == .ok)
            #expect(released["state"] as? String == "ringing")

            try await f.online()
            try await f.h.services.router.routeOnce()
            let callID = try #require(PhoneCallID(id))
            let offered = try #require(try await f.h.services.callRepository.pendingOffer(for: callID))
            let holder = offered.employeeID.description == f.ann.employeeID ? f.ann : f.bob
            let away = try await f.h.request(.put, "/api/presence/\(holder.employeeID)", json: ["available": false], bearer: f.supervisor.accessToken)
            #expect(away.status == .ok)
            #expect(away["status"] as? String == "away")
            #expect(away["available"] as? Bool == false)
            #expect(try SpecConformance().problems(method: .put, path: "/api/presence/\(holder.employeeID)", status: 200, body: away.data).isEmpty)
            // The holder's offer is withdrawn. The router's own pass may already have offered the
            // call to the other agent in between, so "nobody" is not the only right answer.
            #expect(try await f.h.services.callRepository.pendingOffer(for: callID)?.employeeID.description != holder.employeeID)
            try await f.h.services.router.routeOnce()
            #expect(try await f.h.services.callRepository.pendingOffer(for: callID)?.employeeID.description != holder.employeeID)

            let back = try await f.h.request(.put, "/api/presence/\(holder.employeeID)", json: ["available": true], bearer: f.supervisor.accessToken)
            #expect(back.status == .unprocessableContent)
            #expect(back.errorFields["available"] != nil)
            let unknown = try await f.h.request(
                .put, "/api/presence/\(UUID().uuidString)", json: ["available": false], bearer: f.supervisor.accessToken)
            #expect(unknown.status == .notFound)
            let presence = try await f.h.request(.get, "/api/presence", bearer: holder.accessToken)
            let mine = ((presence["agents"] as? [[String: Any]]) ?? []).first { $0["employee_id"] as? String == holder.employeeID }
            #expect(mine?["status"] as? String == "away")
            #expect(
                try await f.h.request(.put, "/api/presence", json: ["available": true], bearer: holder.accessToken)["status"] as? String
                    == "available")
        }
    }
}

@Suite("The supervisors' live floor: who each call is offered to, time in state", .timeLimit(.minutes(4)))
struct FloorViewTests {
    func socketURL(_ f: Floor, _ employee: SignedIn) async throws -> String {
        try #require(try await f.h.request(.post, "/api/realtime/tickets", bearer: employee.accessToken)["url"] as? String)
    }

    static func named(_ events: [[String: Any]], _ name: String) -> [[String: Any]] { events.filter { $0["event"] as? String == name } }

    @Test("a supervisor's socket gets the pending offers in its greeting, then each offer and its end; an agent's socket gets none of it")
    func offersOnTheFloor() async throws {
        try await Floor.run(live: true) { f in
            let id = try await f.ring()
            let callID = try #require(PhoneCallID(id))
            try await f.h.services.router.routeOnce()
            let first = try #require(try await f.h.services.callRepository.pendingOffer(for: callID))
            let (holder, other) = first.employeeID.description == f.ann.employeeID ? (f.ann, f.bob) : (f.bob, f.ann)

            try await f.h.client.ws(try await socketURL(f, f.supervisor)) { inbound, _, _ in
                let (greeted, signal) = AsyncStream<Void>.makeStream()
                async let acted: Void = {
                    try await withDeadline(waitingFor: "the supervisor's greeting") { for await _ in greeted { return } }
                    let declined = try await f.h.request(.post, "/api/phone-calls/\(id)/decline", bearer: holder.accessToken)
                    #expect(declined.status == .ok || declined.status == .noContent)
                    try await f.online()
                    try await f.h.services.router.routeOnce()
                }()
                let events = try await collect(inbound) { events in
                    if !Self.named(events, "floor_offers").isEmpty { signal.yield() }
                    return Self.named(events, "floor_offer").contains { $0["employee_id"] as? String == other.employeeID }
                }
                signal.finish()
                try await acted
                let pending = (Self.named(events, "floor_offers").first?["offers"] as? [[String: Any]]) ?? []
                #expect(pending.map { $0["phone_call_id"] as? String } == [id])
                #expect(pending.first?["employee_id"] as? String == holder.employeeID)
                #expect(pending.first?["expires_at"] is String)
                let ended = Self.named(events, "floor_offer_ended")
                #expect(ended.contains { $0["employee_id"] as? String == holder.employeeID && $0["reason"] as? String == "declined" })
                let next = Self.named(events, "floor_offer").last
                #expect(next?["phone_call_id"] as? String == id)
                #expect(next?["expires_at"] is String)
            }

            // An agent's socket: the usual greeting, and nothing of the floor while offers move.
            try await f.h.client.ws(try await socketURL(f, holder)) { inbound, _, _ in
                async let moved: Void = {
                    try await Task.sleep(for: .milliseconds(300))
                    _ = try await f.h.request(.post, "/api/phone-calls/\(id)/decline", bearer: other.accessToken)
                    try await f.h.services.router.routeOnce()
                }()
                let events = try await collect(inbound, timeout: .seconds(2)) { _ in false }
                try await moved
                #expect(events.prefix(3).map { $0["event"] as? String } == ["hello", "snapshot", "presence"])
                #expect(!events.contains { ($0["event"] as? String)?.hasPrefix("floor_") == true })
            }
        }
    }

    @Test("a supervisor made an agent stops getting the floor at once: the socket closes to reconnect, the new one has no floor")
    func demotion() async throws {
        try await Floor.run(live: true) { f in
            try await f.h.client.ws(try await socketURL(f, f.supervisor)) { inbound, _, _ in
                let (greeted, signal) = AsyncStream<Void>.makeStream()
                async let demoted: Void = {
                    try await withDeadline(waitingFor: "the supervisor's greeting") { for await _ in greeted { return } }
                    let response = try await f.h.request(
                        .put, "/api/employees/\(f.supervisor.employeeID)/role", json: ["role": "agent"], bearer: f.admin.accessToken)
                    #expect(response.status == .ok)
                }()
                let started = ContinuousClock.now
                // Collects until the server closes the socket; the deadline is far beyond "at once".
                let events = try await collect(inbound, timeout: .seconds(20)) { events in
                    if !Self.named(events, "floor_offers").isEmpty { signal.yield() }
                    return false
                }
                signal.finish()
                try await demoted
                #expect(!Self.named(events, "floor_offers").isEmpty)
                #expect(ContinuousClock.now - started < .seconds(10), "the socket should close on the role change")
            }
            try await f.h.client.ws(try await socketURL(f, f.supervisor)) { inbound, _, _ in
                let events = try await collect(inbound, timeout: .seconds(2)) { _ in false }
                #expect(events.first?["event"] as? String == "hello")
                #expect(!events.contains { ($0["event"] as? String)?.hasPrefix("floor_") == true })
            }
        }
    }

    @Test("presence says since when each agent is in its state: the answer, the away toggle; nothing while offline")
    func timeInState() async throws {
        try await Floor.run { f in
            let id = try await f.ring()
            f.h.clock.advance(by: 40)
            let answeredAt = f.h.clock.now()
            #expect(try await f.accept(id, f.ann).status == .ok)
            f.h.clock.advance(by: 25)
            let awayAt = f.h.clock.now()
            #expect(
                try await f.h.request(.put, "/api/presence", json: ["available": false, "reason": "lunch"], bearer: f.bob.accessToken).status == .ok)
            f.h.clock.advance(by: 5)
            try await f.online()

            let list = try await f.h.request(.get, "/api/presence", bearer: f.supervisor.accessToken)
            #expect(try SpecConformance().problems(method: .get, path: "/api/presence", status: 200, body: list.data).isEmpty)
            let agents = (list["agents"] as? [[String: Any]]) ?? []
            func since(_ agent: SignedIn) -> Date? {
                (agents.first { $0["employee_id"] as? String == agent.employeeID }?["status_since"] as? String)
                    .flatMap { try? Date($0, strategy: .iso8601) }
            }
            #expect(since(f.ann).map { abs($0.timeIntervalSince(answeredAt)) < 1 } == true)
            #expect(since(f.bob).map { abs($0.timeIntervalSince(awayAt)) < 1 } == true)
            #expect(since(f.admin) == nil)
        }
    }
}

@Suite("Floor metrics: the live floor on /metrics, from the database", .timeLimit(.minutes(4)))
struct FloorMetricsTests {
    /// The value of one sample line (`name{labels} value`) of a Prometheus text exposition.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }

    @Test("callers waiting, the longest current wait and employees by state are read from the database and exported as gauges")
    func floor() async throws {
        try await Floor.run { f in
            _ = try await f.ring()
            f.h.clock.advance(by: 30)
            _ = try await f.ring()
            let taken = try await f.ring()
            #expect(try await f.accept(taken, f.ann).status == .ok)
            f.h.clock.advance(by: 12)
            try await f.online()
            #expect(try await f.h.request(.put, "/api/presence", json: ["available": false], bearer: f.bob.accessToken).status == .ok)

            let floor = try await f.h.services.calls.floor()
            #expect(floor.callsWaiting == 2)
            #expect(abs(floor.longestWaitSeconds - 42) < 0.01)
            #expect(floor.agents == [.available: 0, .onCall: 1, .wrapUp: 0, .away: 1, .offline: 2, .notResponding: 0])

            // The registry is shared by every application in this test process; another test's scrape
            // may land between this scrape's refresh and its rendering, so allow a retry or two.
            var matched = false
            for _ in 0..<3 where !matched {
                let scrape = try await f.h.request(.get, "/metrics")
                #expect(scrape.status == .ok)
                let text = String(decoding: scrape.data, as: UTF8.self)
                #expect(text.contains("avoca_calls_waiting"))
                #expect(text.contains("avoca_longest_wait_seconds"))
                #expect(text.contains("avoca_agents{state=\"on_call\"}"))
                matched =
                    Self.sample(text, "avoca_calls_waiting") == 2 && abs((Self.sample(text, "avoca_longest_wait_seconds") ?? 0) - 42) < 0.01
                    && Self.sample(text, "avoca_agents{state=\"on_call\"}") == 1 && Self.sample(text, "avoca_agents{state=\"away\"}") == 1
                    && Self.sample(text, "avoca_agents{state=\"offline\"}") == 2 && Self.sample(text, "avoca_agents{state=\"available\"}") == 0
            }
            #expect(matched)
        }
    }
}
