import AvocaCore
import AvocaDemoData
import Foundation

/// A realistic home-services call in two parts. While it rings, the caller answers the phone
/// menu ("say or press 1 for service…, tell us briefly why you are calling"): the `opening`, the
/// caller's words only — the menu's prompts are a recording, not a transcript. Once a rep has
/// answered, the `conversation`: the rep greets the caller, then address, callback number,
/// e-mail, preferred time, goodbye. Deterministic for a seed.
public struct ConversationScript: Sendable {
    /// One turn: who speaks, and their words.
    public typealias Turn = (speaker: Speaker, text: String)

    /// The caller's number as the carrier reports it.
    public var callerNumber: String
    /// What the caller says to the phone menu while the call rings: caller turns only.
    public var opening: [Turn]
    /// The call once a rep has answered; the rep speaks first.
    public var conversation: [Turn]

    /// Every turn, in order (the opening, then the conversation).
    public var turns: [Turn] { opening + conversation }

    /// The words of the call as transcript segments (one word each, seq from 1), as a live
    /// speech-to-text feed would deliver them: the opening's first, then the conversation's.
    public var segments: [TranscriptSegment] {
        var seq = 0
        return turns.flatMap { turn in
            turn.text.split(separator: " ").map { word in
                seq += 1
                return TranscriptSegment(seq: seq, speaker: turn.speaker, text: String(word))
            }
        }
    }

    /// How many of `segments` are the opening's (the words said while the call rings).
    public var openingSegmentCount: Int { opening.reduce(0) { $0 + $1.text.split(separator: " ").count } }

    static let companies = ["Northside", "Blue Ribbon", "Prairie", "Lakeshore", "Summit"]
    static let agents = ["Jordan", "Alex", "Casey", "Morgan", "Riley"]
    static let problems: [(String, String)] = [
        ("My water heater is leaking all over the garage floor", "plumbing"),
        ("The kitchen sink is completely clogged and the water won't drain", "plumbing"),
        ("We have a burst pipe under the bathroom and there's water everywhere", "plumbing"),
        ("Our furnace stopped working and there's no heat in the house", "hvac"),
        ("The AC is running but it's blowing warm air", "hvac"),
        ("Half the outlets in the kitchen stopped working and the breaker keeps tripping", "electrical"),
        ("The lights keep flickering and I smell something burning near the panel", "electrical"),
        ("My dishwasher is leaking and making a grinding noise", "appliance"),
    ]
    static let urgencies = [
        "It's kind of an emergency.", "I need someone out as soon as possible.", "It's not urgent, whenever you can.",
        "Could someone come today?", "",
    ]
    static let times = [
        "Tomorrow morning would be great.", "Next Tuesday at 3 works for me.", "This afternoon if possible.",
        "Friday at 10am would be best.", "Any time tomorrow afternoon.",
    ]

    static let menuChoices = ["Service, please.", "I need to book a repair.", "Schedule a service visit."]

    /// A script for `customer` (a returning caller when `existing`), varied by `random`.
    public init(customer: Customer, existing: Bool, random: inout SeededRandom) {
        let agent = random.pick(Self.agents)
        let company = random.pick(Self.companies)
        let (problem, _) = random.pick(Self.problems)
        let urgency = random.pick(Self.urgencies)
        let choice = random.pick(Self.menuChoices)
        let name = [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
        let phone = customer.phoneNumbers.first
        callerNumber = phone?.e164 ?? "+13125550100"
        opening = [
            (.caller, choice),
            (.caller, "My name is \(name). \(problem). \(urgency)".trimmingCharacters(in: .whitespaces)),
        ]
        var turns: [Turn] = [
            (
                .agent,
                "Thanks for holding, this is \(agent) at \(company) Home Services. "
                    + (existing
                        ? "I'm sorry to hear that, \(customer.firstName ?? "there"). I see you're already a customer with us. Is this at the same address?"
                        : "I'm sorry to hear that. Can I get the address where you need the service?")
            )
        ]
        if let address = customer.addresses.first {
            let line = "\(address.street), \(address.city), \(address.state) \(address.zip)"
            turns.append((.caller, existing ? "Yes, it's still \(line)." : "Sure, it's \(line)."))
        }
        turns.append((.agent, "And what's the best number to reach you?"))
        turns.append((.caller, "You can reach me at \(Self.spoken(phone))."))
        if let email = customer.email {
            turns.append((.agent, "Would you like a confirmation by email?"))
            turns.append((.caller, "Yes please, my email is \(email)."))
        }
        turns.append((.agent, "When would you like one of our technicians to come out?"))
        turns.append((.caller, random.pick(Self.times)))
        turns.append((.agent, "Perfect, let me get that booked for you. Is there anything else I can help with?"))
        turns.append((.caller, "No, that's everything. Thank you so much!"))
        conversation = turns
    }

    /// A number the way people say it: "(312) 555-0142".
    static func spoken(_ phone: PhoneNumber?) -> String {
        guard let phone, phone.digits.count == 11 else { return phone?.display ?? "312 555 0100" }
        let d = Array(phone.digits.dropFirst())
        return "(\(String(d[0..<3]))) \(String(d[3..<6]))-\(String(d[6..<10]))"
    }
}
