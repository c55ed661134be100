import Foundation
import Synchronization

/// The source of "now". Injected everywhere so tests can move time forward deterministically.
public protocol AppClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The wall clock.
public struct SystemClock: AppClock {
    /// Creates the wall clock.
    public init() {}
    /// The current instant.
    public func now() -> Date { Date() }
}

/// A clock that only moves when told to; for tests.
public final class ManualClock: AppClock {
    private let current: Mutex<Date>

    /// Creates a clock stopped at `start`.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }
    /// The current instant.
    public func now() -> Date { current.withLock { $0 } }
    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}
