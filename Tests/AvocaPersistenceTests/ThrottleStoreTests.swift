import AvocaCore
import AvocaPersistence
import AvocaTestSupport
import Foundation
import Testing

/// The throttle counters are shared by every instance through the database, so concurrent
/// failures must all be counted — none lost, none failing.
@Suite("Persistence: throttle counters under concurrency", .timeLimit(.minutes(4)))
struct ThrottleStoreTests {
    @Test("12 concurrent failures on one new key are all counted, and none of them fails")
    func concurrentFailures() async throws {
        try await TestDatabase.withMigrated { database in
            let throttles = FluentThrottleRepository(database: database)
            let policy = ThrottlePolicy(freeFailures: 100, lockAfter: 1000, baseDelay: 1, maxDelay: 60, lockDuration: 60)
            let now = Date()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<12 { group.addTask { _ = try await throttles.recordFailure("client:192.0.2.1", now: now, policy: policy) } }
                try await group.waitForAll()
            }
            #expect(try await throttles.throttle("client:192.0.2.1")?.failures == 12)
        }
    }
}
