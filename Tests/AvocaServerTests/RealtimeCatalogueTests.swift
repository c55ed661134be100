import AvocaCalls
import AvocaCore
import AvocaTestSupport
import Foundation
import Synchronization
import Testing

@testable import AvocaServer

/// The realtime messages are catalogued in openapi.yaml (`RealtimeServerMessage`); docs/realtime.md
/// describes them. A shift on the floor makes the hub send every kind, and each must match its
/// schema, so the catalogue can neither miss a message nor describe one that is never sent.
@Suite("Realtime: every message matches the catalogue in openapi.yaml", .timeLimit(.minutes(4)))
struct RealtimeCatalogueTests {
    @Test("a supervisor's and two agents' sockets through offer, decline, accept, words, partial, insights, update and hang-up")
    func everyMessageIsCatalogued() async throws {
        try await Floor.run(live: true) { f in
            let hub = f.h.services.hub
            let received = Inbox()
            var readers: [Task<Void, Never>] = []
            var connections: [String: RealtimeConnection] = [:]
            for (name, employee, floor) in [("lead", f.supervisor, true), ("ann", f.ann, false), ("bob", f.bob, false)] {
                let connection = try await hub.connect(
                    employee: try #require(EmployeeID(employee.employeeID)), session: SessionID(UUID()), watchesFloor: floor)
                connections[name] = connection
                readers.append(
                    Task {
                        for await text in connection.messages {
                            received.texts.withLock { $0.append(text) }
                        }
                    })
            }
            func waitFor(_ events: [String]) async throws {
                try await withDeadline(waitingFor: events.joined(separator: ", ")) {
                    while !events.allSatisfy(received.seen) { try await Task.sleep(for: .milliseconds(20)) }
                }
            }

            let id = try await f.ring()
            let callID = try #require(PhoneCallID(id))
            try await f.h.services.router.routeOnce()
            try await waitFor(["phone_call_started", "phone_call_offered", "floor_offer"])
            let first = try #require(try await f.h.services.callRepository.pendingOffer(for: callID))
            let (holder, other) = first.employeeID.description == f.ann.employeeID ? (f.ann, f.bob) : (f.bob, f.ann)
            let taker = try #require(connections[other.employeeID == f.ann.employeeID ? "ann" : "bob"])
            _ = try await f.h.request(.post, "/api/phone-calls/\(id)/decline", bearer: holder.accessToken)
            try await waitFor(["phone_call_offer_ended", "floor_offer_ended"])
            // A second supervisor socket is greeted with the offer still pending.
            try await f.online()
            try await f.h.services.router.routeOnce()
            let late = try await hub.connect(
                employee: try #require(EmployeeID(f.supervisor.employeeID)), session: SessionID(UUID()), watchesFloor: true)
            readers.append(
                Task {
                    for await text in late.messages {
                        received.texts.withLock { $0.append(text) }
                    }
                })
            #expect(try await f.accept(id, other).status == .ok)
            await hub.receive(#"{"event":"subscribe","phone_call_id":"\#(id)"}"#, from: taker.id)
            try await waitFor(["phone_call_assigned", "phone_call_transcript", "floor_offers"])
            let words = ["My", "number", "is", "(312)", "555-0199"].enumerated().map {
                ["seq": $0.offset + 1, "speaker": "caller", "text": $0.element] as [String: Any]
            }
            #expect(try await f.h.request(.post, "/api/phone-calls/\(id)/transcript", json: ["segments": words], token: f.ingestKey).status == .ok)
            #expect(
                try await f.h.request(.post, "/api/phone-calls/\(id)/partial", json: ["speaker": "caller", "text": "and my"], token: f.ingestKey)
                    .status
                    == .accepted)
            #expect(try await f.h.request(.put, "/api/phone-calls/\(id)", json: ["notes": "Leaking heater"], bearer: other.accessToken).status == .ok)
            #expect(try await f.h.request(.post, "/api/phone-calls/\(id)/end", token: f.ingestKey).status == .ok)
            await hub.receive(#"{"event":"ping","id":7}"#, from: taker.id)
            await hub.receive(#"{"event":"dance"}"#, from: taker.id)

            try await waitFor(Array(try SpecConformance().realtimeCatalogue.keys).sorted())
            for reader in readers { reader.cancel() }
            let spec = try SpecConformance()
            for text in received.texts.withLock({ $0 }) {
                let problems = try spec.problems(realtimeMessage: text)
                #expect(problems.isEmpty, "\(problems) in \(text.prefix(300))")
            }
        }
    }
}

/// What the test's connections received, shared with their reader tasks.
private final class Inbox: Sendable {
    let texts = Mutex<[String]>([])

    /// Whether a message with this event has arrived.
    @Sendable func seen(_ event: String) -> Bool { texts.withLock { $0.contains { $0.contains("\"event\":\"\(event)\"") } } }
}
