import AvocaCore
import Foundation

/// A read-only view of one speaker's words with the navigation every rule shares.
struct InsightText {
    /// The words.
    let tokens: [InsightToken]

    /// How many words there are.
    var count: Int { tokens.count }

    /// The word at `index`.
    subscript(index: Int) -> InsightToken { tokens[index] }

    /// The lower-cased word at `index`, or `nil` when there is none.
    func lower(_ index: Int?) -> String? {
        guard let index, index >= 0, index < tokens.count else { return nil }
        return tokens[index].lower
    }

    /// The index after `index` when a fact may run on into it: same turn, and `index` does not end a sentence.
    func next(_ index: Int) -> Int? {
        let following = index + 1
        guard following < tokens.count, tokens[following].turn == tokens[index].turn, !tokens[index].endsSentence
        else { return nil }
        return following
    }

    /// The index before `index` for looking back at a cue ("my name is", "email is"): it may lie in the
    /// speaker's previous turn (the agent said "mm-hm" in between) but not in a finished sentence.
    func previous(_ index: Int) -> Int? {
        guard index > 0, !tokens[index - 1].endsSentence else { return nil }
        return index - 1
    }

    /// Whether the words from `index` on are exactly `keys` (keyword forms); returns the last index if so.
    func match(_ keys: [String], at index: Int) -> Int? {
        guard index < tokens.count, !keys.isEmpty, tokens[index].key == keys[0] else { return nil }
        var current = index
        for key in keys.dropFirst() {
            guard let following = next(current), tokens[following].key == key else { return nil }
            current = following
        }
        return current
    }

    /// Indices around `start...end` in the same sentence, at most `before` words before and `after` words after.
    /// Rules may only look this far, so the settling rule (`TranscriptInsightExtractor.settleAfterWords`) holds.
    func context(_ start: Int, _ end: Int, before: Int, after: Int) -> ClosedRange<Int> {
        let sentence = tokens[start].sentence
        var low = start
        while low > 0, start - low < before, tokens[low - 1].sentence == sentence { low -= 1 }
        var high = end
        while high + 1 < tokens.count, high - end < after, tokens[high + 1].sentence == tokens[end].sentence { high += 1 }
        return low...high
    }

    /// The last index of the sentence containing `index` so far, looking at most `limit` words ahead.
    func sentenceEnd(_ index: Int, within limit: Int) -> Int {
        var high = index
        while high + 1 < tokens.count, high - index < limit, tokens[high + 1].sentence == tokens[index].sentence { high += 1 }
        return high
    }

    /// Whether the sentence holding `index` has ended (by punctuation or a new turn), so no later word can
    /// belong to it.
    func isSentenceOver(at index: Int) -> Bool {
        let last = tokens[tokens.count - 1]
        return tokens[index].sentence != last.sentence || last.endsSentence
    }

    /// The cores of `start...end` (words without their punctuation) joined by spaces.
    func phrase(_ start: Int, _ end: Int) -> String {
        tokens[start...end].map(\.core).joined(separator: " ")
    }
}
