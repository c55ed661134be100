import AvocaJSON
import Foundation
import Testing

@testable import AvocaCalls

@Suite("Realtime messages are written as JSON text directly")
struct JSONObjectWriterTests {
    /// What a standard parser reads back.
    func parsed(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("any caller's words survive: quotes, backslashes, control characters, line separators, emoji, combining marks")
    func escaping() throws {
        let hostile = [
            "", "plain", "say \"hi\"", #"C:\path\to"#, "line\nbreak\r\ttab", "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}", "\u{2028}\u{2029}",
            "</script><script>alert(1)</script>", "🚰 leak — Ünïcödé e\u{301}", String(repeating: "\\\"", count: 50),
        ]
        for value in hostile {
            var message = JSONObjectWriter(event: "phone_call_token")
            message.string("text", value)
            #expect(try parsed(message.encoded)["text"] as? String == value, "\(value.debugDescription)")
        }
        // Every scalar below 0x80, and a random sample above, one string each.
        var random = SystemRandomNumberGenerator()
        let samples =
            (0..<0x80).compactMap(Unicode.Scalar.init)
            + (0..<500).compactMap { _ in Unicode.Scalar(UInt32.random(in: 0x80...0x10FFFF, using: &random)) }
        let all = String(String.UnicodeScalarView(samples))
        var message = JSONObjectWriter(event: "x")
        message.string("text", all)
        #expect(try parsed(message.encoded)["text"] as? String == all)
    }

    @Test("fields keep their types and order: event first, numbers, booleans, nulls, nested objects and arrays")
    func shape() throws {
        var segment = JSONObjectWriter()
        segment.int("seq", 3)
        segment.string("speaker", "caller")
        var message = JSONObjectWriter(event: "phone_call_transcript")
        message.string("phone_call_id", "abc")
        message.array("segments", [segment.fragment, JSONFragment("{}")])
        message.array("none", [])
        message.int("last_seq", Int.max)
        message.int("after_seq", -1)
        message.bool("watches_floor", false)
        message.fragment("presence", nil)
        message.string("missing", nil)
        #expect(message.encoded.hasPrefix(#"{"event":"phone_call_transcript","#))
        let object = try parsed(message.encoded)
        #expect((object["segments"] as? [[String: Any]])?.first?["seq"] as? Int == 3)
        #expect((object["segments"] as? [[String: Any]])?.count == 2)
        #expect((object["none"] as? [Any])?.isEmpty == true)
        #expect(object["last_seq"] as? Int == Int.max)
        #expect(object["after_seq"] as? Int == -1)
        #expect(object["watches_floor"] as? Bool == false)
        #expect(object["presence"] is NSNull)
        #expect(object["missing"] is NSNull)
        // The body of a direct read is the same object as bytes.
        #expect(message.encodedBytes == Array(message.encoded.utf8))
    }

    @Test("control characters are written as the generated encoder writes them: short escapes, else \\u00xx in lowercase")
    func controlCharacters() {
        var message = JSONObjectWriter()
        message.string("t", "a\u{1f}\u{0}\n\r\t\"\\é")
        #expect(message.encoded == #"{"t":"a\u001f\u0000\n\r\t\"\\é"}"#)
    }
}
