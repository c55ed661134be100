import AvocaCalls
import AvocaCore
import Foundation
import Testing

/// Insights come from the stored transcript, so they survive a restart and agree across instances.
@Suite("Calls: insight tracking", .timeLimit(.minutes(4)))
struct InsightTrackingTests {
    @Test("insights found while words arrive are found again by a fresh service on the same database")
    func rebuiltFromStore() async throws {
        try await CallFixture.run { f in
            let call = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            try await f.say(call.id, from: 1, "hi this is Maria Gonzalez and my water heater is leaking everywhere it is an emergency.")
            let live = try await f.calls.insights(for: try await f.calls.call(call.id))
            #expect(Set(live.map(\.kind)).isSuperset(of: [.name, .service]))
            let restarted = f.restartedService()
            let rebuilt = try await restarted.insights(for: try await restarted.call(call.id))
            #expect(rebuilt == live)
        }
    }

    @Test("a number said just before hanging up is final once the call ends")
    func finishedOnEnd() async throws {
        try await CallFixture.run { f in
            let call = try await f.calls.startCall(phoneNumber: "+13125550100", startedAt: nil, externalID: nil)
            try await f.say(call.id, from: 1, "you can reach me at 312 555 0142")
            _ = try await f.calls.endCall(call.id)
            let insights = try await f.calls.insights(for: try await f.calls.call(call.id))
            #expect(insights.contains { $0.kind == .phone && $0.normalized == "+13125550142" })
        }
    }
}
