import AvocaCalls
import AvocaCore
import AvocaTestSupport
import Foundation
import Testing

/// The call state machine and its events, through `CallService` alone.
@Suite("Calls: state machine without HTTP", .timeLimit(.minutes(4)))
struct CallLifecycleTests {
    @Test("ringing → active → wrap_up → completed; a call nobody claims ends missed; ending twice changes nothing")
    func states() async throws {
        try await CallFixture.run { f in
            let agent = try await f.onlineAgent("ana")
            let answered = try await f.calls.startCall(phoneNumber: "(312) 555-0142", startedAt: nil, externalID: nil)
            #expect(answered.state == .ringing)
            #expect(try await f.calls.accept(answered.id, by: agent.id).state == .active)
            #expect(try await f.calls.endCall(answered.id).state == .wrapUp)
            #expect(try await f.calls.endCall(answered.id).state == .wrapUp)
            let done = try await f.calls.update(answered.id, by: agent, CallUpdate(outcome: .informationOnly))
            #expect(done.state == .completed)
            #expect(done.endReason == .hangup)

            let unanswered = try await f.calls.startCall(phoneNumber: "+13125550199", startedAt: nil, externalID: nil)
            #expect(try await f.calls.endCall(unanswered.id).state == .missed)
        }
    }

    @Test("of 30 concurrent accepts exactly one wins; the others are told who has the call")
    func oneWinner() async throws {
        try await CallFixture.run { f in
            var agents: [Employee] = []
            for index in 0..<6 { agents.append(try await f.onlineAgent("agent\(index)")) }
            let call = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for attempt in 0..<30 {
                    let agent = agents[attempt % agents.count]
                    group.addTask { await CallFixture.errorCode { _ = try await f.calls.accept(call.id, by: agent.id) } ?? "won" }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "won" }.count == 1)
            #expect(outcomes.allSatisfy { ["won", "already_claimed", "already_yours"].contains($0) }, "\(Set(outcomes))")
        }
    }

    @Test("links are set, cleared or left alone; a job of another customer is refused and nothing changes")
    func links() async throws {
        try await CallFixture.run { f in
            let agent = try await f.onlineAgent("ana")
            let now = f.clock.now()
            let customer = Customer(id: .random(), firstName: "Maria", createdAt: now, updatedAt: now)
            try await f.directory.createCustomer(customer)
            let call = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            _ = try await f.calls.accept(call.id, by: agent.id)
            #expect(try await f.calls.update(call.id, by: agent, CallUpdate(customer: .set(customer.id))).customerID == customer.id)
            #expect(try await f.calls.update(call.id, by: agent, CallUpdate(notes: "called about a leak")).customerID == customer.id)
            #expect(
                await CallFixture.errorCode { _ = try await f.calls.update(call.id, by: agent, CallUpdate(customer: .set(.random()))) }
                    == "validation")
            #expect(
                await CallFixture.errorCode { _ = try await f.calls.update(call.id, by: agent, CallUpdate(job: .set(.random()))) } == "validation")
            #expect(try await f.calls.call(call.id).customerID == customer.id)
            #expect(try await f.calls.update(call.id, by: agent, CallUpdate(customer: .clear)).customerID == nil)
            let other = try await f.onlineAgent("bo")
            #expect(await CallFixture.errorCode { _ = try await f.calls.update(call.id, by: other, CallUpdate(notes: "mine now")) } == "forbidden")
        }
    }

    @Test("transcript appends are idempotent on seq, a gap names the expected seq, and each stored segment is stamped")
    func transcript() async throws {
        try await CallFixture.run { f in
            let call = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            try await f.say(call.id, from: 1, "my water heater")
            let retry = try await f.calls.appendTranscript(call.id, segments: [TranscriptSegment(seq: 2, speaker: .caller, text: "water")])
            #expect(retry.stored == 0)
            #expect(retry.lastSeq == 3)
            #expect(await CallFixture.errorCode { try await f.say(call.id, from: 5, "leaks") } == "transcript_gap")
            let stored = try await f.calls.segments(of: call.id, after: 0)
            #expect(stored.map(\.text) == ["my", "water", "heater"])
            #expect(stored.allSatisfy { $0.createdAt == f.clock.now() })
        }
    }
}

/// A call update is written only onto the state it was decided on.
@Suite("Calls: updates race releases and hang-ups", .timeLimit(.minutes(4)))
struct CallUpdateRaceTests {
    @Test("an update read before a release is refused and changes nothing")
    func staleUpdate() async throws {
        try await CallFixture.run { f in
            let agent = try await f.onlineAgent("ana")
            let call = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            let claimed = try await f.calls.accept(call.id, by: agent.id)
            _ = try await f.calls.release(call.id, by: agent)
            var stale = claimed
            stale.notes = "written by the former owner"
            #expect(try await f.repository.update(stale, ifStill: claimed.state, ownedBy: claimed.employeeID) == false)
            let now = try await f.calls.call(call.id)
            #expect(now.state == .ringing)
            #expect(now.notes == nil)
            #expect(now.employeeID == nil)
        }
    }

    @Test("20 concurrent note updates racing a hang-up never revert the call to active")
    func racingHangUp() async throws {
        try await CallFixture.run { f in
            let agent = try await f.onlineAgent("ana")
            let call = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            _ = try await f.calls.accept(call.id, by: agent.id)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        await CallFixture.errorCode { _ = try await f.calls.update(call.id, by: agent, CallUpdate(notes: "note \(index)")) } ?? "ok"
                    }
                }
                group.addTask { await CallFixture.errorCode { _ = try await f.calls.endCall(call.id) } ?? "ended" }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { ["ok", "ended", "call_changed"].contains($0) }, "\(Set(outcomes))")
            let final = try await f.calls.call(call.id)
            #expect(final.state == .wrapUp)
            #expect(final.endReason == .hangup)
        }
    }
}
