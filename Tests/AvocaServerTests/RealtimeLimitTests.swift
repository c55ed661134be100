import AvocaCalls
import AvocaCore
import AvocaTestSupport
import Foundation
import Logging
import Testing

@testable import AvocaServer

/// What one socket or one session can ask of the hub is bounded, so a stolen token or a runaway
/// tab cannot make the server hold unbounded subscriptions, sockets or queued bytes.
@Suite("Realtime limits", .timeLimit(.minutes(4)))
struct RealtimeLimitTests {
    /// The next message on `connection` whose event is `event`.
    func next(_ event: String, on connection: RealtimeConnection) async throws -> [String: Any] {
        let text = try await withDeadline(waitingFor: "a \(event) event") {
            for await text in connection.messages {
                let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                if object?["event"] as? String == event { return text }
            }
            return ""
        }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("a socket follows at most 50 calls, a resume names at most 50, and a session holds at most 8 sockets")
    func bounds() async throws {
        try await CallDesk.run { d in
            let hub = d.hub()
            let employee = EmployeeID(d.agent.employeeID)!
            let session = SessionID(UUID())
            let connection = try await hub.connect(employee: employee, session: session)
            var calls: [String] = []
            for index in 0...RealtimeHub.maxSubscriptions { calls.append(try await d.start("(312) 555-\(String(format: "%04d", index))")) }
            for call in calls.prefix(RealtimeHub.maxSubscriptions) {
                await hub.receive(#"{"event":"subscribe","phone_call_id":"\#(call)"}"#, from: connection.id)
                _ = try await next("phone_call_transcript", on: connection)
            }
            await hub.receive(#"{"event":"subscribe","phone_call_id":"\#(calls[RealtimeHub.maxSubscriptions])"}"#, from: connection.id)
            let refused = try await next("error", on: connection)
            #expect(refused["code"] as? String == "bad_message")
            #expect((refused["message"] as? String)?.contains("50") == true)

            let resume = Dictionary(uniqueKeysWithValues: calls.map { ($0, 0) })
            let text = String(decoding: try JSONSerialization.data(withJSONObject: ["event": "resume", "calls": resume]), as: UTF8.self)
            await hub.receive(text, from: connection.id)
            #expect(try await next("error", on: connection)["code"] as? String == "bad_message")

            for _ in 1..<RealtimeHub.maxConnectionsPerSession { _ = try await hub.connect(employee: employee, session: session) }
            await #expect(throws: RealtimeHub.TooManyConnections.self) { try await hub.connect(employee: employee, session: session) }
            _ = try await hub.connect(employee: employee, session: SessionID(UUID()))  // another sign-in is not affected
            #expect(await hub.connectionCount == RealtimeHub.maxConnectionsPerSession + 1)
        }
    }

    @Test("a socket that stops reading is cut off at 4 MiB queued, even below its message limit")
    func queuedBytes() async throws {
        try await CallDesk.run { d in
            let hub = d.hub(bufferSize: 100_000)
            let id = try await d.start()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await hub.run() }
                let stalled = try await hub.connect(employee: EmployeeID(d.agent.employeeID)!, session: SessionID(UUID()))
                await hub.receive(#"{"event":"subscribe","phone_call_id":"\#(id)"}"#, from: stalled.id)
                let word = String(repeating: "x", count: 4_000)
                var seq = 1
                while seq <= 1_200, await hub.connectionCount > 0 {
                    try await d.say(id, from: seq, Array(repeating: word, count: 50))
                    seq += 50
                }
                let queued = try await withDeadline(waitingFor: "the stalled socket's stream to end") {
                    var count = 0
                    for await _ in stalled.messages { count += 1 }
                    return count
                }
                #expect(queued < 1_100, "cut off by bytes (4 MiB / 4 KB ≈ 1,000 tokens), not by its 100,000-message limit")
                #expect(await hub.connectionCount == 0)
                group.cancelAll()
            }
        }
    }
}
