import AvocaCore
import Foundation

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
