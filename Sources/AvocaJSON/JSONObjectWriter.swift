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
    /// The object's UTF-8 between its braces. Bytes, not a `String`: appending to a string walked
    /// its Unicode scalars one by one, and that was most of the cost of a customer read.
    private var bytes: [UInt8] = []
    /// Whether a field has been written, so the next one needs a comma (not `bytes.isEmpty`: a
    /// nested object writes onto its parent's bytes).
    private var hasFields = false

    /// An empty object.
    public init() {}

    /// An empty object with room for about `capacity` bytes, so a body of known typical size is
    /// written without regrowing its buffer.
    public init(reservingCapacity capacity: Int) { bytes.reserveCapacity(max(0, capacity)) }

    /// A realtime message: `event` comes first, as docs/realtime.md shows every message.
    public init(event: String) { string("event", event) }

    /// The finished object.
    public var encoded: String {
        String(unsafeUninitializedCapacity: bytes.count &+ 2) { buffer in
            buffer[0] = UInt8(ascii: "{")
            _ = UnsafeMutableBufferPointer(rebasing: buffer[1...]).initialize(fromContentsOf: bytes)
            buffer[bytes.count &+ 1] = UInt8(ascii: "}")
            return bytes.count &+ 2
        }
    }

    /// The finished object as UTF-8, for a response body.
    public var encodedBytes: [UInt8] {
        var object: [UInt8] = []
        object.reserveCapacity(bytes.count &+ 2)
        object.append(UInt8(ascii: "{"))
        object.append(contentsOf: bytes)
        object.append(UInt8(ascii: "}"))
        return object
    }

    /// The finished object, to nest in another.
    public var fragment: JSONFragment { JSONFragment(encoded) }

    /// `"key": "value"`, or `"key": null`.
    public mutating func string(_ key: String, _ value: String?) {
        field(key)
        if let value { Self.appendString(value, to: &bytes) } else { append("null") }
    }

    /// `"key": 12`.
    public mutating func int(_ key: String, _ value: Int) {
        field(key)
        append(String(value))
    }

    /// `"key": true`.
    public mutating func bool(_ key: String, _ value: Bool) {
        field(key)
        append(value ? "true" : "false")
    }

    /// A pre-encoded value, or `null`.
    public mutating func fragment(_ key: String, _ value: JSONFragment?) {
        field(key)
        append(value?.text ?? "null")
    }

    /// An array of pre-encoded values.
    public mutating func array(_ key: String, _ values: [JSONFragment]) {
        field(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(value.text)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An array of strings.
    public mutating func strings(_ key: String, _ values: [String]) {
        field(key)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendString(value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// An array of objects, each written by `write` straight into this object's bytes (no
    /// intermediate string per element).
    public mutating func objects<Element>(_ key: String, _ elements: [Element], _ write: (inout JSONObjectWriter, Element) -> Void) {
        field(key)
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            // The element's fields go straight onto the end of these bytes, between its braces.
            bytes.append(UInt8(ascii: "{"))
            var nested = JSONObjectWriter()
            swap(&nested.bytes, &bytes)
            write(&nested, element)
            swap(&nested.bytes, &bytes)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func field(_ key: String) {
        if hasFields { bytes.append(UInt8(ascii: ",")) }
        hasFields = true
        Self.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends text that is already JSON.
    private mutating func append(_ json: String) {
        bytes.append(contentsOf: json.utf8)
    }

    /// Appends `value` as a JSON string, escaping quotes, backslashes and control characters
    /// (RFC 8259 §7); everything else, any Unicode included, goes through as UTF-8. Every byte of a
    /// multi-byte UTF-8 sequence is ≥ 0x80, so looking at single bytes never splits a character.
    public static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var plainStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart..<index]))
                plainStart = index &+ 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default: bytes.append(contentsOf: Array("\\u00".utf8) + [hexDigit(byte >> 4), hexDigit(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
    }
}
