import AvocaCore
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
