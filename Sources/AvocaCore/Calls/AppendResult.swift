import Foundation

/// The result of appending transcript segments.
public struct AppendResult: Sendable, Equatable {
    /// Segments stored by this call (0 for a pure retry).
    public var stored: [TranscriptSegment]
    /// The highest stored seq afterwards.
    public var lastSeq: Int

    /// Creates a result.
    public init(stored: [TranscriptSegment], lastSeq: Int) {
        self.stored = stored
        self.lastSeq = lastSeq
    }
}
