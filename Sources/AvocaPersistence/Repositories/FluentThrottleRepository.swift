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
        // The row exists before it is counted on: a concurrent first failure creating it too is no
        // error (inside the transaction a duplicate key would abort it on PostgreSQL).
        try await database.db.sql.insert(into: "auth_throttles").columns("key", "failures", "updated_at")
            .values(SQLBind(key), SQLBind(0), SQLBind(now)).ignoringConflicts(with: "key").run()
        return try await database.db.transaction { tx in
            // Read and write under the row's lock, so concurrent failures are each counted (on
            // PostgreSQL they would otherwise overwrite each other; SQLite's single connection
            // runs one transaction at a time anyway).
            let lock = database.location.isPostgres ? " FOR UPDATE" : ""
            let row = try await tx.sql.raw("SELECT failures, blocked_until FROM auth_throttles WHERE key = \(bind: key)\(unsafeRaw: lock)").first()
            var failures = try row?.decode(column: "failures", as: Int.self) ?? 0
            // A lock that has run out starts the count again.
            if let blocked = try row?.decode(column: "blocked_until", as: Date?.self), failures >= policy.lockAfter, blocked <= now { failures = 0 }
            failures += 1
            let delay = policy.delay(afterFailures: failures)
            let blockedUntil = delay > 0 ? now.addingTimeInterval(delay) : nil
            try await tx.sql.update("auth_throttles").set("failures", to: failures).set("blocked_until", to: blockedUntil)
                .set("updated_at", to: now).where("key", .equal, key).run()
            return ThrottleState(failures: failures, blockedUntil: blockedUntil)
        }
    }

    public func reset(_ key: String) async throws {
        try await ThrottleModel.query(on: database.db).filter(\.$id == key).delete()
    }
}
