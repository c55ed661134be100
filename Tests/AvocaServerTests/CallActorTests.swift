import AvocaCore
import AvocaTestSupport
import Foundation
import Testing

@testable import AvocaServer

/// Call events name the employee who made the change, so the owner of a call learns who changed it
/// (the name travels in the event: no socket reads it from the database).
@Suite("Realtime: call events name who made the change", .timeLimit(.minutes(4)))
struct CallActorTests {
    @Test(
        "an admin's link and put-back of an agent's call reach the agent's socket naming the admin; the agent's own accept names the agent; the hang-up names nobody"
    )
    func actorInEvents() async throws {
        try await CallDesk.run(live: true) { d in
            let admin = d.agent  // the first employee is the admin
            let owner = try await d.h.enrolledEmployee("owner@example.com")
            let id = try await d.start()
            #expect(try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: owner.accessToken).status == .ok)
            let customer = try await d.h.request(
                .post, "/api/customers", json: ["first_name": "Dana", "last_name": "Whitfield"], bearer: admin.accessToken)
            let customerID = try #require(customer["id"] as? String)
            let ticket = try await d.h.request(.post, "/api/realtime/tickets", bearer: owner.accessToken)
            let url = try #require(ticket["url"] as? String)
            try await d.h.client.ws(url) { inbound, _, _ in
                let (greeted, signal) = AsyncStream<Void>.makeStream()
                async let changes: Void = {
                    try await withDeadline(waitingFor: "the greeting") { for await _ in greeted { return } }
                    let linked = try await d.h.request(.put, "/api/phone-calls/\(id)", json: ["customer_id": customerID], bearer: admin.accessToken)
                    #expect(linked.status == .ok)
                    #expect(try await d.h.request(.post, "/api/phone-calls/\(id)/release", bearer: admin.accessToken).status == .ok)
                    #expect(try await d.h.request(.post, "/api/phone-calls/\(id)/accept", bearer: owner.accessToken).status == .ok)
                    #expect(try await d.end(id).status == .ok)
                }()
                let events = try await collect(inbound, timeout: .seconds(20)) { events in
                    if events.count >= 3 { signal.yield() }
                    return events.contains { $0["event"] as? String == "phone_call_ended" }
                }
                signal.finish()
                try await changes
                // Offers may come and go while the call rings again; the call's own news is what counts.
                let callNews: Set = ["phone_call_started", "phone_call_assigned", "phone_call_updated", "phone_call_ended"]
                let news = events.filter { callNews.contains($0["event"] as? String ?? "") }
                func actor(_ event: [String: Any]) -> [String: String]? { event["actor"] as? [String: String] }
                #expect(
                    news.map { $0["event"] as? String } == ["phone_call_updated", "phone_call_updated", "phone_call_assigned", "phone_call_ended"],
                    "\(news)")
                guard news.count == 4 else { return }
                #expect(actor(news[0]) == ["employee_id": admin.employeeID, "name": "Pat Lee"], "the link names the admin: \(news[0])")
                #expect((news[0]["phone_call"] as? [String: Any])?["customer_id"] as? String == customerID)
                #expect(actor(news[1])?["employee_id"] == admin.employeeID, "the put-back names the admin")
                #expect((news[1]["phone_call"] as? [String: Any])?["state"] as? String == "ringing")
                #expect(actor(news[2])?["employee_id"] == owner.employeeID, "an accept names the agent who took the call")
                #expect(news[3].keys.contains("actor") && news[3]["actor"] is NSNull, "the caller hung up: nobody's doing")
            }
        }
    }
}
