import Foundation

/// The TwiML documents Avoca answers Twilio with. Every attribute and text is XML-escaped.
public enum TwiML {
    /// The incoming-call answer: start live transcription of both sides, greet, and wait in the
    /// queue (hold music from `waitURL`) until a rep accepts.
    public static func answer(transcriptionCallback: String, greeting: String, queue: String, waitURL: String) -> String {
        document(
            """
            <Start><Transcription statusCallbackUrl="\(escape(transcriptionCallback))" track="both_tracks" partialResults="true" \
            languageCode="en-US" inboundTrackLabel="caller" outboundTrackLabel="agent"/></Start>\
            <Say>\(escape(greeting))</Say>\
            <Enqueue waitUrl="\(escape(waitURL))" waitUrlMethod="POST">\(escape(queue))</Enqueue>
            """)
    }

    /// What a queued caller hears, repeated by Twilio until the call leaves the queue.
    public static func hold(musicURL: String?, message: String) -> String {
        if let musicURL { return document("<Play>\(escape(musicURL))</Play>") }
        return document("<Say>\(escape(message))</Say><Pause length=\"20\"/>")
    }

    /// Connects the caller to a rep's phone. Twilio requests `action` once the rep's leg is over,
    /// so a rep who does not pick up sends the caller back to the queue instead of hanging up on them.
    public static func dial(number: String, action: String, timeout: Int = 20) -> String {
        document(
            "<Dial action=\"\(escape(action))\" method=\"POST\" timeout=\"\(timeout)\" answerOnBridge=\"true\"><Number>\(escape(number))</Number></Dial>"
        )
    }

    /// Ends the call (the conversation is over).
    public static let hangup = document("<Hangup/>")

    /// Puts a released caller back in the queue (no new transcription: it is still running).
    public static func requeue(queue: String, waitURL: String) -> String {
        document("<Enqueue waitUrl=\"\(escape(waitURL))\" waitUrlMethod=\"POST\">\(escape(queue))</Enqueue>")
    }

    /// An empty answer: nothing more for Twilio to do.
    public static let empty = document("")

    static func document(_ body: String) -> String { "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>\(body)</Response>" }

    /// Escapes text for an XML attribute or element.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
