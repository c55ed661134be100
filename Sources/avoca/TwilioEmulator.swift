import AvocaCalls
import AvocaCore
import AvocaDemoData
import AvocaTelephony
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A carrier emulator: plays scripted calls into a running Avoca exactly as Twilio would — signed
/// form webhooks for the incoming call, the hold-music `waitUrl`, Real-Time Transcription callbacks
/// of both tracks (partial results, then finals), one duplicated callback (Twilio's retry), one
/// pair of finals whose `SequenceId`s arrive out of order, a final that arrives after the hang-up,
/// and call status callbacks. In the queue the caller answers the phone menu (their own track
/// only: the menu's prompts are Twilio's), then waits until a rep accepts — seen as the redirect
/// Avoca asks of the local REST stand-in (`TwilioRESTStandIn`) — or hangs up after `acceptWait`
/// seconds (a missed call, without a word from a rep). No audio and no Twilio account are involved.
struct TwilioEmulator {
    let serverURL: URL
    /// `AVOCA_PUBLIC_URL` of the server: what Twilio signs.
    let publicURL: String
    let accountSID: String
    let signer: TwilioSignature
    let standIn: TwilioRESTStandIn
    let acceptWait: TimeInterval
    let wordDelay: ClosedRange<Double>
    let seed: UInt64

    /// What happened to one call.
    struct Summary: CustomStringConvertible {
        var callSid: String
        var accepted: Bool
        var finals = 0
        var partials = 0
        var description: String {
            accepted
                ? "\(callSid): accepted, \(finals) final and \(partials) partial callbacks (1 duplicate, 1 reordered pair, 1 after hang-up), hung up"
                : "\(callSid): nobody accepted within the wait; the caller hung up in the queue (\(finals) final callbacks, all to the phone menu)"
        }
    }

    struct WebhookRefused: Error, CustomStringConvertible {
        var description: String
    }

    /// Plays call `index` from ring to hang-up.
    func play(index: Int) async throws -> Summary {
        var random = SeededRandom(seed: seed, index: index, stream: 7)
        let caller = DemoDataGenerator(seed: seed &+ 1, referenceDate: Date()).customer(index: 1_000_000 + index)
        let script = ConversationScript(customer: caller, existing: false, random: &random)
        let sid = "CA" + (0..<32).map { _ in String(random.int(in: 0...15), radix: 16) }.joined()
        var summary = Summary(callSid: sid, accepted: false)
        let base = [("AccountSid", accountSID), ("CallSid", sid), ("ApiVersion", "2010-04-01")]

        let answer = try await post(
            "/api/telephony/twilio/voice",
            base + [
                ("From", script.callerNumber), ("To", "+18005550100"), ("CallStatus", "ringing"), ("Direction", "inbound"),
                ("Caller", script.callerNumber),
            ])
        let twiml = TwiMLDocument(answer)
        guard let transcription = twiml.first("Transcription")?.attributes["statusCallbackUrl"].flatMap(Self.path),
            let wait = twiml.first("Enqueue")?.attributes["waitUrl"].flatMap(Self.path)
        else {
            throw WebhookRefused(
                description: "the voice answer has no <Start><Transcription> or <Enqueue waitUrl>: \(String(decoding: answer, as: UTF8.self))")
        }
        print("  \(sid) rings from \(script.callerNumber); greeting: \(twiml.first("Say")?.text ?? "(none)")")
        _ = try await post(wait, base + [("QueueSid", "QU0000000000000000000000000000000a"), ("QueuePosition", "1"), ("QueueTime", "0")])
        let transcriptionSid = "GT" + String(sid.dropFirst(2))
        func event(_ name: String) async throws {
            _ = try await post(transcription, base + [("TranscriptionSid", transcriptionSid), ("TranscriptionEvent", name)])
        }
        try await event("transcription-started")

        var sequence = 0
        func content(_ speaker: Speaker, _ text: String, final: Bool, sequenceID: Int) async throws {
            let data = String(decoding: try JSONSerialization.data(withJSONObject: ["transcript": text, "confidence": 0.93]), as: UTF8.self)
            _ = try await post(
                transcription,
                base + [
                    ("TranscriptionSid", transcriptionSid), ("TranscriptionEvent", "transcription-content"),
                    ("Track", speaker == .caller ? "inbound_track" : "outbound_track"), ("Final", final ? "true" : "false"),
                    ("SequenceId", String(sequenceID)), ("Timestamp", Date().formatted(.iso8601)), ("TranscriptionData", data),
                    ("LanguageCode", "en-US"),
                ])
            if final { summary.finals += 1 } else { summary.partials += 1 }
        }
        // In the queue the caller tells the phone menu why they call: the inbound track alone.
        for turn in script.opening where !turn.text.isEmpty {
            try await Task.sleep(for: .seconds(Double.random(in: wordDelay, using: &random)))
            sequence += 1
            try await content(turn.speaker, turn.text, final: true, sequenceID: sequence)
        }

        // Then hold music until a rep accepts (Avoca redirects the call).
        let deadline = Date().addingTimeInterval(acceptWait)
        while standIn.redirects(for: sid).isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        guard !standIn.redirects(for: sid).isEmpty else {
            _ = try await post("/api/telephony/twilio/status", base + [("CallStatus", "completed"), ("CallDuration", "\(Int(acceptWait))")])
            return summary
        }
        summary.accepted = true
        _ = try await post("/api/telephony/twilio/status", base + [("CallStatus", "in-progress")])

        let turns = script.conversation.filter { !$0.text.isEmpty }
        var reservedSequence: Int?
        for (k, turn) in turns.enumerated() {
            try await Task.sleep(for: .seconds(Double.random(in: wordDelay, using: &random)))
            // The engine's growing guesses, then its final words.
            let words = turn.text.split(separator: " ")
            for count in stride(from: max(1, words.count / 3), to: words.count, by: max(1, words.count / 3)) {
                sequence += 1
                try await content(turn.speaker, words.prefix(count).joined(separator: " "), final: false, sequenceID: sequence)
                try await Task.sleep(for: .seconds(Double.random(in: wordDelay, using: &random) / 2))
            }
            if k == turns.count - 1 {
                // The last words trail the hang-up: Twilio posts them after the status callback.
                _ = try await post("/api/telephony/twilio/status", base + [("CallStatus", "completed")])
            }
            sequence += 1
            var id = sequence
            if k == 2 && turns.count > 4 {
                // This final and the next one reach Avoca with their SequenceIds out of order.
                id = sequence + 1
                reservedSequence = sequence
                sequence += 1
            } else if k == 3, let reserved = reservedSequence {
                id = reserved
                sequence -= 1
            }
            try await content(turn.speaker, turn.text, final: true, sequenceID: id)
            if k == 1 { try await content(turn.speaker, turn.text, final: true, sequenceID: id) }  // Twilio's retry
        }
        try await event("transcription-stopped")
        return summary
    }

    /// POSTs a form signed for the public URL; any answer but 2xx stops the call.
    private func post(_ path: String, _ pairs: [(String, String)]) async throws -> Data {
        let form = FormParameters(pairs)
        guard let url = URL(string: path, relativeTo: serverURL)?.absoluteURL else { throw WebhookRefused(description: "bad path \(path)") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = 15
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue(signer.compute(url: publicURL + path, parameters: form), forHTTPHeaderField: "X-Twilio-Signature")
        request.httpBody = Data(form.encoded().utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw WebhookRefused(description: "\(path) answered \(status): \(String(decoding: data, as: UTF8.self))")
        }
        return data
    }

    /// The path (and query) of an absolute callback URL from TwiML.
    static func path(_ absolute: String) -> String? {
        guard let components = URLComponents(string: absolute) else { return nil }
        return components.percentEncodedPath + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
    }
}

/// The elements of a TwiML answer, in document order (parsed, not string-matched).
struct TwiMLDocument {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
    }

    private(set) var elements: [Element] = []

    init(_ data: Data) {
        let collector = Collector()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        if parser.parse() { elements = collector.elements }
    }

    func first(_ name: String) -> Element? { elements.first { $0.name == name } }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            open.append(elements.count)
            elements.append(Element(name: elementName, attributes: attributeDict))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = open.last, elements.indices.contains(index) { elements[index].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            _ = open.popLast()
        }
    }
}
