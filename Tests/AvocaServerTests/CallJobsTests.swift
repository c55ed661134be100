import AvocaCore
import AvocaDirectory
import AvocaTestSupport
import Foundation
import HTTPTypes
import HummingbirdWSTesting
import Testing

@testable import AvocaServer

/// A customer with an address and `count` unscheduled jobs, made through the services.
func customerWithJobs(_ h: Harness, _ count: Int, phone: String = "312.555.0142") async throws -> (customer: String, jobs: [String]) {
    let customer = try await h.services.customers.create(
        CustomerInput(
            firstName: "Ana", mobileNumber: phone,
            addresses: [AddressInput(street: "1 Elm St", city: "Chicago", state: "IL", zip: "60601", country: "US")]))
    var jobs: [String] = []
    for _ in 0..<count {
        jobs.append(try await h.services.jobs.create(JobInput(customerID: customer.id, addressID: customer.addresses[0].id)).id.description)
    }
    return (customer.id.description, jobs)
}

extension CallDesk {
    /// Links `body` on the call as the agent.
    func link(_ id: String, _ body: [String: Any]) async throws -> APIResponse {
        try await h.request(.put, "/api/phone-calls/\(id)", json: body, bearer: agent.accessToken)
    }

    /// A call accepted by the agent.
    func accepted() async throws -> String {
        let id = try await start()
        let accept = try await h.request(.post, "/api/phone-calls/\(id)/accept", bearer: agent.accessToken)
        try #require(accept.status == .ok, "\(String(decoding: accept.data, as: UTF8.self))")
        return id
    }
}

@Suite("Calls: one call books several jobs", .timeLimit(.minutes(4)))
struct CallJobsTests {
    @Test("each job linked to a call is added to job_ids in booking order; job_id is the latest; relinking one makes it latest; clearing unlinks all")
    func severalJobsOnOneCall() async throws {
        try await CallDesk.run { d in
            let (customer, jobs) = try await customerWithJobs(d.h, 3)
            let id = try await d.accepted()
            #expect(try await d.get(id)["job_ids"] as? [String] == [])
            let first = try await d.link(id, ["job_id": jobs[0]])
            #expect(first.status == .ok)
            #expect(first["customer_id"] as? String == customer, "the job's customer is linked with it")
            #expect(first["job_ids"] as? [String] == [jobs[0]])
            let second = try await d.link(id, ["job_id": jobs[1]])
            #expect(second["job_ids"] as? [String] == [jobs[0], jobs[1]])
            #expect(second["job_id"] as? String == jobs[1], "job_id is the most recent job")
            let detail = try await d.get(id)
            #expect(detail["job_ids"] as? [String] == [jobs[0], jobs[1]])
            let listed = try await d.h.request(.get, "/api/phone-calls?customer_id=\(customer)", bearer: d.agent.accessToken)
            #expect((listed["phone_calls"] as? [[String: Any]])?.first?["job_ids"] as? [String] == [jobs[0], jobs[1]])

            let again = try await d.link(id, ["job_id": jobs[0]])
            #expect(again["job_ids"] as? [String] == [jobs[1], jobs[0]], "no job is listed twice")
            #expect(again["job_id"] as? String == jobs[0])
            let third = try await d.link(id, ["job_id": jobs[2], "outcome": "booked"])
            #expect(third["job_ids"] as? [String] == [jobs[1], jobs[0], jobs[2]])

            let cleared = try await d.link(id, ["job_id": ""])
            #expect(cleared.status == .ok)
            #expect(cleared["job_ids"] as? [String] == [])
            #expect(cleared["job_id"] is NSNull)
        }
    }

    @Test("a job of another customer, or no job at all, is refused and the call's jobs stay as they were")
    func foreignJobRefused() async throws {
        try await CallDesk.run { d in
            let (_, mine) = try await customerWithJobs(d.h, 1)
            let (_, theirs) = try await customerWithJobs(d.h, 1, phone: "312.555.0199")
            let id = try await d.accepted()
            #expect(try await d.link(id, ["job_id": mine[0]]).status == .ok)
            let foreign = try await d.link(id, ["job_id": theirs[0]])
            #expect(foreign.status == .unprocessableContent)
            #expect(foreign.errorFields["job_id"] != nil)
            let unknown = try await d.link(id, ["job_id": UUID().uuidString])
            #expect(unknown.status == .unprocessableContent)
            let call = try await d.get(id)
            #expect(call["job_ids"] as? [String] == [mine[0]])
            #expect(call["job_id"] as? String == mine[0])
        }
    }

    @Test("the jobs booked on a call are stored: a restarted server lists them all")
    func survivesRestart() async throws {
        let shared = Shared()
        try await Harness.runAcrossRestart { h in
            let agent = try await h.enrolledEmployee("agent1@example.com")
            let (_, key) = try await h.services.identity.createAPIKey(name: "bridge", scopes: [.callsIngest])
            let d = CallDesk(h: h, agent: agent, ingestKey: key)
            let (_, jobs) = try await customerWithJobs(h, 2)
            let id = try await d.accepted()
            _ = try await d.link(id, ["job_id": jobs[0]])
            _ = try await d.link(id, ["job_id": jobs[1]])
            shared.set(call: id, jobs: jobs)
        } then: { h in
            let colleague = try await h.enrolledEmployee("agent2@example.com")
            let (call, jobs) = shared.get()
            let stored = try await h.request(.get, "/api/phone-calls/\(call)", bearer: colleague.accessToken)
            #expect(stored.status == .ok)
            #expect(stored["job_ids"] as? [String] == jobs)
            #expect(stored["job_id"] as? String == jobs.last)
        }
    }

    @Test("phone_call_updated carries every job booked on the call")
    func realtimeCarriesJobs() async throws {
        try await CallDesk.run(live: true) { d in
            let (_, jobs) = try await customerWithJobs(d.h, 2)
            let id = try await d.accepted()
            _ = try await d.link(id, ["job_id": jobs[0]])
            let ticket = try #require(try await d.h.request(.post, "/api/realtime/tickets", bearer: d.agent.accessToken)["url"] as? String)
            try await d.h.client.ws(ticket) { inbound, _, _ in
                let (greeted, signal) = AsyncStream<Void>.makeStream()
                async let linked: APIResponse = {
                    try await withDeadline(waitingFor: "the greeting") { for await _ in greeted { return } }
                    return try await d.link(id, ["job_id": jobs[1]])
                }()
                let events = try await collect(inbound) { events in
                    if events.contains(where: { $0["event"] as? String == "snapshot" }) { signal.yield() }
                    return events.contains { ($0["event"] as? String == "phone_call_updated") && Self.jobIDs($0).count == 2 }
                }
                signal.finish()
                #expect(try await linked.status == .ok)
                let updated = try #require(events.last { $0["event"] as? String == "phone_call_updated" })
                #expect(Self.jobIDs(updated) == jobs)
                let snapshot = try #require(events.first { $0["event"] as? String == "snapshot" })
                let boardCall = (snapshot["phone_calls"] as? [[String: Any]])?.first { $0["phone_call_id"] as? String == id }
                #expect(boardCall?["job_ids"] as? [String] == [jobs[0]], "the board snapshot lists the jobs booked so far")
            }
        }
    }

    @Test("the day's report counts every job booked on a booked call")
    func reportCountsEveryJob() async throws {
        try await CallDesk.run { d in
            let (_, jobs) = try await customerWithJobs(d.h, 2)
            let id = try await d.accepted()
            _ = try await d.link(id, ["job_id": jobs[0]])
            #expect(try await d.link(id, ["job_id": jobs[1], "outcome": "booked"]).status == .ok)
            // The desk's agent is its first employee, so an admin, who reads reports.
            let report = try await d.h.request(.get, "/api/reports/calls", bearer: d.agent.accessToken)
            #expect(report.status == .ok, "\(String(decoding: report.data, as: UTF8.self))")
            #expect(report["jobs_booked"] as? Int == 2)
        }
    }

    static func jobIDs(_ event: [String: Any]) -> [String] { (event["phone_call"] as? [String: Any])?["job_ids"] as? [String] ?? [] }
}

/// Values handed from the first server of a restart test to the second.
final class Shared: @unchecked Sendable {
    private let lock = NSLock()
    private var call = ""
    private var jobs: [String] = []
    func set(call: String, jobs: [String]) { lock.withLock { (self.call, self.jobs) = (call, jobs) } }
    func get() -> (String, [String]) { lock.withLock { (call, jobs) } }
}
