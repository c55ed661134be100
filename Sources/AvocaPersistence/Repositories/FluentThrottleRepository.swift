import AvocaCore
import FluentKit
import Foundation
import SQLKit

/// `ThrottleRepository` on FluentKit.
public struct FluentThrottleRepository: ThrottleRepository {
    private let database: AvocaDatabase

    /// Creates the repository.
    public init(database: AvocaDatabase) { self.database = database }

    public func throttle(_ key: String) async throws -> ThrottleState? {
        try await ThrottleModel.find(key, on: database.db).map { ThrottleState(failures: $0.failures, blockedUntil: $0.blockedUntil) }
    }

    public func recordFailure(_ key: String, now: Date, policy: ThrottlePolicy) async throws -> ThrottleState {
        let sql = try database.db.sql
        // One statement counts the failure — creating the row, or adding to it (starting again
        // after a lock that has run out) — so concurrent failures are each counted and no
        // transaction holds a connection while it waits for another.
        let rows = try await sql.raw(
            """
            INSERT INTO auth_throttles ("key", failures, updated_at) VALUES (\(bind: key), 1, \(bind: now))
            ON CONFLICT ("key") DO UPDATE SET updated_at = \(bind: now), failures = CASE
              WHEN auth_throttles.blocked_until IS NOT NULL AND auth_throttles.failures >= \(bind: policy.lockAfter)
                AND auth_throttles.blocked_until <= \(bind: now) THEN 1
              ELSE auth_throttles.failures + 1 END
            RETURNING failures
            """
        ).all()
        let failures = try rows.first?.decode(column: "failures", as: Int.self) ?? 1
        let delay = policy.delay(afterFailures: failures)
        let blockedUntil = delay > 0 ? now.addingTimeInterval(delay) : nil
        // The block belongs to this count: if a concurrent failure has counted past it, that one
        // sets its own (longer) block.
        try await sql.update("auth_throttles").set("blocked_until", to: blockedUntil)
            .where("key", .equal, key).where("failures", .equal, failures).run()
        return ThrottleState(failures: failures, blockedUntil: blockedUntil)
    }

    public func reset(_ key: String) async throws {
        try await ThrottleModel.query(on: database.db).filter(\.$id == key).delete()
    }
}
