import AvocaCore
import Foundation

@testable import AvocaInsights

/// A realistic call transcript and every insight it must yield, no more and no less.
struct TranscriptFixture: Sendable, CustomStringConvertible {
    /// What the call is about, shown in test results.
    let description: String
    /// The segments, one per turn, numbered from 1.
    let lines: [TranscriptSegment]
    /// The exact insights when the segments are fed as they are.
    let expected: Set<Insight>

    init(_ description: String, _ turns: [(Speaker, String)], expected: [Insight]) {
        self.description = description
        lines = turns.enumerated().map { TranscriptSegment(seq: $0.offset + 1, speaker: $0.element.0, text: $0.element.1) }
        self.expected = Set(expected)
    }
}

/// Home-services calls with varied phrasing, all taken at Tuesday 2026-11-24 10:15 in Chicago.
enum TranscriptFixtures {
    /// Tuesday 24 November 2026, 10:15 Central Standard Time.
    static let callStart = ISO8601DateFormatter().date(from: "2026-11-24T10:15:00-06:00")!
    /// The company's time zone.
    static let timeZone = TimeZone(identifier: "America/Chicago")!

    private static func name(_ value: String, _ seq: Int) -> Insight {
        Insight(kind: .name, value: value, normalized: nil, seq: seq)
    }
    private static func phone(_ value: String, _ e164: String, _ seq: Int) -> Insight {
        Insight(kind: .phone, value: value, normalized: e164, seq: seq)
    }
    private static func email(_ value: String, _ seq: Int) -> Insight {
        Insight(kind: .email, value: value, normalized: value.lowercased(), seq: seq)
    }
    private static func address(_ value: String, _ usps: String, _ seq: Int) -> Insight {
        Insight(kind: .address, value: value, normalized: usps, seq: seq)
    }
    private static func service(_ value: String, _ trade: String, _ seq: Int) -> Insight {
        Insight(kind: .service, value: value, normalized: trade, seq: seq)
    }
    private static func urgency(_ value: String, _ level: String, _ seq: Int) -> Insight {
        Insight(kind: .urgency, value: value, normalized: level, seq: seq)
    }
    private static func time(_ value: String, _ iso: String, _ seq: Int) -> Insight {
        Insight(kind: .requestedTime, value: value, normalized: iso, seq: seq)
    }

    /// All fixtures.
    static let all: [TranscriptFixture] = [
        TranscriptFixture(
            "leaking water heater, classic booking",
            [
                (.agent, "Thanks for calling Springfield Plumbing and Heating, this is Kevin, how can I help you?"),
                (.caller, "Hi Kevin, my name is Maria Gonzalez. My water heater is leaking all over the garage floor."),
                (.agent, "Oh no, I'm sorry to hear that. Is the water still running?"),
                (.caller, "I shut the valve off, but there's water everywhere."),
                (.agent, "Okay. What's the address?"),
                (.caller, "1423 Maple Ave, Springfield, IL 62704."),
                (.agent, "And the best number to reach you?"),
                (.caller, "It's (312) 555-0142."),
                (.agent, "We can get a technician out tomorrow morning between 8 and 12. Does that work?"),
                (.caller, "Tomorrow morning is perfect, thank you."),
            ],
            expected: [
                name("Maria Gonzalez", 2),
                service("water heater", "plumbing", 2),
                urgency("water everywhere", "emergency", 4),
                address("1423 Maple Ave, Springfield, IL 62704", "1423 MAPLE AVE, SPRINGFIELD, IL 62704", 6),
                phone("(312) 555-0142", "+13125550142", 8),
                time("Tomorrow morning", "2026-11-25T08:00:00-06:00", 10),
            ]),
        TranscriptFixture(
            "no heat with a newborn, spoken phone and e-mail",
            [
                (.agent, "Avoca Home Services, this is Priya speaking."),
                (
                    .caller,
                    "Yeah hi, this is Tom Becker. Our furnace quit last night, there's no heat and it's like fifty degrees in here with a newborn."
                ),
                (.agent, "That's definitely a priority. Can I get a callback number?"),
                (.caller, "Sure, it's six three oh, five five five, zero one nine nine."),
                (.agent, "And an email for the confirmation?"),
                (.caller, "tom dot becker at outlook dot com"),
                (.agent, "We'll have someone there this afternoon."),
                (.caller, "Thank you so much."),
            ],
            expected: [
                name("Tom Becker", 2),
                service("furnace", "hvac", 2),
                urgency("furnace quit", "urgent", 2),
                urgency("no heat", "emergency", 2),
                phone("(630) 555-0199", "+16305550199", 4),
                email("tom.becker@outlook.com", 6),
            ]),
        TranscriptFixture(
            "sparking outlet, address with unit and full state name",
            [
                (.agent, "Good afternoon, Bright Spark Electric, how can I help?"),
                (.caller, "Hi, I'm Aisha Rahman. I've got an outlet in the kitchen that's sparking when I plug anything in."),
                (.agent, "Please stop using that outlet. Where are you located?"),
                (.caller, "I'm at 88 Lakeview Terrace, Apt 12B, Evanston, Illinois 60201."),
                (.agent, "Got it. We can have an electrician there today, probably around 2."),
                (.caller, "As soon as possible please, I'm worried about it. My cell is 847-555-0123."),
            ],
            expected: [
                name("Aisha Rahman", 2),
                service("outlet", "electrical", 2),
                urgency("sparking", "emergency", 2),
                address(
                    "88 Lakeview Terrace Apt 12B, Evanston, Illinois 60201", "88 LAKEVIEW TER APT 12B, EVANSTON, IL 60201", 4),
                urgency("as soon as possible", "urgent", 6),
                phone("847-555-0123", "+18475550123", 6),
            ]),
        TranscriptFixture(
            "slow kitchen sink, no rush, agent offers a date",
            [
                (.caller, "Hey there, name's Derek Olsen. Kitchen sink's been draining really slow for a few days."),
                (.agent, "No problem. Is it urgent?"),
                (.caller, "No, no rush at all. Whenever you have an opening next week is fine."),
                (.agent, "I can put you down for Thursday the 3rd at 9:30."),
                (.caller, "Perfect, Thursday the 3rd at 9:30 it is. My email is Derek.Olsen@gmail.com."),
            ],
            expected: [
                name("Derek Olsen", 1),
                service("sink", "plumbing", 1),
                urgency("no rush", "routine", 3),
                time("Thursday the 3rd at 9:30", "2026-12-03T09:30:00-06:00", 5),
                email("Derek.Olsen@gmail.com", 5),
            ]),
        TranscriptFixture(
            "roof leak after a storm, dripping is not plumbing",
            [
                (.caller, "Hello, this is Linda Park. After the storm last night my roof is leaking into the upstairs bedroom."),
                (.agent, "I'm sorry to hear that. Is water coming through the ceiling right now?"),
                (.caller, "Yes, it's dripping into a bucket. Can someone come today?"),
                (.agent, "We can have a roofer out by 4 today to tarp it."),
                (.caller, "Great. My number is 773.555.0187, and the address is 2250 North Sheffield Avenue, Chicago, IL 60614."),
            ],
            expected: [
                name("Linda Park", 1),
                service("roof", "roofing", 1),
                urgency("today", "urgent", 3),
                time("today", "2026-11-24", 3),
                phone("773.555.0187", "+17735550187", 5),
                address(
                    "2250 North Sheffield Avenue, Chicago, IL 60614", "2250 N SHEFFIELD AVE, CHICAGO, IL 60614", 5),
            ]),
        TranscriptFixture(
            "AC not cooling, spoken e-mail with underscore, not an emergency",
            [
                (.caller, "Hi, good morning. My name is Jose Ramirez, I'm calling because my AC isn't cooling at all."),
                (.agent, "I can help with that. What's a good email for you?"),
                (.caller, "It's jose underscore ramirez 88 at yahoo dot com."),
                (.agent, "And when would you like us to come out?"),
                (.caller, "Monday at 10am would be ideal, it's not an emergency."),
                (.caller, "Oh, and my cell is 1-708-555-0134."),
            ],
            expected: [
                name("Jose Ramirez", 1),
                service("AC", "hvac", 1),
                email("jose_ramirez88@yahoo.com", 3),
                time("Monday at 10am", "2026-11-30T10:00:00-06:00", 5),
                urgency("not an emergency", "routine", 5),
                phone("1-708-555-0134", "+17085550134", 6),
            ]),
        TranscriptFixture(
            "overflowing toilet, unpunctuated lower-case transcription",
            [
                (.agent, "avoca plumbing how can i help"),
                (
                    .caller,
                    "yeah hi my name is sam ortiz i live at 4100 west diversey avenue in chicago my toilet is overflowing "
                        + "and it's flooding the bathroom can you send someone right away my number is 312 555 0166"
                ),
                (.agent, "yes we can send someone right away"),
            ],
            expected: [
                name("Sam Ortiz", 2),
                address("4100 west diversey avenue", "4100 W DIVERSEY AVE", 2),
                service("toilet", "plumbing", 2),
                urgency("flooding", "emergency", 2),
                urgency("right away", "urgent", 2),
                phone("312 555 0166", "+13125550166", 2),
            ]),
        TranscriptFixture(
            "dishwasher and garage door, two trades in one call",
            [
                (.caller, "Hi, it's Grace Kim. Two things: my dishwasher won't drain and the garage door opener stopped working."),
                (.agent, "We can do both. Our first opening is Friday the 4th in the morning."),
                (.caller, "That works. The address is 19 Birch Ct, Naperville 60540."),
                (.caller, "You can reach me at 630 555 0177."),
            ],
            expected: [
                name("Grace Kim", 1),
                service("dishwasher", "appliance", 1),
                service("garage door opener", "garage_door", 1),
                address("19 Birch Ct, Naperville 60540", "19 BIRCH CT, NAPERVILLE 60540", 3),
                phone("630 555 0177", "+16305550177", 4),
            ]),
        TranscriptFixture(
            "mice in the attic, dates in two formats, e-mail after a cue",
            [
                (.caller, "Good afternoon. I am Robert Chen and we have mice in the attic."),
                (.agent, "Sorry about that. When works for you?"),
                (.caller, "December 2nd in the afternoon, or 12/9."),
                (.agent, "Let me get your email for the confirmation."),
                (.caller, "Sure, my email is r chen 55 at aol dot com."),
            ],
            expected: [
                name("Robert Chen", 1),
                service("mice", "pest_control", 1),
                time("December 2nd in the afternoon", "2026-12-02T12:00:00-06:00", 3),
                time("12/9", "2026-12-09", 3),
                email("rchen55@aol.com", 5),
            ]),
        TranscriptFixture(
            "billing question: nothing to fill but a routine urgency",
            [
                (.agent, "Thanks for calling, this is Dana. How can I help?"),
                (.caller, "Hi, I'm calling about an invoice I got last week. I'm not sure the amount is right."),
                (.agent, "I can look into that. Is this the number on the account?"),
                (.caller, "Yes. Honestly I'm just looking for a copy, it's not urgent. We've been customers for 12 years."),
                (.agent, "Of course, I'll email it over."),
            ],
            expected: [
                urgency("not urgent", "routine", 4)
            ]),
        TranscriptFixture(
            "gas smell, terse caller, agent dispatches",
            [
                (.caller, "I smell gas in my kitchen, it's really strong!"),
                (.agent, "Please leave the house now and call 911 from outside. What's the address?"),
                (.caller, "It's 5 Orchard Hill Drive, Oak Park, IL 60302-1234. This is Mrs. Helen Novak."),
                (.agent, "We're dispatching a technician immediately."),
            ],
            expected: [
                urgency("smell gas", "emergency", 1),
                address(
                    "5 Orchard Hill Drive, Oak Park, IL 60302-1234", "5 ORCHARD HILL DR, OAK PARK, IL 60302-1234", 3),
                name("Helen Novak", 3),
            ]),
        TranscriptFixture(
            "property manager, breaker panel, agent's questions do not count",
            [
                (
                    .caller,
                    "Hi, this is Tom from Lakeside Property Management. We need an electrician to look at the breaker panel in one of our units."
                ),
                (.agent, "Sure. Is anything sparking or is the power out?"),
                (.caller, "No, nothing like that, it's just tripping a lot. No rush."),
                (.agent, "How about next Tuesday at 3?"),
                (.caller, "Next Tuesday at 3 is fine. The unit is 310 Harbor Blvd, Unit 5, Waukegan, IL 60085."),
                (.caller, "Best number is 847-555-0150, extension 12."),
            ],
            expected: [
                name("Tom", 1),
                service("electrician", "electrical", 1),
                urgency("no rush", "routine", 3),
                time("Next Tuesday at 3", "2026-12-01T15:00:00-06:00", 5),
                address("310 Harbor Blvd Unit 5, Waukegan, IL 60085", "310 HARBOR BLVD UNIT 5, WAUKEGAN, IL 60085", 5),
                phone("847-555-0150", "+18475550150", 6),
            ]),
        TranscriptFixture(
            "burst pipe, nickname, asap",
            [
                (.caller, "Hi, a pipe just burst in the basement and it's spraying everywhere!"),
                (.agent, "Turn off the main water valve if you can. Who am I speaking with?"),
                (.caller, "Beatrice Lowe, but you can call me Bea. I'm at 742 Evergreen Terrace."),
                (.agent, "Okay Bea, we'll have a plumber there within the hour."),
                (.caller, "Please hurry, asap."),
            ],
            expected: [
                service("pipe", "plumbing", 1),
                urgency("pipe just burst", "emergency", 1),
                name("Bea", 3),
                address("742 Evergreen Terrace", "742 EVERGREEN TER", 3),
                urgency("asap", "urgent", 5),
            ]),
        TranscriptFixture(
            "heat pump maintenance, weekend or day after tomorrow",
            [
                (.caller, "Hi there, I'd like to schedule maintenance on our heat pump, nothing urgent."),
                (.agent, "Happy to. What day works?"),
                (.caller, "This weekend would be great, or the day after tomorrow at noon."),
                (.caller, "My name's Kenji Watanabe, and my email is kenji.w@icloud.com."),
            ],
            expected: [
                service("heat pump", "hvac", 1),
                urgency("nothing urgent", "routine", 1),
                time("This weekend", "2026-11-28", 3),
                time("the day after tomorrow at noon", "2026-11-26T12:00:00-06:00", 3),
                name("Kenji Watanabe", 4),
                email("kenji.w@icloud.com", 4),
            ]),
    ]
}
