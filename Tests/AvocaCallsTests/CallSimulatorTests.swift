import AvocaCore
import AvocaTestSupport
import Foundation
import Logging
import Testing

@testable import AvocaCalls

/// The simulator behaves like a real line: the caller talks to the phone menu while the call
/// rings, and the rep's side starts only once a rep holds the call.
@Suite("Calls: the simulator streams only the caller until a rep answers", .timeLimit(.minutes(4)))
struct CallSimulatorTests {
    static func simulator(_ f: CallFixture, patience: TimeInterval) -> CallSimulator {
        CallSimulator(
            ingest: f.calls, settings: .init(interval: nil, seed: 5, wordDelay: 0...0.002, maxCalls: 1, patience: patience),
            logger: Logger(label: "t")
        ) { _ in nil }
    }

    @Test("a call nobody answers holds the caller's words to the phone menu only, and ends missed")
    func unanswered() async throws {
        try await CallFixture.run { f in
            let simulator = Self.simulator(f, patience: 1)
            await simulator.triggerCall()
            try await withDeadline(.seconds(120), waitingFor: "the unanswered call to end") { try await simulator.run() }
            let call = try #require(try await f.calls.list(CallQuery()).items.first)
            #expect(call.state == .missed)
            #expect(call.endReason == .hangup)
            let segments = try await f.calls.segments(of: call.id, after: 0)
            #expect(segments.count >= 5, "the caller said why they call: \(segments.map(\.text))")
            #expect(segments.map(\.seq) == Array(1...segments.count))
            #expect(segments.filter { $0.speaker == .agent }.isEmpty, "a missed call has no rep's words: \(segments.map(\.text))")
        }
    }

    @Test("the rep's words start only after the accept; until then the caller waits on hold, silent")
    func repAfterAccept() async throws {
        try await CallFixture.run { f in
            let agent = try await f.onlineAgent("ana")
            let simulator = Self.simulator(f, patience: 60)
            await simulator.triggerCall()
            let running = Task { try await simulator.run() }
            defer { running.cancel() }
            let opening = await simulator.script(index: 1).0.openingSegmentCount
            #expect(opening >= 5, "the caller tells the phone menu why they call")
            let call = try await withDeadline(.seconds(120), waitingFor: "the caller's opening") {
                while true {
                    if let call = try await f.calls.list(CallQuery()).items.first, call.lastSeq >= opening { return call }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            #expect(call.state == .ringing)
            try await Task.sleep(for: .milliseconds(600))
            let waiting = try await f.calls.segments(of: call.id, after: 0)
            #expect(waiting.count == opening, "no words while the caller waits for a rep")
            #expect(waiting.allSatisfy { $0.speaker == .caller }, "\(waiting.map(\.text))")

            _ = try await f.calls.accept(call.id, by: agent.id)
            try await withDeadline(.seconds(120), waitingFor: "the answered call to play out") { try await running.value }
            let ended = try await f.calls.call(call.id)
            #expect(ended.state == .wrapUp, "the caller hung up on the rep: \(ended.state)")
            let segments = try await f.calls.segments(of: call.id, after: 0)
            #expect(segments.map(\.seq) == Array(1...segments.count))
            #expect(segments.count > opening + 20)
            #expect(segments.prefix(opening).allSatisfy { $0.speaker == .caller })
            #expect(segments.dropFirst(opening).first?.speaker == .agent, "the rep speaks first once they answer")
        }
    }
}
