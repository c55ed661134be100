import Foundation
import Synchronization

/// The source of "now". Injected everywhere so tests can move time forward deterministically.
public protocol AppClock: Sendable {
    /// The current instant.
    func now() -> Date
}
