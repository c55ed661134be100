import AvocaCore
import Foundation

/// Finds the service asked for (mapped to a trade) and how urgent the caller says it is.
enum InsightServiceRules {
    /// A service keyword: its trade, how to show it, and whether it is too vague to stand next to a
    /// specific keyword of another trade ("my roof is leaking" is roofing, not plumbing).
    struct Keyword: Sendable {
        /// The trade: "plumbing", "hvac", "electrical", "appliance", "roofing", "garage_door", "pest_control".
        let category: String
        /// How to show it when the spoken form is not right ("ac" → "AC").
        let display: String?
        /// Whether a specific keyword of another trade nearby overrides it.
        let generic: Bool
    }

    /// How urgent a phrase makes the call, or `nil` for phrases that only exist to cancel another
    /// ("not an emergency" is routine; "no sparks" is nothing).
    struct Urgency: Sendable {
        /// "emergency", "urgent" or "routine"; `nil` for a cancelling phrase.
        let level: String?
        /// Whether cold weather nearby makes it an emergency ("no heat" and "it's freezing in here").
        let worseInCold: Bool
    }

    private static func trade(_ category: String, _ phrases: [String], generic: Bool = false) -> [(phrase: String, value: Keyword)] {
        phrases.map { phrase in
            let display: String? = ["ac": "AC", "a/c": "AC", "a.c": "AC", "hvac": "HVAC", "gfci": "GFCI", "ac unit": "AC unit"][phrase]
            return (phrase, Keyword(category: category, display: display, generic: generic))
        }
    }

    /// The service keyword table.
    static let keywords = InsightPhraseTable<Keyword>(
        trade(
            "plumbing",
            [
                "water heater", "hot water heater", "tankless water heater", "tankless", "no hot water", "clogged drain",
                "clog", "clogged", "clogs", "slow drain", "drain line", "floor drain", "shower drain", "toilet", "toilets",
                "running toilet", "faucet", "faucets", "sink", "sinks", "garbage disposal", "disposal", "burst pipe", "burst pipes", "pipe burst",
                "frozen pipe", "frozen pipes", "pipe", "pipes", "sewer", "sewer line", "sump pump", "shower", "bathtub",
                "tub", "water line", "main line", "water pressure", "low water pressure", "plumbing", "plumber",
                "gas line", "gas leak", "water softener", "well pump", "running water", "water main",
            ])
            + trade(
                "plumbing",
                [
                    "leak", "leaks", "leaking", "leaky", "leakage", "dripping", "drip", "drips", "backed up", "backing up",
                    "overflowing", "hot water", "drain", "drains", "draining",
                ], generic: true)
            + trade(
                "hvac",
                [
                    "ac", "a/c", "a.c", "ac unit", "air conditioning", "air conditioner", "air con", "central air", "furnace",
                    "heat pump", "heater", "heating", "no heat", "heat isn't working", "heat is not working",
                    "heat not working", "heat is out", "heat out", "heat went out", "thermostat", "boiler", "hvac",
                    "mini split", "mini-split", "ductwork", "ducts", "air ducts", "vents", "not cooling",
                    "blowing warm air", "blowing hot air", "condenser", "air handler", "no air",
                ])
            + trade("hvac", ["cooling", "not heating"], generic: true)
            + trade(
                "electrical",
                [
                    "outlet", "outlets", "breaker", "breakers", "circuit breaker", "tripped breaker", "breaker box",
                    "panel", "electrical panel", "breaker panel", "fuse box", "fuse", "fuses", "wiring", "wires",
                    "lights flickering", "flickering lights", "flickering", "light switch", "light fixture",
                    "light fixtures", "ceiling fan", "gfci", "electrical", "electrician", "power is out", "power out",
                    "no power", "lost power", "power outage", "sparking", "sparks", "generator", "ev charger",
                    "smoke detector", "smoke detectors", "flood light", "flood lights", "rewire", "rewiring",
                ])
            + trade(
                "appliance",
                [
                    "dishwasher", "washing machine", "washer", "dryer", "refrigerator", "fridge", "freezer", "oven", "stove",
                    "microwave", "ice maker", "appliance", "appliances",
                ])
            + trade(
                "roofing",
                [
                    "roof", "roofing", "roofer", "shingles", "shingle", "gutter", "gutters", "skylight", "roof leak",
                    "leaky roof", "leaking roof",
                ])
            + trade("garage_door", ["garage door", "garage doors", "garage door opener", "garage opener"])
            + trade(
                "pest_control",
                [
                    "termites", "termite", "ants", "roaches", "cockroaches", "mice", "rats", "rodents", "bed bugs", "bedbugs",
                    "wasps", "hornets", "exterminator", "pest", "pests", "pest control", "wasp nest", "wasp", "hornet nest",
                    "bees", "beehive", "raccoons", "squirrels", "bats",
                ]))

    private static func level(_ level: String?, _ phrases: [String], worseInCold: Bool = false) -> [(phrase: String, value: Urgency)] {
        phrases.map { ($0, Urgency(level: level, worseInCold: worseInCold)) }
    }

    /// The urgency phrase table.
    static let urgencies = InsightPhraseTable<Urgency>(
        level(
            "emergency",
            [
                "emergency", "emergencies", "flooding", "flooded", "flood", "water everywhere", "burst pipe", "burst pipes",
                "pipe burst", "pipe has burst", "pipe just burst", "gas leak", "smell gas", "smells like gas",
                "smell of gas", "gas smell", "smelling gas", "sparks", "sparking", "smoke", "smoking", "burning smell",
                "smells like burning", "smell burning", "something burning", "smells burnt", "burning plastic", "carbon monoxide", "co alarm",
                "co detector", "sewage",
                "electrical fire", "fire", "caught fire",
            ])
            + level(
                "urgent",
                [
                    "urgent", "urgently", "asap", "a.s.a.p", "as soon as possible", "soon as possible", "as soon as you can",
                    "right away", "immediately", "today", "same day", "same-day", "tonight", "right now", "quickly",
                    "as quick as possible", "as fast as possible", "can't wait", "cannot wait", "no hot water",
                ])
            + level(
                "urgent",
                [
                    "no heat", "no heating", "heat isn't working", "heat is not working", "heat not working", "heat is out",
                    "heat out", "heat went out", "furnace went out", "furnace is out", "furnace isn't working",
                    "furnace stopped working", "furnace quit",
                ], worseInCold: true)
            + level(
                "routine",
                [
                    "whenever", "no rush", "no hurry", "not urgent", "not an emergency", "not a emergency",
                    "isn't an emergency", "isn't urgent", "not really urgent", "not really an emergency", "nothing urgent",
                    "not in a hurry", "not in a rush", "next week", "at your convenience", "when you get a chance",
                    "when you have time", "any time", "anytime", "sometime", "flexible", "non-urgent", "not that urgent",
                    "not super urgent", "no emergency", "not an urgent", "not urgent at all", "not a big rush",
                ])
            + level(
                nil,
                [
                    "no flooding", "not flooding", "no sparks", "not sparking", "no smoke", "don't smell gas",
                    "do not smell gas", "no gas smell", "smoke detector", "smoke detectors", "smoke alarm", "smoke alarms",
                    "flood light", "flood lights", "earlier today", "you today", "doing today", "no fire", "not on fire",
                    "emergency fee", "emergency rate", "emergency fees",
                ]))

    // Words that make "no heat" an emergency rather than merely urgent.
    private static let coldWords: Set<String> = [
        "freezing", "frozen", "cold", "winter", "snow", "snowing", "degrees", "zero", "baby", "infant", "newborn",
        "elderly", "icy",
    ]

    /// The service keyword starting at `index`; `normalized` is the trade, so one fact per trade.
    static func service(in text: InsightText, at index: Int) -> InsightCandidate? {
        guard let (end, keyword) = keywords.longestMatch(in: text, at: index) else { return nil }
        if keyword.generic {
            // Earlier words of any sentence count ("the roof is leaking… it's dripping into a bucket");
            // later ones only within the sentence and the settling distance.
            let earlier = max(0, index - 40)..<index
            let later = (end + 1)..<(text.context(index, end, before: 0, after: 5).upperBound + 1)
            for other in Array(earlier) + Array(later) {
                if let (_, specific) = keywords.longestMatch(in: text, at: other), !specific.generic,
                    specific.category != keyword.category
                {
                    return nil
                }
            }
        }
        let value = keyword.display ?? (index...end).map { text[$0].key }.joined(separator: " ")
        return InsightCandidate(kind: .service, start: index, end: end, value: value, normalized: keyword.category)
    }

    /// The urgency phrase starting at `index`; `normalized` is "emergency", "urgent" or "routine".
    static func urgency(in text: InsightText, at index: Int) -> InsightCandidate? {
        guard let (end, urgency) = urgencies.longestMatch(in: text, at: index) else { return nil }
        let value = text.phrase(index, end).lowercased()
        guard var level = urgency.level else {
            return InsightCandidate(kind: .urgency, start: index, end: end, value: value, normalized: nil, reportable: false)
        }
        if urgency.worseInCold, text.context(index, end, before: 12, after: 8).contains(where: { coldWords.contains(text[$0].key) }) {
            level = "emergency"
        }
        return InsightCandidate(kind: .urgency, start: index, end: end, value: value, normalized: level)
    }
}
