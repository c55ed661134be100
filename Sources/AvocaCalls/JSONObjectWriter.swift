/// A JSON value that is already encoded (a call, customer, presence or insight rendered from the
/// spec's schema types), spliced into messages as it is: rendered once, never parsed back.
public struct JSONFragment: Sendable, Equatable {
    public let text: String

    /// Wraps text that is valid JSON (the renderer's encoder output).
    public init(_ text: String) { self.text = text }
}

/// Writes one JSON object straight to text: a realtime message (`JSONObjectWriter(event:)`) or an
/// object inside one. Messages are built on the path of every word and every call change, so
/// there is no dictionary and no `JSONSerialization` pass: keys are the protocol's constants,
/// strings are escaped here, schema objects arrive pre-encoded.
struct JSONObjectWriter {
    private var text = ""

    init() {}

    /// A realtime message: `event` comes first, as docs/realtime.md shows every message.
    init(event: String) { string("event", event) }

    /// The finished object.
    var encoded: String { "{" + text + "}" }

    /// The finished object, to nest in another.
    var fragment: JSONFragment { JSONFragment(encoded) }

    mutating func string(_ key: String, _ value: String?) {
        field(key)
        if let value { Self.appendString(value, to: &text) } else { text += "null" }
    }

    mutating func int(_ key: String, _ value: Int) {
        field(key)
        text += String(value)
    }

    mutating func bool(_ key: String, _ value: Bool) {
        field(key)
        text += value ? "true" : "false"
    }

    /// A pre-encoded value, or `null`.
    mutating func fragment(_ key: String, _ value: JSONFragment?) {
        field(key)
        text += value?.text ?? "null"
    }

    /// An array of pre-encoded values.
    mutating func array(_ key: String, _ values: [JSONFragment]) {
        field(key)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            text += value.text
        }
        text += "]"
    }

    private mutating func field(_ key: String) {
        if !text.isEmpty { text += "," }
        Self.appendString(key, to: &text)
        text += ":"
    }

    /// Appends `value` as a JSON string, escaping quotes, backslashes and control characters
    /// (RFC 8259 §7); everything else, any Unicode included, goes through as UTF-8.
    static func appendString(_ value: String, to text: inout String) {
        text += "\""
        let scalars = value.unicodeScalars
        var plainStart = scalars.startIndex
        var index = plainStart
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String? =
                switch scalar {
                case "\"": "\\\""
                case "\\": "\\\\"
                case "\n": "\\n"
                case "\r": "\\r"
                case "\t": "\\t"
                case _ where scalar.value < 0x20: (scalar.value < 0x10 ? "\\u000" : "\\u00") + String(scalar.value, radix: 16)
                default: nil
                }
            if let escape {
                text.unicodeScalars.append(contentsOf: scalars[plainStart..<index])
                text += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        text.unicodeScalars.append(contentsOf: scalars[plainStart..<scalars.endIndex])
        text += "\""
    }
}
