import AvocaCore
import FluentKit
import Foundation

/// `ThrottleRepository` on FluentKit.
public struct FluentThrottleRepository: ThrottleRepository {
    private let database: AvocaDatabase

    /// Creates the repository.
    public init(database: AvocaDatabase) { self.database = database }

    public func throttle(_ key: String) async throws -> ThrottleState? {
        try await ThrottleModel.find(key, on: database.db).map { ThrottleState(failures: $0.failures, blockedUntil: $0.blockedUntil) }
    }

    public func recordFailure(_ key: String, now: Date, policy: ThrottlePolicy) async throws -> ThrottleState {
        try await database.db.transaction { tx in
            let model =
                try await ThrottleModel.find(key, on: tx)
                ?? {
                    let fresh = ThrottleModel()
                    fresh.id = key
                    fresh.failures = 0
                    return fresh
                }()
            // A lock that has run out starts the count again.
            if let blocked = model.blockedUntil, model.failures >= policy.lockAfter, blocked <= now { model.failures = 0 }
            model.failures += 1
            let delay = policy.delay(afterFailures: model.failures)
            model.blockedUntil = delay > 0 ? now.addingTimeInterval(delay) : nil
            model.updatedAt = now
            do {
                try await model.save(on: tx)
            } catch  where error.isUniqueViolation {
                // A concurrent first failure created the row; count this one on top of it.
                try await ThrottleModel.query(on: tx).filter(\.$id == key).set(\.$updatedAt, to: now).update()
            }
            return ThrottleState(failures: model.failures, blockedUntil: model.blockedUntil)
        }
    }

    public func reset(_ key: String) async throws {
        try await ThrottleModel.query(on: database.db).filter(\.$id == key).delete()
    }
}
