import AvocaCalls
import AvocaCore
import AvocaTestSupport
import Foundation
import HummingbirdWSTesting
import SQLKit
import Synchronization
import Testing

@testable import AvocaPersistence
@testable import AvocaServer

/// The greeting's snapshot and presence list are encoded once and shared by the sockets that
/// connect in between; these tests pin down that sharing never hides a change.
@Suite("Realtime: shared greetings stay current", .timeLimit(.minutes(4)))
struct RealtimeGreetingTests {
    func ticket(_ h: Harness, _ employee: SignedIn) async throws -> String {
        try #require(try await h.request(.post, "/api/realtime/tickets", bearer: employee.accessToken)["url"] as? String)
    }

    /// Opens a socket and checks its greeting (hello, snapshot, presence, and whatever follows at once).
    func greeting(_ h: Harness, _ employee: SignedIn, _ check: @escaping @Sendable ([[String: Any]]) throws -> Void) async throws {
        try await h.client.ws(try await ticket(h, employee)) { inbound, _, _ in
            let events = try await collect(inbound) { $0.count >= 3 }
            try #require(events.count >= 3)
            try check(events)
        }
    }

    @Test("a socket that connects after a call started gets it in its snapshot, though an earlier socket's snapshot was cached")
    func snapshotFollowsCalls() async throws {
        try await CallDesk.run(live: true) { d in
            let first = try await d.start("(312) 555-0101")
            let second = Once<String>()
            try await d.h.client.ws(try await ticket(d.h, d.agent)) { inbound, _, _ in
                // Greeted (the snapshot is now cached), start a call; stop once this socket hears of it,
                // so the hub has had the event before the next socket connects.
                let events = try await collect(inbound) { events in
                    if events.count >= 3 { second.start { try await d.start("(312) 555-0102") } }
                    return events.contains { $0["event"] as? String == "phone_call_started" }
                }
                #expect((events[1]["phone_calls"] as? [[String: Any]])?.map { $0["phone_call_id"] as? String } == [first])
                let expected: Set = [first, try await second.value()]
                try await greeting(d.h, d.agent) { later in
                    let ids = Set((later[1]["phone_calls"] as? [[String: Any]])?.compactMap { $0["phone_call_id"] as? String } ?? [])
                    #expect(ids == expected)
                }
            }
        }
    }

    @Test("a socket whose greeting cannot be read is refused and leaves no connection row looking live")
    func failedGreetingClosesItsRow() async throws {
        try await CallDesk.run(live: true) { d in
            let url = try await ticket(d.h, d.agent)
            let sql = try d.h.services.database.db.sql
            // The board's table gone: the greeting's reads fail after the socket's row is written.
            try await sql.raw("ALTER TABLE phone_calls RENAME TO phone_calls_gone").run()
            try? await d.h.client.ws(url) { inbound, _, _ in for try await _ in inbound {} }
            try await sql.raw("ALTER TABLE phone_calls_gone RENAME TO phone_calls").run()
            let rows = try await sql.raw("SELECT closed_at FROM realtime_connections").all()
            #expect(rows.count == 1)
            #expect(try rows.allSatisfy { try $0.decodeNil(column: "closed_at") == false })
        }
    }

    @Test("a snapshot bigger than one 16 KiB frame reaches a client that accepts no bigger frames")
    func bigSnapshot() async throws {
        try await CallDesk.run(live: true) { d in
            for index in 0..<40 { _ = try await d.start("(312) 555-\(1000 + index)") }
            let url = try await ticket(d.h, d.agent)
            try await d.h.client.ws(url) { inbound, _, _ in
                let events = try await collect(inbound) { $0.count >= 3 }
                let calls = events.first { $0["event"] as? String == "snapshot" }?["phone_calls"] as? [[String: Any]]
                #expect(calls?.count == 40)
            }
        }
    }

    @Test("hello carries the socket's own fresh presence; an agent who came online reaches open sockets and later greetings")
    func presenceFollowsAgents() async throws {
        try await CallDesk.run(live: true) { d in
            let colleague = try await d.h.enrolledEmployee("agent2@example.com")
            let theirs = Once<String?>()
            let leave = Mutex(false)
            try await d.h.client.ws(try await ticket(d.h, d.agent)) { inbound, _, _ in
                let events = try await collect(inbound) { events in
                    // Greeted, the colleague connects; wait for the news that they came online.
                    if events.count >= 3 {
                        theirs.start {
                            // What their hello said of themselves: "id status".
                            let hello = Mutex<String?>(nil)
                            try await d.h.client.ws(try await ticket(d.h, colleague)) { second, _, _ in
                                let own = try await collect(second) { $0.count >= 3 }.first?["presence"] as? [String: Any]
                                hello.withLock { $0 = "\(own?["employee_id"] as? String ?? "-") \(own?["status"] as? String ?? "-")" }
                                // Stay online until the checks below are done.
                                let deadline = ContinuousClock.now + .seconds(60)
                                while !leave.withLock({ $0 }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                            }
                            return hello.withLock { $0 }
                        }
                    }
                    return Self.online(colleague, in: Array(events.dropFirst(3)))
                }
                #expect((events[0]["presence"] as? [String: Any])?["status"] as? String == "available")
                #expect(Self.online(colleague, in: Array(events.dropFirst(3))), "the open socket never heard the colleague came online")
                // After that update, the shared list itself has the colleague online.
                try await greeting(d.h, d.agent) { later in
                    let list = later[2]["agents"] as? [[String: Any]] ?? []
                    #expect(list.first { $0["employee_id"] as? String == colleague.employeeID }?["status"] as? String == "available")
                }
                leave.withLock { $0 = true }
                #expect(try await theirs.value() == "\(colleague.employeeID) available")
            }
        }
    }

    /// Whether the last presence word on `employee` among `events` says available.
    static func online(_ employee: SignedIn, in events: [[String: Any]]) -> Bool {
        let words = events.filter { $0["event"] as? String == "presence" }.flatMap { $0["agents"] as? [[String: Any]] ?? [] }
        return words.last { $0["employee_id"] as? String == employee.employeeID }?["status"] as? String == "available"
    }
}

/// Work started once from inside a socket reader's callback (which may run many times), awaited later.
final class Once<Value: Sendable>: Sendable {
    private let task = Mutex<Task<Value, any Error>?>(nil)

    func start(_ work: @escaping @Sendable () async throws -> Value) {
        task.withLock { task in if task == nil { task = Task { try await work() } } }
    }

    func value() async throws -> Value {
        try await #require(task.withLock { $0 }).value
    }
}
