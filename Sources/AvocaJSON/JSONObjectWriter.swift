/// A JSON value that is already encoded (a call, customer, presence or insight rendered from the
/// spec's schema types), spliced into messages as it is: rendered once, never parsed back.
public struct JSONFragment: Sendable, Equatable {
    public let text: String

    /// Wraps text that is valid JSON (the renderer's encoder output).
    public init(_ text: String) { self.text = text }
}

/// Writes one JSON object straight to text: a realtime message (`JSONObjectWriter(event:)`), an
/// object inside one, or the body of a hot HTTP read. These are written on the path of every word,
/// every call change and every primary-key read, so there is no dictionary, no `Encodable`
/// container and no `JSONSerialization` pass: keys are the caller's constants, strings are escaped
/// here, nested objects are written by the same writer or arrive pre-encoded.
public struct JSONObjectWriter {
    private var text = ""
    /// Whether a field has been written, so the next one needs a comma (not `text.isEmpty`: a
    /// nested object writes onto its parent's text).
    private var hasFields = false

    /// An empty object.
    public init() {}

    /// An empty object with room for about `capacity` bytes, so a body of known typical size is
    /// written without regrowing its buffer.
    public init(reservingCapacity capacity: Int) { text.reserveCapacity(max(0, capacity)) }

    /// A realtime message: `event` comes first, as docs/realtime.md shows every message.
    public init(event: String) { string("event", event) }

    /// The finished object.
    public var encoded: String { "{" + text + "}" }

    /// The finished object, to nest in another.
    public var fragment: JSONFragment { JSONFragment(encoded) }

    /// `"key": "value"`, or `"key": null`.
    public mutating func string(_ key: String, _ value: String?) {
        field(key)
        if let value { Self.appendString(value, to: &text) } else { text += "null" }
    }

    /// `"key": 12`.
    public mutating func int(_ key: String, _ value: Int) {
        field(key)
        text += String(value)
    }

    /// `"key": true`.
    public mutating func bool(_ key: String, _ value: Bool) {
        field(key)
        text += value ? "true" : "false"
    }

    /// A pre-encoded value, or `null`.
    public mutating func fragment(_ key: String, _ value: JSONFragment?) {
        field(key)
        text += value?.text ?? "null"
    }

    /// An array of pre-encoded values.
    public mutating func array(_ key: String, _ values: [JSONFragment]) {
        field(key)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            text += value.text
        }
        text += "]"
    }

    /// An array of strings.
    public mutating func strings(_ key: String, _ values: [String]) {
        field(key)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            Self.appendString(value, to: &text)
        }
        text += "]"
    }

    /// An array of objects, each written by `write` straight into this object's text (no
    /// intermediate string per element).
    public mutating func objects<Element>(_ key: String, _ elements: [Element], _ write: (inout JSONObjectWriter, Element) -> Void) {
        field(key)
        text += "["
        for (index, element) in elements.enumerated() {
            if index > 0 { text += "," }
            // The element's fields go straight onto the end of this text, between its braces.
            text += "{"
            var nested = JSONObjectWriter()
            swap(&nested.text, &text)
            write(&nested, element)
            swap(&nested.text, &text)
            text += "}"
        }
        text += "]"
    }

    private mutating func field(_ key: String) {
        if hasFields { text += "," }
        hasFields = true
        Self.appendString(key, to: &text)
        text += ":"
    }

    /// Appends `value` as a JSON string, escaping quotes, backslashes and control characters
    /// (RFC 8259 §7); everything else, any Unicode included, goes through as UTF-8.
    public static func appendString(_ value: String, to text: inout String) {
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
