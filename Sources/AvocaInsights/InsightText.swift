import Foundation

/// One word of a speaker's accumulated transcript, with what the insight rules need to know about it.
struct InsightToken: Sendable, Equatable {
    /// The word as transcribed, with curly quotes straightened.
    let raw: String
    /// The word without surrounding punctuation: "Ave." → "Ave", "(312)" → "312", "Maria," → "Maria".
    let core: String
    /// `core` lower-cased.
    let lower: String
    /// `lower` without a trailing "'s" ("AC's" → "ac", "heat's" → "heat"); what keyword tables compare.
    let key: String
    /// The `seq` of the segment this word arrived in.
    let seq: Int
    /// Which uninterrupted stretch of this speaker's talk the word belongs to.
    let turn: Int
    /// Which sentence the word belongs to; a new one starts after . ! ? and at every new turn.
    var sentence: Int
    /// The index of the first word of that sentence.
    let sentenceStart: Int
    /// Whether the word ends a sentence.
    var endsSentence: Bool
    /// Whether the word ends with a question mark.
    var endsQuestion: Bool
    /// Whether a comma, semicolon or colon follows the word.
    var endsClause: Bool

    /// The keyword form of an arbitrary word, so tables and transcripts are compared the same way.
    static func keyForm(_ lower: String) -> String {
        lower.count > 2 && lower.hasSuffix("'s") ? String(lower.dropLast(2)) : lower
    }
}

/// All words one speaker has said so far, and how far the extractor has settled them.
struct InsightWordStream: Sendable {
    /// The words, in order.
    private(set) var tokens: [InsightToken] = []
    /// Every candidate starting before this index has been decided for good.
    var stableUntil = 0
    /// Set when the other speaker takes over (or the call ends): nothing can extend this turn any more.
    var isClosed = false
    private var turn = 0
    private var sentence = 0

    // A period after these does not end a sentence ("Maple Ave. in Springfield", "Mrs. Lee").
    private static let abbreviations: Set<String> = [
        "st", "ave", "av", "rd", "blvd", "dr", "ln", "ct", "pl", "ter", "cir", "pkwy", "hwy", "trl", "sq", "apt",
        "ste", "mr", "mrs", "ms", "jr", "sr", "mt", "ft", "n", "s", "e", "w", "ne", "nw", "se", "sw", "jan", "feb",
        "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "tues", "thurs", "approx",
    ]
    private static let leadingPunctuation: Set<Character> = ["\"", "'", "(", "[", "{", "<", "*"]
    private static let trailingPunctuation: Set<Character> = [".", ",", ";", ":", "!", "?", "\"", "'", ")", "]", "}", ">", "*"]

    /// Starts a new turn: the next word opens a new sentence, and the stream is open again.
    mutating func beginTurn() {
        if !tokens.isEmpty {
            turn += 1
            sentence += 1
        }
        isClosed = false
    }

    /// Splits `text` into words and appends them; returns whether anything changed.
    mutating func append(_ text: String, seq: Int) -> Bool {
        var changed = false
        let normalized = text.replacingOccurrences(of: "\u{2019}", with: "'").replacingOccurrences(of: "\u{2018}", with: "'")
            .replacingOccurrences(of: "\u{201C}", with: "\"").replacingOccurrences(of: "\u{201D}", with: "\"")
        for piece in normalized.split(whereSeparator: { $0.isWhitespace || $0 == "\u{2014}" }) {
            changed = appendWord(String(piece), seq: seq) || changed
        }
        return changed
    }

    private mutating func appendWord(_ raw: String, seq: Int) -> Bool {
        var core = Substring(raw)
        while let first = core.first, Self.leadingPunctuation.contains(first) { core = core.dropFirst() }
        while let last = core.last, Self.trailingPunctuation.contains(last) { core = core.dropLast() }
        var tail = Substring(raw)
        while let last = tail.last, "\"')]}>*".contains(last) { tail = tail.dropLast() }
        let question = tail.hasSuffix("?")
        let clause = tail.hasSuffix(",") || tail.hasSuffix(";") || tail.hasSuffix(":")
        let lower = core.lowercased()
        // Punctuation spoken on its own ("Maria Gonzalez ." or a stray dash) belongs to the previous word.
        guard !core.isEmpty else {
            guard let lastIndex = tokens.indices.last, tokens[lastIndex].turn == turn else { return false }
            if tail.contains(where: { ".!?".contains($0) }) && !tail.hasSuffix("...") && !tokens[lastIndex].endsSentence {
                tokens[lastIndex].endsSentence = true
                tokens[lastIndex].endsQuestion = tail.contains("?")
                sentence += 1
                return true
            }
            if clause && !tokens[lastIndex].endsClause {
                tokens[lastIndex].endsClause = true
                return true
            }
            return false
        }
        var ends = question || tail.hasSuffix("!")
        if tail.hasSuffix("."), !tail.hasSuffix("..."), !tail.hasSuffix("\u{2026}") {
            // "a.m.", "gmail.com." and "J." are left open; at worst the fact settles a few words later.
            let isAbbreviation =
                Self.abbreviations.contains(lower) || (core.count == 1 && !core.allSatisfy(\.isNumber))
                || core.contains(".")
            ends = ends || !isAbbreviation
        }
        let sentenceStart = tokens.last.map { $0.sentence == sentence ? $0.sentenceStart : tokens.count } ?? 0
        tokens.append(
            InsightToken(
                raw: raw, core: String(core), lower: lower, key: InsightToken.keyForm(lower), seq: seq, turn: turn,
                sentence: sentence, sentenceStart: sentenceStart, endsSentence: ends, endsQuestion: question,
                endsClause: clause))
        if ends { sentence += 1 }
        return true
    }
}

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

/// Multi-word keywords looked up by their first word; the longest match wins.
struct InsightPhraseTable<Value: Sendable>: Sendable {
    // A struct rather than a tuple: generic tuples cost a runtime metadata lookup on every access.
    private struct Entry: Sendable {
        let keys: [String]
        let value: Value
    }
    private var byFirstKey: [String: [Entry]] = [:]

    /// Builds the table from phrases written as plain lower-case words ("water heater").
    init(_ entries: [(phrase: String, value: Value)]) {
        for entry in entries {
            let keys = entry.phrase.split(separator: " ").map { InsightToken.keyForm(String($0)) }
            byFirstKey[keys[0], default: []].append(Entry(keys: keys, value: entry.value))
        }
        for first in byFirstKey.keys { byFirstKey[first]!.sort { $0.keys.count > $1.keys.count } }
    }

    /// The longest phrase that starts at `index`, with its last index.
    func longestMatch(in text: InsightText, at index: Int) -> (end: Int, value: Value)? {
        guard let entries = byFirstKey[text[index].key] else { return nil }
        for entry in entries {
            if let end = text.match(entry.keys, at: index) { return (end, entry.value) }
        }
        return nil
    }
}
