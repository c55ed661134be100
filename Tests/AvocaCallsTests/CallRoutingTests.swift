import AvocaCalls
import AvocaCore
import AvocaTestSupport
import Foundation
import Testing

/// `CallRouter` passes driven by hand with a manual clock, and the events they publish.
@Suite("Calls: routing without HTTP", .timeLimit(.minutes(4)))
struct CallRoutingTests {
    @Test("a ringing call is offered to one available agent; expiry moves it to the next; the events name each reason")
    func offersMoveOn() async throws {
        try await CallFixture.run { f in
            let first = try await f.onlineAgent("ana")
            f.clock.advance(by: 1)
            let second = try await f.onlineAgent("bo")
            let events = await f.bus.subscribe()
            let call = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            try await f.router.routeOnce()
            let offered = try #require(try await f.repository.pendingOffer(for: call.id))
            f.clock.advance(by: 21)
            try await f.router.routeOnce()
            let next = try #require(try await f.repository.pendingOffer(for: call.id))
            #expect(Set([offered.employeeID, next.employeeID]) == Set([first.id, second.id]))
            // The second agent takes it from the queue while it is offered to them: that is an accept.
            _ = try await f.calls.accept(call.id, by: next.employeeID)
            let seen = try await withDeadline(waitingFor: "the offer events") {
                var reasons: [OfferEndReason] = []
                for await event in events {
                    if case .offerEnded(_, _, let reason) = event { reasons.append(reason) }
                    if reasons.count == 2 { break }
                }
                return reasons
            }
            #expect(seen == [.expired, .accepted])
        }
    }

    @Test("an agent who lets 2 offers in a row expire is not responding and gets no offers until they choose Available")
    func notResponding() async throws {
        try await CallFixture.run { f in
            let ana = try await f.onlineAgent("ana")
            let status = { try await f.calls.presence().first { $0.employeeID == ana.id } }
            for number in ["+13125550101", "+13125550102"] {
                let call = try await f.calls.startCall(phoneNumber: number, startedAt: nil, externalID: nil)
                try await f.router.routeOnce()
                #expect(try await f.repository.pendingOffer(for: call.id)?.employeeID == ana.id)
                f.clock.advance(by: 21)
                try await f.repository.touchConnection(UUID(), employee: ana.id, at: f.clock.now())  // her socket stays open
                try await f.router.routeOnce()
            }
            #expect(try await status()?.status == .notResponding)
            #expect(try await status()?.reason == .notResponding)
            let third = try await f.calls.startCall(phoneNumber: "+13125550103", startedAt: nil, externalID: nil)
            try await f.router.routeOnce()
            #expect(try await f.repository.pendingOffer(for: third.id) == nil)

            _ = try await f.calls.setAvailable(ana.id, true)
            #expect(try await status()?.status == .available)
            try await f.router.routeOnce()
            #expect(try await f.repository.pendingOffer(for: third.id)?.employeeID == ana.id)
            // Answering starts the count again: one more expiry later does not make her not responding.
            _ = try await f.calls.accept(third.id, by: ana.id)
            #expect(try await f.calls.presence().first { $0.employeeID == ana.id }?.status == .onCall)
        }
    }

    @Test("away has a reason colleagues see; not responding cannot be chosen by hand")
    func awayReasons() async throws {
        try await CallFixture.run { f in
            let ana = try await f.onlineAgent("ana")
            let lunch = try await f.calls.setAvailable(ana.id, false, reason: .lunch)
            #expect(lunch?.status == .away)
            #expect(lunch?.reason == .lunch)
            let back = try await f.calls.setAvailable(ana.id, true, reason: .lunch)
            #expect(back?.status == .available)
            #expect(back?.reason == nil)
            #expect(await CallFixture.errorCode { _ = try await f.calls.setAvailable(ana.id, false, reason: .notResponding) } == "validation")
        }
    }

    @Test("another agent taking an offered call ends the offer as taken, not accepted")
    func takenByAnother() async throws {
        try await CallFixture.run { f in
            let holder = try await f.onlineAgent("ana")
            let call = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            try await f.router.routeOnce()
            #expect(try await f.repository.pendingOffer(for: call.id)?.employeeID == holder.id)
            let events = await f.bus.subscribe()
            let other = try await f.onlineAgent("bo")
            _ = try await f.calls.accept(call.id, by: other.id)
            let ended = try await withDeadline(waitingFor: "the offer to end") { () -> (EmployeeID, OfferEndReason)? in
                for await event in events { if case .offerEnded(_, let employee, let reason) = event { return (employee, reason) } }
                return nil
            }
            #expect(ended?.0 == holder.id)
            #expect(ended?.1 == .taken)
        }
    }

    @Test("an agent who takes another call gives back the one ringing on their desk; it rings for the next agent at once")
    func takingAnotherCallWithdrawsTheOffer() async throws {
        try await CallFixture.run { f in
            let ana = try await f.onlineAgent("ana")
            f.clock.advance(by: 1)
            let bo = try await f.onlineAgent("bo")
            let ringing = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            try await f.router.routeOnce()
            let holder = try #require(try await f.repository.pendingOffer(for: ringing.id)).employeeID
            let other = holder == ana.id ? bo.id : ana.id
            let queued = try await f.calls.startCall(phoneNumber: "+13125550143", startedAt: nil, externalID: nil)
            let events = await f.bus.subscribe()
            _ = try await f.calls.accept(queued.id, by: holder)
            let ended = try await withDeadline(waitingFor: "the withdrawn offer") { () -> OfferEndReason? in
                for await event in events {
                    if case .offerEnded(let id, let employee, let reason) = event, id == ringing.id, employee == holder { return reason }
                }
                return nil
            }
            #expect(ended == .busy)
            #expect(try await f.repository.pendingOffer(for: ringing.id) == nil)
            try await f.router.routeOnce()  // no clock advance: the next pass offers it, not the timeout
            #expect(try await f.repository.pendingOffer(for: ringing.id)?.employeeID == other)
        }
    }

    @Test("a call whose source goes silent past the timeout is ended as stale")
    func staleCalls() async throws {
        try await CallFixture.run { f in
            let call = try await f.calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil)
            f.clock.advance(by: 121)
            try await f.router.routeOnce()
            let ended = try await f.calls.call(call.id)
            #expect(ended.state == .missed)
            #expect(ended.endReason == .stale)
        }
    }
}
