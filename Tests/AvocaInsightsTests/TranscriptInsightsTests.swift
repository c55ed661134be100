import AvocaCore
import Foundation
import Testing

@testable import AvocaInsights

/// The rule-based transcript insight extractor: each rule with positive and negative examples, time
/// resolution against a fixed call start, incremental (word-by-word) feeding, seq attribution, dedupe,
/// and the fixture calls.
@Suite("Transcript insights")
struct TranscriptInsightsTests {
    static let callStart = TranscriptFixtures.callStart
    static let chicago = TranscriptFixtures.timeZone

    /// Everything found in one caller (or agent) segment.
    static func insights(
        _ text: String, from speaker: Speaker = .caller, at start: Date = callStart, in zone: TimeZone = chicago
    )
        -> [Insight]
    {
        TranscriptInsightExtractor.extract([TranscriptSegment(seq: 1, speaker: speaker, text: text)], callStart: start, timeZone: zone)
    }

    static func values(_ kind: InsightKind, _ text: String, from speaker: Speaker = .caller) -> [String] {
        insights(text, from: speaker).filter { $0.kind == kind }.map(\.value)
    }

    static func normalized(
        _ kind: InsightKind, _ text: String, from speaker: Speaker = .caller, at start: Date = callStart,
        in zone: TimeZone = chicago
    ) -> [String] {
        insights(text, from: speaker, at: start, in: zone).filter { $0.kind == kind }.compactMap(\.normalized)
    }

    /// The same transcript re-cut into segments of `size` words each, numbered from 1, as live transcription does.
    static func recut(_ lines: [TranscriptSegment], wordsPerSegment size: Int) -> [TranscriptSegment] {
        var result: [TranscriptSegment] = []
        for line in lines {
            let words = line.text.split(separator: " ").map(String.init)
            for chunk in stride(from: 0, to: words.count, by: size) {
                let text = words[chunk..<min(chunk + size, words.count)].joined(separator: " ")
                result.append(TranscriptSegment(seq: result.count + 1, speaker: line.speaker, text: text))
            }
        }
        return result
    }

    /// An insight without its seq, for comparing runs that cut the words differently.
    struct Fact: Hashable, CustomStringConvertible {
        let kind: InsightKind
        let value: String
        let normalized: String?
        init(_ insight: Insight) {
            kind = insight.kind
            value = insight.value
            normalized = insight.normalized
        }
        var description: String { "\(kind.rawValue): \(value) [\(normalized ?? "-")]" }
    }

    // MARK: Names

    @Test(
        "a name after \"my name is\" is found with its capitalised words",
        arguments: [
            ("Hi, my name is Maria Gonzalez and I need a plumber.", "Maria Gonzalez"),
            ("This is Tom Becker.", "Tom Becker"),
            ("Hey, I'm Aisha Rahman, I have a question.", "Aisha Rahman"),
            ("Good afternoon, I am Robert Chen", "Robert Chen"),
            ("name's Derek Olsen, calling about my sink", "Derek Olsen"),
            ("Hi, it's Grace Kim.", "Grace Kim"),
            ("Hello, Dana Whitfield speaking.", "Dana Whitfield"),
            ("Beatrice Lowe, but you can call me Bea.", "Bea"),
            ("This is Mrs. Helen Novak.", "Helen Novak"),
            ("my name is Maria J. Gonzalez.", "Maria J. Gonzalez"),
            ("My name is Sean O'Brien.", "Sean O'Brien"),
        ])
    func namesAfterCues(text: String, expected: String) {
        #expect(Self.values(.name, text) == [expected])
    }

    @Test("after \"my name is\" a lower-case transcription is still a name, title-cased")
    func lowerCaseNameAfterStrongCue() {
        #expect(Self.values(.name, "yeah my name is sam ortiz i live nearby") == ["Sam Ortiz"])
    }

    @Test(
        "words after \"I'm\" / \"this is\" that are not names give no name",
        arguments: [
            "I'm calling about my AC",
            "I'm Calling about my AC",
            "I'm having trouble with the furnace",
            "I'm Looking for someone to fix a leak",
            "This is Urgent, the basement is flooding",
            "This is my third call today",
            "I'm not sure what's wrong",
            "Hi this is Springfield Property Management",
            "well the thing is it's Tuesday already",
            "my name is on the account",
            "You can call me back later",
            "I'm at 42 Elm Street",
            "this is Maria's house",
        ])
    func notNames(text: String) {
        #expect(Self.values(.name, text).isEmpty)
    }

    @Test("a company after the name is cut off: \"this is Tom from Acme Plumbing\" gives Tom")
    func nameBeforeCompany() {
        #expect(Self.values(.name, "Hi, this is Tom from Lakeside Property Management.") == ["Tom"])
    }

    @Test("personal facts come only from the caller, never from the agent")
    func agentPersonalFactsIgnored() {
        let said = "This is Kevin, my number is 312-555-0100, email kevin at acme dot com, we're at 10 Main St."
        let personal: Set<InsightKind> = [.name, .phone, .email, .address]
        #expect(Self.insights(said, from: .agent).filter { personal.contains($0.kind) }.isEmpty)
        #expect(Self.insights(said, from: .caller).filter { personal.contains($0.kind) }.count == 4)
    }

    // MARK: Phones

    @Test(
        "US phone numbers in many written and spoken formats",
        arguments: [
            ("My number is (312) 555-0142.", "(312) 555-0142"),
            ("call me on 312-555-0142 please", "312-555-0142"),
            ("it's 312.555.0142", "312.555.0142"),
            ("312 555 0142 is my cell", "312 555 0142"),
            ("reach me at 3125550142", "3125550142"),
            ("+1 312 555 0142", "+1 312 555 0142"),
            ("my number is 1-312-555-0142.", "1-312-555-0142"),
            ("+1 (312) 555-0142", "+1 (312) 555-0142"),
            ("three one two five five five oh one four two", "(312) 555-0142"),
            ("three one two, triple five, zero one four two", "(312) 555-0142"),
            ("it's 312 five five five 0142", "(312) 555-0142"),
            ("312. 555. 0142.", "312 555 0142"),
        ])
    func phoneFormats(text: String, value: String) {
        let phones = Self.insights(text).filter { $0.kind == .phone }
        #expect(phones.map(\.value) == [value])
        #expect(phones.map(\.normalized) == ["+13125550142"])
    }

    @Test(
        "digit runs that are not dialable US numbers are ignored",
        arguments: [
            "my account number is 123-456-7890",
            "the code is 555-0142",
            "zip is 62704 and it's unit 12",
            "it cost me $1,200 last year",
            "I live at 1423 Maple Ave",
            "we have 2 kids and 3 dogs",
            "011 44 20 7946 0958",
        ])
    func notPhones(text: String) {
        #expect(Self.values(.phone, text).isEmpty)
    }

    @Test("an extension after the number is not swallowed into it")
    func phoneWithExtension() {
        #expect(Self.normalized(.phone, "Best number is 847-555-0150, extension 12.") == ["+18475550150"])
    }

    // MARK: E-mail

    @Test(
        "written and spoken e-mail addresses",
        arguments: [
            ("My email is Maria.G@Yahoo.com.", "Maria.G@Yahoo.com", "maria.g@yahoo.com"),
            ("john dot smith at gmail dot com", "john.smith@gmail.com", "john.smith@gmail.com"),
            ("it's jose underscore ramirez 88 at yahoo dot com", "jose_ramirez88@yahoo.com", "jose_ramirez88@yahoo.com"),
            ("my email address is dana w 42 at yahoo", "danaw42@yahoo.com", "danaw42@yahoo.com"),
            ("it's j o h n at outlook dot com", "john@outlook.com", "john@outlook.com"),
            ("email is r chen at mail dot example dot co dot uk", "rchen@mail.example.co.uk", "rchen@mail.example.co.uk"),
            ("send it to maria dash g at sign hotmail dot com", "maria-g@hotmail.com", "maria-g@hotmail.com"),
        ])
    func emails(text: String, value: String, normalized: String) {
        let emails = Self.insights(text).filter { $0.kind == .email }
        #expect(emails.map(\.value) == [value])
        #expect(emails.map(\.normalized) == [normalized])
    }

    @Test(
        "\"at\" in ordinary speech is not an e-mail",
        arguments: [
            "I'm at home right now",
            "can you come at 3",
            "we're at the corner of Main and Elm",
            "I looked at the website dot",
            "my email is on file",
        ])
    func notEmails(text: String) {
        #expect(Self.values(.email, text).isEmpty)
    }

    // MARK: Addresses

    @Test(
        "US street addresses with unit, city, state and ZIP",
        arguments: [
            (
                "I live at 1423 Maple Ave, Springfield, IL 62704.",
                "1423 Maple Ave, Springfield, IL 62704", "1423 MAPLE AVE, SPRINGFIELD, IL 62704"
            ),
            (
                "It's 88 Lakeview Terrace, Apt 12B, Evanston, Illinois 60201.",
                "88 Lakeview Terrace Apt 12B, Evanston, Illinois 60201", "88 LAKEVIEW TER APT 12B, EVANSTON, IL 60201"
            ),
            (
                "2250 North Sheffield Avenue, Chicago, IL 60614", "2250 North Sheffield Avenue, Chicago, IL 60614",
                "2250 N SHEFFIELD AVE, CHICAGO, IL 60614"
            ),
            ("77 West 5th Street #4B in Chicago.", "77 West 5th Street #4B, Chicago", "77 W 5TH ST # 4B, CHICAGO"),
            (
                "5 Orchard Hill Drive, Oak Park, IL 60302-1234", "5 Orchard Hill Drive, Oak Park, IL 60302-1234",
                "5 ORCHARD HILL DR, OAK PARK, IL 60302-1234"
            ),
            ("19 Birch Ct, Naperville 60540", "19 Birch Ct, Naperville 60540", "19 BIRCH CT, NAPERVILLE 60540"),
            ("310 Harbor Blvd Suite 200, Waukegan IL", "310 Harbor Blvd Suite 200, Waukegan, IL", "310 HARBOR BLVD STE 200, WAUKEGAN, IL"),
            ("We're at 12 Kings Way.", "12 Kings Way", "12 KINGS WAY"),
            (
                "1600 Pennsylvania Avenue NW, Washington, DC 20500", "1600 Pennsylvania Avenue NW, Washington, DC 20500",
                "1600 PENNSYLVANIA AVE NW, WASHINGTON, DC 20500"
            ),
            (
                "at 350 Fifth Avenue, New York, New York 10118", "350 Fifth Avenue, New York, New York 10118",
                "350 FIFTH AVE, NEW YORK, NY 10118"
            ),
            ("I live at 4100 west diversey avenue in chicago", "4100 west diversey avenue", "4100 W DIVERSEY AVE"),
        ])
    func addresses(text: String, value: String, usps: String) {
        let found = Self.insights(text).filter { $0.kind == .address }
        #expect(found.map(\.value) == [value])
        #expect(found.map(\.normalized) == [usps])
    }

    @Test(
        "numbers followed by ordinary words are not addresses",
        arguments: [
            "it took 2 days way too long",
            "we're about 2 hours drive from you",
            "I've had 3 plumbers out already",
            "the 12 Oak trees in the yard",
            "my 2 kids way over there",
            "I live at 42 Elm",
        ])
    func notAddresses(text: String) {
        #expect(Self.values(.address, text).isEmpty)
    }

    // MARK: Services

    @Test(
        "service keywords map to their trade",
        arguments: [
            ("My water heater is leaking", "water heater", "plumbing"),
            ("the hot water heater died", "hot water heater", "plumbing"),
            ("we have a clogged drain in the basement", "clogged drain", "plumbing"),
            ("the toilet keeps running", "toilet", "plumbing"),
            ("I think we have a burst pipe", "burst pipe", "plumbing"),
            ("I'm calling about my AC", "AC", "hvac"),
            ("the air conditioning isn't working", "air conditioning", "hvac"),
            ("our furnace is making a noise", "furnace", "hvac"),
            ("the heat pump froze over", "heat pump", "hvac"),
            ("we have no heat", "no heat", "hvac"),
            ("an outlet in the kitchen stopped working", "outlet", "electrical"),
            ("the breaker keeps tripping", "breaker", "electrical"),
            ("we want to upgrade the electrical panel", "electrical panel", "electrical"),
            ("the lights flickering all evening", "lights flickering", "electrical"),
            ("the dishwasher won't start", "dishwasher", "appliance"),
            ("there are shingles missing", "shingles", "roofing"),
            ("the garage door is stuck", "garage door", "garage_door"),
            ("we have termites", "termites", "pest_control"),
        ])
    func serviceKeywords(text: String, value: String, trade: String) {
        let services = Self.insights(text).filter { $0.kind == .service }
        #expect(services.map(\.value) == [value])
        #expect(services.map(\.normalized) == [trade])
    }

    @Test(
        "a vague symptom yields to a specific trade nearby",
        arguments: [
            ("my roof is leaking", "roofing"),
            ("the AC is leaking water on the floor", "hvac"),
            ("my dishwasher won't drain", "appliance"),
            ("After the storm the roof started leaking. Now it's dripping into a bucket.", "roofing"),
        ])
    func genericSymptoms(text: String, trade: String) {
        #expect(Self.normalized(.service, text) == [trade])
    }

    @Test("one service fact per trade; different trades are separate facts")
    func oneServicePerTrade() {
        let found = Self.insights("The water heater is leaking, the toilet is clogged, and the furnace won't light.")
        #expect(found.filter { $0.kind == .service }.map(\.value) == ["water heater", "furnace"])
    }

    @Test("the agent's greeting naming the company is not a service request")
    func greetingIsNotAService() {
        #expect(Self.values(.service, "Thanks for calling Springfield Plumbing and Heating, how can I help?", from: .agent).isEmpty)
        #expect(Self.values(.service, "avoca plumbing how can i help", from: .agent).isEmpty)
        #expect(Self.values(.service, "We'll send a plumber tomorrow.", from: .agent) == ["plumber"])
    }

    // MARK: Urgency

    @Test(
        "urgency phrases map to emergency, urgent or routine",
        arguments: [
            ("This is an emergency!", "emergency"),
            ("the basement is flooding", "emergency"),
            ("I smell gas in the kitchen", "emergency"),
            ("there were sparks coming out of the outlet", "emergency"),
            ("can someone come asap", "urgent"),
            ("I need someone right away", "urgent"),
            ("is there any way you could come today", "urgent"),
            ("as soon as possible please", "urgent"),
            ("no rush, whenever works", "routine"),
            ("sometime next week is fine", "routine"),
            ("it's not an emergency", "routine"),
            ("it isn't urgent at all", "routine"),
        ])
    func urgencyLevels(text: String, level: String) {
        #expect(Self.normalized(.urgency, text) == [level])
    }

    @Test("\"no heat\" is urgent, and an emergency when the caller mentions the cold")
    func noHeatInTheCold() {
        #expect(Self.normalized(.urgency, "we have no heat") == ["urgent"])
        #expect(Self.normalized(.urgency, "we have no heat and it's freezing in here") == ["emergency"])
        #expect(Self.normalized(.urgency, "It's 10 degrees out and the furnace went out") == ["emergency"])
    }

    @Test(
        "negated or courtesy phrases carry no urgency",
        arguments: [
            "I don't smell gas or anything",
            "no sparks, it just stopped working",
            "Hi, how are you today?",
            "the smoke detector keeps chirping",
            "I called earlier today about a quote",
            "what's your emergency fee",
        ])
    func noUrgency(text: String) {
        #expect(Self.normalized(.urgency, text).isEmpty)
    }

    @Test("the agent's questions and statements never set urgency or time; its statements may name the service")
    func agentSpeechIgnoredForUrgencyAndTime() {
        #expect(Self.insights("Is this an emergency? Is anything sparking?", from: .agent).isEmpty)
        #expect(Self.insights("is it urgent", from: .agent).isEmpty)
        #expect(Self.insights("We'll treat this as an emergency.", from: .agent).isEmpty)
        #expect(Self.insights("How can I help you today?", from: .agent).isEmpty)
        #expect(Self.insights("Thanks for calling, how can I help you today", from: .agent).isEmpty)
        #expect(Self.insights("We can come any time tomorrow.", from: .agent).isEmpty)
        #expect(Self.insights("I can get someone out there today.", from: .agent).isEmpty)
        #expect(Self.values(.service, "We'll send an electrician today.", from: .agent) == ["electrician"])
    }

    @Test("an agent offering \"today\" changes neither the caller's urgency nor the time they asked for")
    func callerUrgencyAndTimeOnly() {
        let lines = [
            TranscriptSegment(seq: 1, speaker: .agent, text: "Avoca Plumbing, how can I help you today?"),
            TranscriptSegment(seq: 2, speaker: .caller, text: "The faucet drips, no rush at all, any time tomorrow is fine."),
            TranscriptSegment(seq: 3, speaker: .agent, text: "We could even come today if you like."),
        ]
        let found = TranscriptInsightExtractor.extract(lines, callStart: Self.callStart, timeZone: Self.chicago)
        #expect(found.filter { $0.kind == .urgency }.map(\.normalized) == ["routine"])
        #expect(found.filter { $0.kind == .requestedTime }.map(\.normalized) == ["2026-11-25"])
    }

    // MARK: Requested time

    @Test(
        "requested times resolve against Tuesday 2026-11-24 10:15 in Chicago",
        arguments: [
            ("can you come tomorrow morning", "2026-11-25T08:00:00-06:00"),
            ("this afternoon would be great", "2026-11-24T12:00:00-06:00"),
            ("how about tonight", "2026-11-24T17:00:00-06:00"),
            ("could someone come out today", "2026-11-24"),
            ("next Tuesday at 3 works", "2026-12-01T15:00:00-06:00"),
            ("Monday at 10am", "2026-11-30T10:00:00-06:00"),
            ("Friday the 4th", "2026-12-04"),
            ("Friday the 14th", "2026-12-14"),
            ("November 20th", "2027-11-20"),
            ("December 3rd", "2026-12-03"),
            ("11/20", "2027-11-20"),
            ("12/9 at 9:30", "2026-12-09T09:30:00-06:00"),
            ("at 2:30 pm", "2026-11-24T14:30:00-06:00"),
            ("maybe at 9", "2026-11-25T09:00:00-06:00"),
            ("in the evening", "2026-11-24T17:00:00-06:00"),
            ("in the morning", "2026-11-25T08:00:00-06:00"),
            ("the day after tomorrow at noon", "2026-11-26T12:00:00-06:00"),
            ("this weekend", "2026-11-28"),
            ("Thursday", "2026-11-26"),
            ("Tuesday", "2026-12-01"),
            ("next Friday", "2026-12-04"),
            ("between 2 and 4 tomorrow", "2026-11-25T14:00:00-06:00"),
            ("at 8 in the evening", "2026-11-24T20:00:00-06:00"),
            ("10 to 2 pm on Friday", "2026-11-27T10:00:00-06:00"),
            ("can you come on the 2nd", "2026-12-02"),
            ("the 9th of December", "2026-12-09"),
            ("December 2nd, 2027", "2027-12-02"),
            ("tomorrow at three thirty", "2026-11-25T15:30:00-06:00"),
        ])
    func requestedTimes(text: String, iso: String) {
        #expect(Self.normalized(.requestedTime, text) == [iso])
    }

    @Test("\"as soon as possible\" is urgency, not a time")
    func asSoonAsPossible() {
        let found = Self.insights("as soon as possible")
        #expect(found.map(\.kind) == [.urgency])
    }

    @Test(
        "past events, durations, greetings and counts are not requested times",
        arguments: [
            "this morning it started leaking",
            "it's been like this since Monday",
            "it happened last Tuesday",
            "it broke yesterday",
            "in about 2 hours",
            "I've been waiting at 3 different places",
            "Good morning, I have a leak",
            "the 2nd bathroom toilet is running",
            "I live at 12 Oak Street",
            "at one point there was water everywhere",
            "I'd like one of your technicians",
            "it took about 2 or 3 days",
        ])
    func notTimes(text: String) {
        #expect(Self.normalized(.requestedTime, text).isEmpty)
    }

    @Test("a date-time carries the zone's offset on that day (daylight saving starts 2026-03-08)")
    func daylightSavingOffset() {
        let saturday = ISO8601DateFormatter().date(from: "2026-03-07T10:00:00-06:00")!
        #expect(Self.normalized(.requestedTime, "tomorrow at 3", at: saturday) == ["2026-03-08T15:00:00-05:00"])
    }

    @Test("\"today\" is the day in the company's time zone, not the server's")
    func todayInCompanyZone() {
        let lateEvening = ISO8601DateFormatter().date(from: "2026-11-24T23:30:00-06:00")!
        let newYork = TimeZone(identifier: "America/New_York")!
        #expect(Self.normalized(.requestedTime, "today", at: lateEvening) == ["2026-11-24"])
        #expect(Self.normalized(.requestedTime, "today", at: lateEvening, in: newYork) == ["2026-11-25"])
        #expect(Self.normalized(.requestedTime, "today", at: lateEvening, in: TimeZone(identifier: "UTC")!) == ["2026-11-25"])
    }

    // MARK: Incremental feeding

    @Test("word-by-word and chunked feeding find the same facts as whole segments", arguments: TranscriptFixtures.all)
    func recutFeedingAgrees(fixture: TranscriptFixture) {
        let whole = Set(TranscriptInsightExtractor.extract(fixture.lines, callStart: Self.callStart, timeZone: Self.chicago).map(Fact.init))
        for size in [1, 2, 3, 5] {
            let recut = Self.recut(fixture.lines, wordsPerSegment: size)
            let found = Set(TranscriptInsightExtractor.extract(recut, callStart: Self.callStart, timeZone: Self.chicago).map(Fact.init))
            #expect(found == whole, "\(size) word(s) per segment")
        }
    }

    @Test("a fact split across segments is attributed to the segment that completed it")
    func seqOfCompletingSegment() {
        var extractor = TranscriptInsightExtractor(callStart: Self.callStart, timeZone: Self.chicago)
        let words = ["my", "number", "is", "312", "555", "0142."]
        var reported: [Insight] = []
        for (offset, word) in words.enumerated() {
            reported += extractor.add(TranscriptSegment(seq: offset + 1, speaker: .caller, text: word))
        }
        #expect(reported == [Insight(kind: .phone, value: "312 555 0142", normalized: "+13125550142", seq: 6)])
    }

    @Test("a fact is reported only when final: \"Maria\" is not reported before \"Gonzalez\" arrives")
    func waitsForTheWholeName() {
        var extractor = TranscriptInsightExtractor(callStart: Self.callStart, timeZone: Self.chicago)
        var seq = 0
        func say(_ text: String, _ speaker: Speaker = .caller) -> [Insight] {
            seq += 1
            return extractor.add(TranscriptSegment(seq: seq, speaker: speaker, text: text))
        }
        for word in ["my", "name", "is", "Maria"] { #expect(say(word).isEmpty) }
        #expect(say("Gonzalez").isEmpty)
        // The agent taking over ends the caller's turn, so the name is final.
        #expect(say("Thank you.", .agent) == [Insight(kind: .name, value: "Maria Gonzalez", normalized: nil, seq: 5)])
        #expect(extractor.insights.map(\.value) == ["Maria Gonzalez"])
    }

    @Test("a fact becomes final after ten more words or at the end of its sentence")
    func settlesAfterWordsOrSentenceEnd() {
        var extractor = TranscriptInsightExtractor(callStart: Self.callStart, timeZone: Self.chicago)
        let first = "my name is Maria Gonzalez and I need somebody to look at the thing please".split(separator: " ")
        var found: [[Insight]] = []
        for (offset, word) in first.enumerated() {
            found.append(extractor.add(TranscriptSegment(seq: offset + 1, speaker: .caller, text: String(word))))
        }
        // "Gonzalez" is word 5; the tenth word after it (word 15) settles it.
        #expect(found.firstIndex { !$0.isEmpty } == 14)

        var punctuated = TranscriptInsightExtractor(callStart: Self.callStart, timeZone: Self.chicago)
        #expect(punctuated.add(TranscriptSegment(seq: 1, speaker: .caller, text: "My name is Maria Gonzalez.")).map(\.value) == ["Maria Gonzalez"])
    }

    @Test("finish() reports what was still waiting for more words")
    func finishSettles() {
        var extractor = TranscriptInsightExtractor(callStart: Self.callStart, timeZone: Self.chicago)
        #expect(extractor.add(TranscriptSegment(seq: 1, speaker: .caller, text: "my number is 312 555 0142")).isEmpty)
        #expect(extractor.finish().map(\.normalized) == ["+13125550142"])
        #expect(extractor.finish().isEmpty)
    }

    @Test("each fact is reported once: same number in another format, or a repeated segment")
    func dedupe() {
        var extractor = TranscriptInsightExtractor(callStart: Self.callStart, timeZone: Self.chicago)
        let first = extractor.add(TranscriptSegment(seq: 1, speaker: .caller, text: "My number is (312) 555-0142."))
        let again = extractor.add(
            TranscriptSegment(seq: 2, speaker: .caller, text: "That's 312.555.0142, three one two five five five oh one four two."))
        let retried = extractor.add(TranscriptSegment(seq: 1, speaker: .caller, text: "My number is (312) 555-0142."))
        #expect(first.map(\.seq) == [1])
        #expect(again.isEmpty)
        #expect(retried.isEmpty)
        #expect(extractor.insights.count == 1)
    }

    @Test("add returns only new insights, and insights accumulates them in discovery order")
    func incrementalReturns() {
        var extractor = TranscriptInsightExtractor(callStart: Self.callStart, timeZone: Self.chicago)
        let one = extractor.add(TranscriptSegment(seq: 1, speaker: .caller, text: "Hi, this is Tom Becker."))
        let two = extractor.add(TranscriptSegment(seq: 2, speaker: .caller, text: "Our furnace quit, can someone come tomorrow morning?"))
        #expect(one.map(\.kind) == [.name])
        #expect(two.map(\.kind) == [.service, .urgency, .requestedTime])
        #expect(extractor.insights == one + two)
    }

    @Test("the same input always gives the same output")
    func deterministic() {
        let lines = TranscriptFixtures.all.flatMap(\.lines)
        let first = TranscriptInsightExtractor.extract(lines, callStart: Self.callStart, timeZone: Self.chicago)
        let second = TranscriptInsightExtractor.extract(lines, callStart: Self.callStart, timeZone: Self.chicago)
        #expect(first == second)
        #expect(!first.isEmpty)
    }

    // MARK: Fixtures

    @Test("each fixture call yields exactly its expected insights", arguments: TranscriptFixtures.all)
    func fixture(_ fixture: TranscriptFixture) {
        let found = TranscriptInsightExtractor.extract(fixture.lines, callStart: Self.callStart, timeZone: Self.chicago)
        #expect(found.count == Set(found).count, "no duplicates")
        let foundSet = Set(found)
        #expect(foundSet.subtracting(fixture.expected).isEmpty, "unexpected: \(foundSet.subtracting(fixture.expected))")
        #expect(fixture.expected.subtracting(foundSet).isEmpty, "missing: \(fixture.expected.subtracting(foundSet))")
    }

    @Test("the fixture set covers every kind of insight")
    func fixturesCoverEveryKind() {
        let kinds = Set(TranscriptFixtures.all.flatMap { $0.expected.map(\.kind) })
        #expect(kinds == Set(InsightKind.allCases))
        #expect(TranscriptFixtures.all.count >= 12)
    }
}
