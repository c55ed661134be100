import AvocaCore
import Foundation

/// Incremental extractor: feed segments as they arrive; it returns only insights not reported before.
///
/// Live transcripts arrive a word at a time, so the extractor works on each speaker's accumulated words,
/// not on single segments. A fact is reported once nothing said later can change it: when
/// `settleAfterWords` more words have followed it, when its sentence ends (. ! ?), when the other
/// speaker takes over, or at `finish()`. Because of that rule the facts found do not depend on how the
/// words were cut into segments; only `seq` does (it names the segment holding the fact's last word).
///
/// Personal facts (name, phone, e-mail, address), urgency and the requested time come only from the
/// caller: the agent's "how can I help you today?" or "we can come any time tomorrow" describe the
/// desk, not the caller's need. The service also comes from the agent, but only from statements — not
/// from questions ("is this a plumbing problem?") or the greeting ("thanks for calling Springfield
/// Plumbing").
public struct TranscriptInsightExtractor: Sendable {
    /// How many later words of the same speaker make a caller's fact final. Every rule looks at most this
    /// far past a fact's last word (see `InsightText.context`).
    static let settleAfterWords = 10
    /// How many later words make an agent's fact final when its sentence has not ended: the agent's
    /// sentence is read (up to this far) to tell a statement from a question.
    static let agentSettleAfterWords = 40
    /// The most words a single fact (with its cue) can span; bounds how far back each pass re-reads.
    static let longestFact = 24

    private let clock: InsightClock
    private var caller = InsightWordStream()
    private var agent = InsightWordStream()
    private var seenSeqs: Set<Int> = []
    private var reportedKeys: Set<String> = []

    /// Everything found so far, deduplicated, in discovery order.
    public private(set) var insights: [Insight] = []

    /// Creates an extractor for a call that started at `callStart`; spoken dates and times
    /// ("tomorrow morning", "next Tuesday at 3") are read in `timeZone`, the company's zone.
    public init(callStart: Date, timeZone: TimeZone) {
        clock = InsightClock(callStart: callStart, timeZone: timeZone)
    }

    /// Adds one segment; returns the new insights it (together with the previous segments, for facts split
    /// across segments) revealed. A segment whose `seq` was already added is ignored, so retries are harmless.
    public mutating func add(_ line: TranscriptSegment) -> [Insight] {
        guard seenSeqs.insert(line.seq).inserted else { return [] }
        // The other speaker's turn is over: whatever it was still waiting on will not come.
        var found = settle(line.speaker == .caller ? .agent : .caller, closing: true)
        // Mutated in place: copying a stream out of `self` would copy all its words on every segment.
        let changed: Bool
        switch line.speaker {
        case .caller:
            if caller.isClosed { caller.beginTurn() }
            changed = caller.append(line.text, seq: line.seq)
        case .agent:
            if agent.isClosed { agent.beginTurn() }
            changed = agent.append(line.text, seq: line.seq)
        }
        if changed { found += settle(line.speaker, closing: false) }
        return found
    }

    /// Ends the call: reports the facts that were still waiting for more words. Adding a segment
    /// afterwards starts a new turn.
    public mutating func finish() -> [Insight] {
        settle(.caller, closing: true) + settle(.agent, closing: true)
    }

    /// Convenience: run over a whole transcript (in `seq` order) and finish it.
    public static func extract(_ lines: [TranscriptSegment], callStart: Date, timeZone: TimeZone) -> [Insight] {
        var extractor = TranscriptInsightExtractor(callStart: callStart, timeZone: timeZone)
        for line in lines.sorted(by: { $0.seq < $1.seq }) { _ = extractor.add(line) }
        _ = extractor.finish()
        return extractor.insights
    }

    private mutating func settle(_ speaker: Speaker, closing: Bool) -> [Insight] {
        var found: [Insight]
        switch speaker {
        case .caller:
            found = Self.settle(&caller, speaker: .caller, closing: closing, clock: clock, reported: &reportedKeys)
        case .agent:
            found = Self.settle(&agent, speaker: .agent, closing: closing, clock: clock, reported: &reportedKeys) {
                $0.kind == .service
            }
        }
        insights += found
        return found
    }

    /// Re-reads the unsettled tail of one speaker's words and returns the facts that became final.
    private static func settle(
        _ words: inout InsightWordStream, speaker: Speaker, closing: Bool, clock: InsightClock, reported: inout Set<String>,
        accepting accept: (InsightCandidate) -> Bool = { _ in true }
    ) -> [Insight] {
        guard !words.isClosed, !words.tokens.isEmpty else { return [] }
        if closing { words.isClosed = true }
        let text = InsightText(tokens: words.tokens)
        let stable = words.stableUntil
        let candidates = InsightRules.candidates(
            in: text, from: max(0, stable - longestFact), personal: speaker == .caller, clock: clock)

        // Everything before `settledBefore` is decided after this pass, so the next pass can skip it.
        let patience = speaker == .caller ? settleAfterWords : agentSettleAfterWords
        var settledBefore = closing ? text.count : text.count - patience - longestFact
        if speaker == .agent && !closing, let last = text.tokens.indices.last, !text[last].endsSentence {
            settledBefore = max(settledBefore, text[last].sentenceStart)
        }
        var found: [Insight] = []
        for candidate in candidates where candidate.start >= stable {
            let isFinal = closing || text.count - 1 - candidate.end >= patience || text.isSentenceOver(at: candidate.end)
            guard isFinal else {
                settledBefore = min(settledBefore, candidate.start)
                continue
            }
            guard candidate.reportable, accept(candidate), speaker == .caller || agentStates(candidate, in: text) else { continue }
            let insight = Insight(
                kind: candidate.kind, value: candidate.value, normalized: candidate.normalized, seq: text[candidate.end].seq)
            if reported.insert(dedupeKey(insight)).inserted { found.append(insight) }
        }
        words.stableUntil = max(stable, settledBefore)
        return found
    }

    private static let questionWords: Set<String> = [
        "is", "are", "was", "were", "do", "does", "did", "would", "could", "can", "should", "will", "have", "has",
        "when", "what", "which", "where", "how", "any", "anything",
    ]

    /// Whether the agent's sentence holding `candidate` states something: not a question ("is this an
    /// emergency?") and not the greeting ("thanks for calling Springfield Plumbing, how can I help?").
    /// Reads at most `agentSettleAfterWords` past the fact, the same words however the segments were cut.
    private static func agentStates(_ candidate: InsightCandidate, in text: InsightText) -> Bool {
        let start = text[candidate.start].sentenceStart
        let end = text.sentenceEnd(candidate.end, within: agentSettleAfterWords)
        if text[end].endsQuestion || questionWords.contains(text[start].lower) { return false }
        // The greeting names the company, which is not a request.
        let words = Set((max(start, candidate.start - agentSettleAfterWords)...end).map { text[$0].lower })
        return words.isDisjoint(with: ["calling", "speaking"]) && !(words.contains("how") && words.contains("help"))
    }

    private static func dedupeKey(_ insight: Insight) -> String {
        insight.kind.rawValue + "|" + (insight.normalized ?? insight.value.lowercased())
    }
}
