import Foundation
import Synchronization

/// The wall clock.
public struct SystemClock: AppClock {
    /// Creates the wall clock.
    public init() {}
    /// The current instant.
    public func now() -> Date { Date() }
}
