import AvocaCore
import Foundation
import Testing

@testable import AvocaInsights

/// A caller's words are input like any request body: whatever is said (or injected through the
/// ingest API), extraction must end, must not trap, and must not pile up facts without bound. The
/// suite's time limit turns a runaway loop into a failure (how long extraction takes per word is a
/// benchmark's question, not a test's).
@Suite("Insights on hostile transcripts", .timeLimit(.minutes(4)))
struct HostileTranscriptTests {
    static let texts: [String] = [
        String(repeating: "my name is ", count: 400),
        String(repeating: "9", count: 4_000),
        String(repeating: "(312) 555-0142 ", count: 250),
        String(repeating: "at dot at dot ", count: 280),
        String(repeating: "123 Main Street ", count: 250),
        String(repeating: "tomorrow at 5 ", count: 280),
        String(repeating: "é\u{301}\u{302}\u{303} ", count: 700),
        String(repeating: "👩‍👩‍👧‍👦🇺🇸 ", count: 400),
        String(repeating: "\u{202E}اسمي مارِيا\u{202C} ", count: 200),
        String(repeating: "emergency urgent asap right now ", count: 120),
        String(repeating: "a", count: 4_000),
        String(repeating: " ", count: 4_000) + "x",
        String(repeating: "\u{0}\u{1}\u{7F}", count: 1_000),
    ]

    @Test("long, repetitive and unicode-heavy segments end, do not trap, and yield a bounded number of facts")
    func hostileSegments() {
        for (index, text) in Self.texts.enumerated() {
            var extractor = TranscriptInsightExtractor(callStart: TranscriptFixtures.callStart, timeZone: TranscriptFixtures.timeZone)
            var found: [Insight] = []
            for seq in 1...25 { found += extractor.add(TranscriptSegment(seq: seq, speaker: seq.isMultiple(of: 2) ? .agent : .caller, text: text)) }
            found += extractor.finish()
            #expect(found.count <= 200, "text \(index) produced \(found.count) insights")
            #expect(Set(found.map { "\($0.kind)|\($0.value)" }).count == found.count, "text \(index): a fact was reported twice")
        }
    }

    @Test("a whole call of one-word segments of hostile text ends too")
    func wordByWord() {
        var extractor = TranscriptInsightExtractor(callStart: TranscriptFixtures.callStart, timeZone: TranscriptFixtures.timeZone)
        var seq = 0
        for text in Self.texts {
            for word in text.split(separator: " ").prefix(300) {
                seq += 1
                _ = extractor.add(TranscriptSegment(seq: seq, speaker: .caller, text: String(word)))
            }
        }
        _ = extractor.finish()
        #expect(seq > 1_000)
    }
}
