import AvocaTelephony
import Foundation
import HTTPTypes
import NIOCore
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Plays Twilio's side of a call against a test application: signed form webhooks, as Twilio
/// sends them, to the public URL the application was configured with.
struct TwilioLine {
    let h: Harness
    /// What Avoca asked of Twilio's REST API.
    let rest: TwilioRESTStandIn
    static let authToken = "test-auth-token-for-the-twilio-bridge"
    static let accountSID = "AC00000000000000000000000000000000"
    static let publicURL = "https://avoca.example.com"

    /// A harness whose Twilio bridge is on.
    static func run(live: Bool = false, _ body: @escaping @Sendable (TwilioLine, CallDesk) async throws -> Void) async throws {
        let rest = TwilioRESTStandIn()
        try await rest.run { apiURL in
            try await Harness.run(
                live: live,
                configure: { config in
                    config.publicURL = publicURL
                    config.twilio = TwilioSettings(
                        accountSID: accountSID, authToken: authToken, apiURL: apiURL, greeting: "Thanks for calling Avoca Plumbing.")
                }
            ) { h in
                let agent = try await h.enrolledEmployee("agent1@example.com")
                let (_, key) = try await h.services.identity.createAPIKey(name: "bridge", scopes: [.callsIngest])
                try await body(TwilioLine(h: h, rest: rest), CallDesk(h: h, agent: agent, ingestKey: key))
            }
        }
    }

    /// Sets the number the agent's calls ring at.
    func ringAt(_ d: CallDesk, _ number: String) async throws -> APIResponse {
        try await h.request(.put, "/api/phone-settings", json: ["ring_at": number], bearer: d.agent.accessToken)
    }

    /// Posts a webhook, signed for `signedURL` (default: the public URL of the endpoint) unless
    /// `signature` is given.
    @discardableResult
    func post(_ endpoint: String, _ pairs: [(String, String)], signature: String? = nil, signedURL: String? = nil) async throws -> APIResponse {
        let form = FormParameters(pairs)
        let path = "/api/telephony/twilio/\(endpoint)"
        let computed = TwilioSignature(authToken: Self.authToken).compute(url: signedURL ?? Self.publicURL + path, parameters: form)
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let name = HTTPField.Name("X-Twilio-Signature") { headers[name] = signature ?? computed }
        let response = try await h.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: form.encoded()))
        return APIResponse(status: response.status, headers: response.headers, data: Data(buffer: response.body))
    }

    static func sid(_ n: Int) -> String { "CA" + String(repeating: "0", count: 31 - String(n).count) + String(n) + "f" }

    /// The incoming-call webhook.
    @discardableResult
    func ring(_ callSid: String, from: String = "+13125550142") async throws -> APIResponse {
        try await post(
            "voice",
            [
                ("AccountSid", Self.accountSID), ("CallSid", callSid), ("From", from), ("To", "+18005551212"), ("CallStatus", "ringing"),
                ("Direction", "inbound"), ("ApiVersion", "2010-04-01"),
            ])
    }

    /// A transcription-content callback.
    @discardableResult
    func words(
        _ callSid: String, _ text: String, sequence: Int, track: String = "inbound_track", final: Bool = true, transcription: String = "GT1"
    ) async throws -> APIResponse {
        let data = String(decoding: try JSONSerialization.data(withJSONObject: ["transcript": text, "confidence": 0.93]), as: UTF8.self)
        return try await post(
            "transcription",
            [
                ("AccountSid", Self.accountSID), ("CallSid", callSid), ("TranscriptionSid", transcription),
                ("TranscriptionEvent", "transcription-content"), ("Track", track), ("Final", final ? "true" : "false"),
                ("SequenceId", String(sequence)), ("Timestamp", "2026-12-03T10:00:00.000Z"), ("TranscriptionData", data),
                ("LanguageCode", "en-US"),
            ])
    }

    /// A call status callback.
    @discardableResult
    func status(_ callSid: String, _ status: String) async throws -> APIResponse {
        try await post("status", [("AccountSid", Self.accountSID), ("CallSid", callSid), ("CallStatus", status)])
    }
}

/// One element of a parsed XML document.
struct XMLElement: Sendable {
    var name: String
    var attributes: [String: String]
    var text = ""
    var children: [XMLElement] = []

    func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }
}

/// Parses XML with Foundation's parser (TwiML is checked as a document, not as a string).
final class XMLTree: NSObject, XMLParserDelegate {
    private var stack: [XMLElement] = []
    private(set) var root: XMLElement?

    static func parse(_ data: Data) -> XMLElement? {
        let tree = XMLTree()
        let parser = XMLParser(data: data)
        parser.delegate = tree
        guard parser.parse() else { return nil }
        return tree.root
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        stack.append(XMLElement(name: elementName, attributes: attributeDict))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let element = stack.popLast() else { return }
        if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
    }
}
