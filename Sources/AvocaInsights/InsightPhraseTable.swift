import AvocaCore
import Foundation

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
            guard let first = keys.first else { continue }
            byFirstKey[first, default: []].append(Entry(keys: keys, value: entry.value))
        }
        byFirstKey = byFirstKey.mapValues { $0.sorted { $0.keys.count > $1.keys.count } }
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
