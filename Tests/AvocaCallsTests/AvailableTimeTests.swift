import AvocaCore
import Foundation
import Testing

@testable import AvocaCalls

@Suite("Time available: connections, the toggle and calls on one timeline")
struct AvailableTimeTests {
    let ann = EmployeeID(UUID())
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    @Test("two tabs count once; a dead instance's socket counts to its last heartbeat; a live one to now")
    func connections() {
        let history = PresenceHistory(
            connections: [
                ConnectionSpan(employeeID: ann, connectedAt: at(0), closedAt: at(100), lastSeenAt: at(100)),
                ConnectionSpan(employeeID: ann, connectedAt: at(50), closedAt: at(150), lastSeenAt: at(150)),  // second tab
                ConnectionSpan(employeeID: ann, connectedAt: at(200), closedAt: nil, lastSeenAt: at(240)),  // instance died
                ConnectionSpan(employeeID: ann, connectedAt: at(400), closedAt: nil, lastSeenAt: at(490)),  // open
            ], changes: [], busy: [], names: [:])
        let seconds = AvailableTime.seconds(history, from: at(0), to: at(10_000), now: at(500))
        #expect(seconds[ann] == 290)  // 0–150 (two tabs), 200–240 (last heartbeat), 400–500 (now)
    }

    @Test("the last flip before the period decides where it starts; calls and away time are cut out, clipped to the period")
    func toggleAndCalls() {
        let history = PresenceHistory(
            connections: [ConnectionSpan(employeeID: ann, connectedAt: at(-500), closedAt: at(1_000), lastSeenAt: at(1_000))],
            changes: [
                AvailabilityChange(employeeID: ann, available: false, at: at(-300)),  // away when the period starts
                AvailabilityChange(employeeID: ann, available: true, at: at(100)),
                AvailabilityChange(employeeID: ann, available: false, at: at(700)),
                AvailabilityChange(employeeID: ann, available: true, at: at(800)),
            ],
            busy: [BusySpan(employeeID: ann, from: at(-50), to: at(150)), BusySpan(employeeID: ann, from: at(900), to: nil)],
            names: [:])
        // Available 150–700 and 800–900 (the open call runs to the end of the period).
        #expect(AvailableTime.seconds(history, from: at(0), to: at(950), now: at(5_000))[ann] == 650)
    }

    @Test("span arithmetic: merge, intersect, subtract")
    func spans() {
        let a = Spans([(at(0), at(10)), (at(5), at(20)), (at(30), at(40)), (at(50), at(50))])
        #expect(a == Spans([(at(0), at(20)), (at(30), at(40))]))
        #expect(a.total == 30)
        #expect(a.intersection(Spans([(at(15), at(35))])) == Spans([(at(15), at(20)), (at(30), at(35))]))
        #expect(
            a.subtracting(Spans([(at(-5), at(2)), (at(8), at(9)), (at(35), at(60))])) == Spans([(at(2), at(8)), (at(9), at(20)), (at(30), at(35))]))
    }
}
