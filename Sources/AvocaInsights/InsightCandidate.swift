import AvocaCore
import Foundation

/// A fact a rule found at some position, before the extractor decides whether it is final.
struct InsightCandidate: Sendable, Equatable {
    /// What kind of fact it is.
    var kind: InsightKind
    /// The first word it covers (cue words before it are not part of it).
    var start: Int
    /// The last word it covers; the segment of this word is the one that completed the fact.
    var end: Int
    /// The fact as said, cleaned up.
    var value: String
    /// The canonical form, see `Insight.normalized`.
    var normalized: String?
    /// `false` for phrases that only exist to swallow a misleading match ("not an emergency", "since Monday").
    var reportable = true
}
