import AvocaCalls
import AvocaCore
import AvocaTestSupport
import Foundation
import HummingbirdWSTesting
import Testing

@testable import AvocaServer

/// One loop keeps every socket of an instance alive (`RealtimeSockets`), instead of a timer task
/// per socket: it must still refresh each socket's presence and notice sessions that simply ran out.
@Suite("Realtime: one keeper for all sockets", .timeLimit(.minutes(4)))
struct RealtimeSocketsTests {
    @Test("open sockets are kept fresh by the shared heartbeat; a session that expires without any event is closed with 4401")
    func heartbeatAndExpiry() async throws {
        try await CallDesk.run(live: true) { d in
            let employee = try #require(EmployeeID(d.agent.employeeID))
            let url = try #require(try await d.h.request(.post, "/api/realtime/tickets", bearer: d.agent.accessToken)["url"] as? String)
            let checks = Once<Bool>()
            let close = try await d.h.client.ws(url) { inbound, _, _ in
                // Read until the server closes the socket; the checks run beside the reader.
                _ = try await collect(inbound, timeout: .seconds(60)) { events in
                    if events.count >= 3 {
                        checks.start {
                            // 25 s later by the server's clock, only a heartbeat since then keeps
                            // the socket among those seen in the last 5 s.
                            d.h.clock.advance(by: 25)
                            var fresh = false
                            let deadline = ContinuousClock.now + .seconds(25)
                            while !fresh && ContinuousClock.now < deadline {
                                try await Task.sleep(for: .milliseconds(250))
                                let seen = try await d.h.services.callRepository.presence(
                                    onlineSince: d.h.clock.now().addingTimeInterval(-5), of: employee)
                                fresh = seen.first?.status != .offline
                            }
                            // The session runs out (30 days): no sign-out event, only the keeper's check can see it.
                            d.h.clock.advance(by: 31 * 24 * 3600)
                            return fresh
                        }
                    }
                    return false
                }
            }
            #expect(try await checks.value(), "no heartbeat refreshed the socket")
            #expect(close?.closeCode == .unknown(4401))
        }
    }
}
