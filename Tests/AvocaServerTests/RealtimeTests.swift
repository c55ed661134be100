import AvocaCalls
import AvocaCore
import AvocaTestSupport
import Foundation
import HTTPTypes
import HummingbirdWSTesting
import HummingbirdWebSocket
import Logging
import Synchronization
import Testing

@testable import AvocaServer

/// Reads JSON events from a test WebSocket until `done` says stop (or a timeout).
func collect(
    _ inbound: WebSocketInboundStream, timeout: Duration = .seconds(10), until done: @escaping @Sendable ([[String: Any]]) -> Bool
) async throws -> [[String: Any]] {
    // The deadline is a timer of its own, so a socket that goes quiet ends the wait too.
    let texts = try await withThrowingTaskGroup(of: [String]?.self) { group in
        group.addTask {
            var texts: [String] = []
            do {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { texts.append(text) }
                    if done(parseEvents(texts)) { break }
                }
            } catch is CancellationError {}
            return texts
        }
        group.addTask {
            try? await Task.sleep(for: timeout)
            return nil
        }
        var collected: [String] = []
        for try await result in group {
            if let result {
                collected = result
                group.cancelAll()
            } else {
                group.cancelAll()  // time is up: the reader stops and returns what it has
            }
        }
        return collected
    }
    return parseEvents(texts)
}

/// The JSON objects among text frames.
func parseEvents(_ texts: [String]) -> [[String: Any]] {
    texts.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
}

@Suite("Realtime: tickets, streaming, resume, bad messages, slow clients", .timeLimit(.minutes(4)))
struct RealtimeTests {
    func ticket(_ d: CallDesk) async throws -> String {
        let response = try await d.h.request(.post, "/api/realtime/tickets", bearer: d.agent.accessToken)
        return try #require(response["url"] as? String)
    }

    @Test("a ticket opens the socket once; the greeting is hello, snapshot and presence")
    func ticketsAndGreeting() async throws {
        try await CallDesk.run(live: true) { d in
            let ringing = try await d.start()
            let url = try await ticket(d)
            try await d.h.client.ws(url) { inbound, _, _ in
                let events = try await collect(inbound) { $0.count >= 3 }
                #expect(events.map { $0["event"] as? String } == ["hello", "snapshot", "presence"])
                let calls = events[1]["phone_calls"] as? [[String: Any]]
                #expect(calls?.contains { $0["phone_call_id"] as? String == ringing } == true)
            }
            // The same ticket again, and a made-up one, are closed at once with 4401 and get no greeting.
            for refused in [url, "/api/realtime?ticket=made-up", "/api/realtime"] {
                let close = try await d.h.client.ws(refused) { inbound, _, _ in
                    let events = try await collect(inbound, timeout: .seconds(20)) { !$0.isEmpty }
                    #expect(events.isEmpty)
                }
                #expect(close?.closeCode == .unknown(4401), "\(refused)")
            }
        }
    }

    @Test("signing out and being deactivated close the employee's sockets with 4401 at once, not at the next liveness check")
    func revocationClosesSockets() async throws {
        try await CallDesk.run(live: true) { d in
            let signingOut = try await d.h.enrolledEmployee("agent2@example.com")
            let deactivated = try await d.h.enrolledEmployee("agent3@example.com")
            let ends: [(String, SignedIn, @Sendable () async throws -> HTTPResponse.Status)] = [
                ("sign-out", signingOut, { try await d.h.request(.post, "/api/auth/signout", bearer: signingOut.accessToken).status }),
                (
                    "deactivation", deactivated,
                    { try await d.h.request(.post, "/api/employees/\(deactivated.employeeID)/deactivate", bearer: d.agent.accessToken).status }
                ),
            ]
            for (name, holder, end) in ends {
                let ticket = try await d.h.request(.post, "/api/realtime/tickets", bearer: holder.accessToken)
                let url = try #require(ticket["url"] as? String)
                let ending = EndingTask()
                let started = ContinuousClock.now
                let close = try await d.h.client.ws(url) { inbound, _, _ in
                    // Once greeted, end the session; then read until the server closes the socket.
                    _ = try await collect(inbound, timeout: .seconds(8)) { events in
                        if events.count >= 3 { ending.task.withLock { task in if task == nil { task = Task { try await end() } } } }
                        return false
                    }
                }
                // The liveness check runs every 10 s; the socket must close well before that.
                #expect(ContinuousClock.now - started < .seconds(6), "\(name): the socket stayed open")
                let status = try await ending.task.withLock { $0 }?.value
                #expect(status?.kind == .successful, "\(name): \(String(describing: status))")
                #expect(close?.closeCode == .unknown(4401), "\(name)")
            }
        }
    }

    @Test("hello is the first message even while calls are starting around the connect")
    func greetingComesFirst() async throws {
        try await CallDesk.run(live: true) { d in
            let starting = Task {
                for _ in 0..<40 { _ = try? await d.start() }
            }
            for _ in 0..<8 {
                try await d.h.client.ws(try await ticket(d)) { inbound, _, _ in
                    let events = try await collect(inbound) { $0.count >= 3 }
                    #expect(events.prefix(3).map { $0["event"] as? String } == ["hello", "snapshot", "presence"])
                }
            }
            await starting.value
        }
    }

    @Test("subscribers get the transcript so far, then live tokens in order; resume sends exactly what was missed")
    func streamAndResume() async throws {
        try await CallDesk.run(live: true) { d in
            let id = try await d.start()
            try await d.say(id, from: 1, ["one", "two", "three"])
            try await d.h.client.ws(try await ticket(d)) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"event":"subscribe","phone_call_id":"\#(id)"}"#))
                // Speak once the subscription is in place (the transcript so far has arrived).
                let (subscribed, signal) = AsyncStream<Void>.makeStream()
                async let spoken: Void = {
                    try await withDeadline(waitingFor: "the transcript snapshot") { for await _ in subscribed { return } }
                    try await d.say(id, from: 4, ["four", "five"])
                }()
                let events = try await collect(inbound) { events in
                    if events.contains(where: { $0["event"] as? String == "phone_call_transcript" }) { signal.yield() }
                    return events.filter { $0["event"] as? String == "phone_call_token" }.count >= 2
                }
                signal.finish()
                try await spoken
                let transcript = try #require(events.first { $0["event"] as? String == "phone_call_transcript" })
                #expect((transcript["segments"] as? [[String: Any]])?.map { $0["text"] as? String } == ["one", "two", "three"])
                let tokens = events.filter { $0["event"] as? String == "phone_call_token" }
                #expect(tokens.map { $0["seq"] as? Int } == [4, 5])
            }
            // Disconnected: more words arrive, then the client resumes from seq 5.
            try await d.say(id, from: 6, ["six", "seven", "eight"])
            try await d.h.client.ws(try await ticket(d)) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"event":"resume","calls":{"\#(id)":5}}"#))
                let events = try await collect(inbound) { $0.contains { $0["event"] as? String == "phone_call_transcript" } }
                let resumed = try #require(events.first { $0["event"] as? String == "phone_call_transcript" })
                #expect((resumed["segments"] as? [[String: Any]])?.map { $0["seq"] as? Int } == [6, 7, 8])
                #expect(resumed["last_seq"] as? Int == 8)
            }
        }
    }

    @Test("malformed or unknown messages get an error event and the socket stays open")
    func badMessages() async throws {
        try await CallDesk.run(live: true) { d in
            try await d.h.client.ws(try await ticket(d)) { inbound, outbound, _ in
                for bad in [
                    "not json", "{}", #"{"event":"nope"}"#, #"{"event":"subscribe"}"#,
                    #"{"event":"subscribe","phone_call_id":"\#(UUID().uuidString)"}"#,
                ] {
                    try await outbound.write(.text(bad))
                }
                try await outbound.write(.text(#"{"event":"ping","id":7}"#))
                let events = try await collect(inbound) { $0.contains { $0["event"] as? String == "pong" } }
                #expect(events.filter { $0["event"] as? String == "error" }.count == 5)
                #expect(events.last?["id"] as? Int == 7)
            }
        }
    }

    @Test("a client that stops reading is cut off at its buffer limit without holding back a fast client")
    func slowClient() async throws {
        try await CallDesk.run { d in
            let hub = d.hub(bufferSize: 50)
            let id = try await d.start()
            let employee = EmployeeID(d.agent.employeeID)!
            let session = SessionID(UUID())
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await hub.run() }
                let slow = try await hub.connect(employee: employee, session: session)
                let fast = try await hub.connect(employee: employee, session: session)
                await hub.receive(#"{"event":"subscribe","phone_call_id":"\#(id)"}"#, from: slow.id)
                await hub.receive(#"{"event":"subscribe","phone_call_id":"\#(id)"}"#, from: fast.id)
                // The next 20 words are said only once the fast client has read the last 20: it keeps
                // up however busy the machine is (its queue holds 50), while the slow one never reads.
                let tokensRead = TokenCount()
                async let read = withDeadline(.seconds(180), waitingFor: "200 tokens on the fast client") {
                    var seqs: [Int] = []
                    for await text in fast.messages {
                        let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                        if object?["event"] as? String == "phone_call_token", let seq = object?["seq"] as? Int {
                            seqs.append(seq)
                            tokensRead.value.withLock { $0 = seqs.count }
                        }
                        if seqs.count == 200 { break }
                    }
                    return seqs
                }
                for chunk in stride(from: 1, through: 200, by: 20) {
                    let said = try await d.say(id, from: chunk, (chunk..<(chunk + 20)).map { "w\($0)" })
                    try #require(said.status == .ok, "words \(chunk)–\(chunk + 19) were refused: \(said.status)")
                    // 60 s, not 20: with every suite running at once on 2 cores one step can take that long.
                    try await withDeadline(.seconds(60), waitingFor: "the fast client to read words \(chunk)–\(chunk + 19)") {
                        while tokensRead.value.withLock({ $0 }) < chunk + 19 { try await Task.sleep(for: .milliseconds(5)) }
                    }
                }
                let seqs = try await read
                #expect(seqs == Array(1...200))
                // The slow client's queue overflowed: its stream has ended, with far fewer than 200 messages.
                let slowCount = try await withDeadline(waitingFor: "the slow client's stream to end") {
                    var count = 0
                    for await _ in slow.messages { count += 1 }
                    return count
                }
                #expect(slowCount <= 50)
                #expect(await hub.connectionCount == 1)
                // Operators see it: open sockets and dropped clients are on /metrics.
                let metrics = String(decoding: try await d.h.request(.get, "/metrics").data, as: UTF8.self).split(separator: "\n")
                let dropped = metrics.first { $0.hasPrefix("avoca_realtime_slow_clients_dropped_total") }
                #expect((dropped.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0) >= 1, "\(dropped ?? "missing")")
                #expect(metrics.contains { $0.hasPrefix("avoca_realtime_connections") })
                group.cancelAll()
            }
        }
    }

    @Test("the simulator plays a whole call through the ingest path once a rep accepts it")
    func simulator() async throws {
        try await CallDesk.run { d in
            let simulator = CallSimulator(
                ingest: d.h.services.calls, settings: .init(interval: nil, seed: 3, wordDelay: 0...0.001, maxCalls: 1), logger: Logger(label: "t")
            ) { _ in nil }
            await simulator.triggerCall()
            let running = Task { try await simulator.run() }
            defer { running.cancel() }
            let ringing = try await withDeadline(.seconds(30), waitingFor: "the simulated call to ring") {
                while true {
                    if let call = try await d.h.services.calls.list(CallQuery()).items.first { return call }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let accepted = try await d.h.request(.post, "/api/phone-calls/\(ringing.id)/accept", bearer: d.agent.accessToken)
            #expect(accepted.status == .ok)
            try await withDeadline(.seconds(60), waitingFor: "the simulated call to finish") { try await running.value }
            let call = try await d.h.services.calls.call(ringing.id)
            #expect(call.state == .wrapUp)
            #expect(call.endReason == .hangup)
            let segments = try await d.h.services.calls.segments(of: call.id, after: 0)
            #expect(segments.map(\.seq) == Array(1...segments.count))
            #expect(segments.count > 40)
            let insights = try await d.h.services.calls.insights(for: call)
            #expect(Set(insights.map(\.kind)).isSuperset(of: [.name, .phone, .address]))
        }
    }
}

/// The request that ends a session, started from inside a socket reader.
private final class EndingTask: Sendable {
    let task = Mutex<Task<HTTPResponse.Status, any Error>?>(nil)
}

/// How many tokens a test's reader has taken, shared with the task that waits for it.
private final class TokenCount: Sendable {
    let value = Mutex(0)
}
