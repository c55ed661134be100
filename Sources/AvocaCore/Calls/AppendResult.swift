import Foundation

/// The result of appending transcript segments.
public struct AppendResult: Sendable, Equatable {
    /// Segments stored by this call (0 for a pure retry).
    public var stored: [TranscriptSegment]
    /// The highest stored seq afterwards.
    public var lastSeq: Int
    /// Whether the database already sent the notification it was given for this batch (it does
    /// so only when exactly the batch given was stored).
    public var notified: Bool

    /// Creates a result.
    public init(stored: [TranscriptSegment], lastSeq: Int, notified: Bool = false) {
        self.stored = stored
        self.lastSeq = lastSeq
        self.notified = notified
    }
}
