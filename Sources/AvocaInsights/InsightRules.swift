import AvocaCore
import Foundation

/// Runs every rule over a stretch of words and keeps the longest reading of each fact.
enum InsightRules {
    private static let order = Dictionary(uniqueKeysWithValues: InsightKind.allCases.enumerated().map { ($1, $0) })

    /// All candidates starting at or after `from`, in order of their last word. Personal rules run only
    /// when `personal` is set (the caller's words). A candidate lying inside a longer one of the same
    /// kind is dropped: "water heater" hides "heater", "not an emergency" hides "emergency".
    static func candidates(in text: InsightText, from: Int, personal: Bool, clock: InsightClock) -> [InsightCandidate] {
        var found: [InsightCandidate] = []
        for index in from..<text.count {
            if personal {
                if let name = InsightContactRules.name(in: text, at: index) { found.append(name) }
                if let phone = InsightContactRules.phone(in: text, at: index) { found.append(phone) }
                if let email = InsightContactRules.email(in: text, at: index) { found.append(email) }
                if let address = InsightAddressRules.address(in: text, at: index) { found.append(address) }
            }
            if let service = InsightServiceRules.service(in: text, at: index) { found.append(service) }
            if let urgency = InsightServiceRules.urgency(in: text, at: index) { found.append(urgency) }
            if let time = InsightTimeRules.requestedTime(in: text, at: index, clock: clock) { found.append(time) }
        }
        // Sorted by start, longer first, a candidate lies inside an earlier one exactly when some earlier
        // candidate of its kind reaches at least as far. (Each rule yields one candidate per start.)
        var reach: [InsightKind: Int] = [:]
        var kept: [InsightCandidate] = []
        for candidate in found.sorted(by: { ($0.start, -$0.end) < ($1.start, -$1.end) }) {
            if let furthest = reach[candidate.kind], furthest >= candidate.end { continue }
            reach[candidate.kind] = candidate.end
            kept.append(candidate)
        }
        return kept.sorted { ($0.end, $0.start, order[$0.kind, default: 0]) < ($1.end, $1.start, order[$1.kind, default: 0]) }
    }
}
