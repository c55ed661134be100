import Foundation

/// Failure counters for throttling, shared by all instances through the database.
public protocol ThrottleRepository: Sendable {
    /// The state of a throttle key.
    func throttle(_ key: String) async throws -> ThrottleState?
    /// Adds one failure and stores the new blocking time; returns the new state.
    func recordFailure(_ key: String, now: Date, policy: ThrottlePolicy) async throws -> ThrottleState
    /// Forgets the failures of a key (after a success).
    func reset(_ key: String) async throws
}

/// How quickly failures slow a key down.
public struct ThrottlePolicy: Sendable, Equatable {
    /// Failures allowed before any delay.
    public var freeFailures: Int
    /// Failures after which the key is locked for `lockDuration`.
    public var lockAfter: Int
    /// The first delay; it doubles with every further failure.
    public var baseDelay: TimeInterval
    /// The longest delay before the lock.
    public var maxDelay: TimeInterval
    /// How long a lock lasts.
    public var lockDuration: TimeInterval

    /// Creates a policy.
    public init(freeFailures: Int, lockAfter: Int, baseDelay: TimeInterval, maxDelay: TimeInterval, lockDuration: TimeInterval) {
        self.freeFailures = freeFailures
        self.lockAfter = lockAfter
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.lockDuration = lockDuration
    }

    /// How long to block after the `failures`-th failure (0 = not blocked).
    public func delay(afterFailures failures: Int) -> TimeInterval {
        if failures >= lockAfter { return lockDuration }
        if failures <= freeFailures { return 0 }
        return min(maxDelay, baseDelay * pow(2, Double(failures - freeFailures - 1)))
    }
}

/// Failures recorded for one throttle key.
public struct ThrottleState: Sendable, Equatable {
    /// Consecutive failures.
    public var failures: Int
    /// No attempt is accepted before this instant.
    public var blockedUntil: Date?

    /// Creates a state.
    public init(failures: Int, blockedUntil: Date?) {
        self.failures = failures
        self.blockedUntil = blockedUntil
    }
}
