import AvocaCore
import Foundation

/// The word lists behind the transcript insight rules. Everything is lower-case and compared with
/// `InsightToken.lower` or `InsightToken.key`.
enum InsightVocabulary {
    /// Words that are never part of a person's name, even when a transcriber capitalises them
    /// ("I'm Calling about…", "This is Urgent").
    static let notNames: Set<String> = functionWords.union([
        // greetings, courtesy and fillers
        "hi", "hello", "hey", "thanks", "thank", "please", "sorry", "good", "morning", "afternoon", "evening",
        "great", "fine", "glad", "happy", "afraid", "pardon", "excuse", "bye", "goodbye",
        // what follows "I'm" / "this is" when it is not a name
        "calling", "having", "looking", "trying", "wondering", "hoping", "going", "getting", "gonna", "wanting",
        "needing", "checking", "following", "reaching", "phoning", "ringing", "writing", "interested", "concerned",
        "worried", "ready", "available", "free", "busy", "home", "away", "back", "new", "old", "located", "based",
        "renting", "moving", "selling", "buying", "positive", "certain", "pretty", "kind", "sort", "bit",
        "little", "frustrated", "desperate", "stuck", "done", "finished", "urgent", "emergency", "serious",
        "important", "customer", "client", "homeowner", "owner", "tenant", "landlord", "renter", "resident",
        "manager", "neighbor", "neighbour", "wife", "husband", "mom", "dad", "mother", "father", "son", "daughter",
        "speaking", "regarding", "re", "first", "second", "third", "last", "next", "same",
        // days and relative times
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow",
        "tonight", "yesterday", "week", "weekend",
        // trades and problems (company names start like this: "This is Springfield Plumbing")
        "plumbing", "plumber", "heating", "cooling", "air", "electric", "electrical", "electrician", "roofing",
        "hvac", "ac", "water", "leak", "leaking", "furnace", "toilet", "sink", "drain",
    ])

    /// Pronouns, articles, auxiliaries and other small words: never a name, a street or a city.
    static let functionWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "so", "if", "then", "than", "that", "this", "these", "those", "there",
        "here", "where", "when", "what", "who", "why", "how", "which", "it", "its", "it's", "i", "i'm", "me", "my",
        "mine", "you", "your", "we", "our", "us", "he", "she", "him", "her", "his", "they", "them", "their", "is", "am",
        "are", "was", "were", "be", "been", "being", "do", "does", "did", "have", "has", "had", "will", "would", "can",
        "could", "should", "may", "might", "must", "shall", "not", "no", "yes", "yeah", "yep", "nope", "ok", "okay",
        "to", "of", "in", "on", "at", "by", "for", "from", "with", "about", "into", "over", "under", "up", "down",
        "out", "off", "as", "just", "only", "also", "too", "very", "really", "actually", "basically", "still",
        "again", "already", "now", "right", "well", "oh", "uh", "um", "er", "ah", "hmm", "like", "sure", "all",
        "some", "any", "one", "two", "both", "each", "every", "another", "other", "more", "most", "much", "many",
    ]

    /// Words that turn a capitalised run into a business, not a person ("Tom from Acme Property Management").
    static let businessWords: Set<String> = [
        "plumbing", "heating", "cooling", "air", "electric", "electrical", "roofing", "services", "service",
        "company", "co", "inc", "llc", "corp", "corporation", "group", "management", "properties", "property",
        "realty", "homes", "construction", "contractors", "contracting", "solutions", "associates", "hoa",
        "apartments", "association", "insurance", "bank",
    ]

    /// Titles dropped in front of a name ("this is Mrs. Okafor" → "Okafor").
    static let honorifics: Set<String> = ["mr", "mrs", "ms", "miss", "dr", "mister", "missus"]

    /// Fillers skipped between a cue and what it introduces ("my name is, uh, Dana").
    static let fillers: Set<String> = ["uh", "um", "er", "erm", "ah", "uhm", "umm", "uhh", "hmm"]

    /// Words before "it's" that make it introduce the speaker ("Hi, it's Dana").
    static let greetings: Set<String> = ["hi", "hello", "hey", "yes", "yeah", "oh", "well", "morning", "afternoon"]

    /// Spoken digits, including the "oh" people say for zero.
    static let digitWords: [String: Character] = [
        "zero": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
        "six": "6", "seven": "7", "eight": "8", "nine": "9",
    ]

    /// Spoken e-mail punctuation ("john dot smith").
    static let emailSeparators: [String: String] = [
        "dot": ".", "period": ".", "point": ".", "underscore": "_", "dash": "-", "hyphen": "-", "plus": "+",
    ]

    /// Top-level domains accepted at the end of a spoken address, so "at the house dot" is not an e-mail.
    static let topLevelDomains: Set<String> = [
        "com", "net", "org", "edu", "gov", "us", "io", "co", "biz", "info", "me", "mil", "ca", "uk", "tv", "ai", "app",
    ]

    /// Mail providers people name without "dot com" ("maria at gmail").
    static let mailProviders: Set<String> = ["gmail", "yahoo", "hotmail", "outlook", "aol", "icloud", "comcast", "msn"]

    /// Street suffixes and their USPS abbreviations.
    static let streetSuffixes: [String: String] = [
        "street": "ST", "st": "ST", "avenue": "AVE", "ave": "AVE", "av": "AVE", "road": "RD", "rd": "RD",
        "boulevard": "BLVD", "blvd": "BLVD", "drive": "DR", "dr": "DR", "lane": "LN", "ln": "LN", "court": "CT",
        "ct": "CT", "way": "WAY", "place": "PL", "pl": "PL", "terrace": "TER", "ter": "TER", "terr": "TER",
        "circle": "CIR", "cir": "CIR", "parkway": "PKWY", "pkwy": "PKWY", "highway": "HWY", "hwy": "HWY",
        "trail": "TRL", "trl": "TRL", "square": "SQ", "sq": "SQ", "loop": "LOOP", "pike": "PIKE", "cove": "CV",
        "cv": "CV", "plaza": "PLZ", "plz": "PLZ", "crescent": "CRES", "alley": "ALY",
    ]

    /// Suffixes that are ordinary words too; a street name in lower case must end in a suffix not listed here.
    static let weakStreetSuffixes: Set<String> = [
        "way", "place", "loop", "trail", "square", "pike", "cove", "st", "dr", "plaza", "crescent", "alley",
    ]

    /// Compass words before or after a street name, with their USPS forms.
    static let directions: [String: String] = [
        "n": "N", "s": "S", "e": "E", "w": "W", "ne": "NE", "nw": "NW", "se": "SE", "sw": "SW", "north": "N",
        "south": "S", "east": "E", "west": "W", "northeast": "NE", "northwest": "NW", "southeast": "SE",
        "southwest": "SW",
    ]

    /// Unit designators and their USPS forms.
    static let unitWords: [String: String] = [
        "apt": "APT", "apartment": "APT", "unit": "UNIT", "suite": "STE", "ste": "STE", "#": "#", "no": "#",
        "number": "#",
    ]

    /// Words that look like a street name after a number but are a quantity ("2 hours drive").
    static let notStreetWords: Set<String> = [
        "hours", "hour", "minutes", "minute", "days", "day", "weeks", "week", "months", "month", "years", "year",
        "times", "time", "people", "kids", "more", "miles", "mile", "blocks", "block", "feet", "foot", "inches",
        "gallons", "degrees", "bucks", "dollars", "percent", "am", "pm", "o'clock", "or", "and", "to",
    ]

    /// Full state names (and DC) with their two-letter codes.
    static let stateNames: [String: String] = [
        "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
        "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
        "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
        "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
        "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
        "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
        "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
        "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
        "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
        "wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC", "washington dc": "DC",
    ]

    /// The two-letter codes; only accepted in capitals, so "in", "me" and "or" stay words.
    static let stateCodes: Set<String> = Set(stateNames.values)

    /// Month names and abbreviations.
    static let months: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]

    /// Weekday names (Gregorian numbering: Sunday = 1).
    static let weekdays: [String: Int] = [
        "sunday": 1, "monday": 2, "tuesday": 3, "tues": 3, "wednesday": 4, "weds": 4, "thursday": 5, "thurs": 5,
        "friday": 6, "saturday": 7,
    ]

    /// Hours said as words ("at three").
    static let hourWords: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12,
    ]

    /// Minutes said as words after an hour ("three thirty").
    static let minuteWords: [String: Int] = ["fifteen": 15, "thirty": 30, "forty-five": 45, "forty": 40, "twenty": 20, "ten": 10]

    /// Words that may introduce a clock time ("at 3", "around 10", "say 2").
    static let timeConnectors: Set<String> = [
        "at", "around", "about", "by", "after", "before", "say", "maybe", "like", "between", "from", "sometime",
        "ideally", "approximately", "roughly", "probably", "hopefully",
    ]

    /// Words that may follow a bare hour ("at 3") when it really is a time: "at 3 or 4", "at 3 tomorrow",
    /// "at 10 works", "from 9 to 12".
    static let bareClockFollowers: Set<String> = [
        "or", "and", "in", "on", "this", "next", "tomorrow", "today", "tonight", "works", "work", "would", "is",
        "sounds", "should", "if", "then", "please", "that", "ok", "okay", "maybe", "either", "sharp", "ish", "til",
        "till", "until", "to", "be", "will", "could", "good", "fine", "great", "perfect", "thanks",
        "thank", "for", "because", "but", "so", "at", "latest", "earliest",
    ]

    /// Verbs that make a time the moment something happened, not a requested visit.
    static let pastEvents: Set<String> = [
        "started", "began", "happened", "noticed", "broke", "stopped", "quit", "died", "failed", "burst", "flooded",
        "tripped", "went", "came", "called", "showed", "fixed", "installed", "replaced", "serviced", "since", "ago",
    ]

    /// Words after a number that make it a quantity, not a time ("in about 2 hours").
    static let notClockFollowers: Set<String> = [
        "hours", "hour", "minutes", "minute", "days", "day", "weeks", "week", "months", "years", "year", "times",
        "people", "kids", "of", "percent", "degrees", "inches", "feet", "gallons", "bucks", "dollars", "units",
        "toilets", "bathrooms", "floors", "stories", "story", "point", "more", "thing", "things",
    ]
}
