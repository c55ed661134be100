import AvocaCore
import AvocaInsights
import Foundation

/// Keeps one incremental insight extractor per live call, rebuilt from the stored transcript when
/// missing (after a restart, or on another instance), so insights never depend on process memory.
public actor InsightTracker {
    private let repository: any CallRepository
    private let timeZone: TimeZone
    private var extractors: [PhoneCallID: (extractor: TranscriptInsightExtractor, lastSeq: Int)] = [:]

    init(repository: any CallRepository, timeZone: TimeZone) {
        self.repository = repository
        self.timeZone = timeZone
    }

    /// Feeds segments just stored to the call's extractor; `true` when they revealed new insights.
    /// A live extractor that has every earlier segment takes them as they are (no database read:
    /// this runs for every word of every call); otherwise it is caught up from the database.
    func absorb(_ id: PhoneCallID, stored segments: [TranscriptSegment]) async throws -> Bool {
        if var entry = extractors[id], let first = segments.first, first.seq == entry.lastSeq + 1 {
            let before = entry.extractor.insights.count
            for segment in segments where segment.seq > entry.lastSeq {
                _ = entry.extractor.add(segment)
                entry.lastSeq = segment.seq
            }
            extractors[id] = entry
            return entry.extractor.insights.count > before
        }
        return try await absorb(id)
    }

    /// Catches the call's extractor up with its stored transcript; `true` when that revealed new insights.
    func absorb(_ id: PhoneCallID) async throws -> Bool {
        guard let call = try await repository.call(id) else { return false }
        let before = extractors[id]?.extractor.insights.count ?? 0
        let after = try await current(for: call).extractor.insights.count
        return after > before
    }

    /// Everything found so far for a call.
    func insights(for call: PhoneCall) async throws -> [Insight] {
        try await current(for: call).extractor.insights
    }

    /// The extractor of a call, caught up with the stored transcript.
    private func current(for call: PhoneCall) async throws -> (extractor: TranscriptInsightExtractor, lastSeq: Int) {
        var entry = extractors[call.id] ?? (TranscriptInsightExtractor(callStart: call.startedAt, timeZone: timeZone), 0)
        for segment in try await repository.segments(of: call.id, after: entry.lastSeq) {
            _ = entry.extractor.add(segment)
            entry.lastSeq = segment.seq
        }
        if call.state.isLive {
            extractors[call.id] = entry
        } else {
            // The call is over: facts still waiting for more words (a number said just before
            // hanging up) are final now.
            _ = entry.extractor.finish()
            extractors[call.id] = nil
        }
        // Bound memory: forget the oldest extractors beyond 2,000 live calls.
        if extractors.count > 2_000, let victim = extractors.keys.first { extractors[victim] = nil }
        return entry
    }
}
