import Foundation

/// The name/value pairs of an `application/x-www-form-urlencoded` body, in the order they came.
///
/// Kept as pairs rather than a dictionary: a carrier may repeat a name, and its signature covers
/// every value.
public struct FormParameters: Sendable, Equatable {
    /// Every pair, in body order.
    public let pairs: [(name: String, value: String)]

    /// Bodies with more pairs than this are refused: no carrier webhook comes close.
    public static let maxPairs = 200

    /// Creates parameters from pairs (tests, the emulator).
    public init(_ pairs: [(String, String)]) { self.pairs = pairs.map { (name: $0.0, value: $0.1) } }

    /// The first value named `name`.
    public subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Parses a form body. `nil` when it is not valid form encoding (bad percent escapes, not
    /// UTF-8, too many pairs).
    public static func parse(_ body: some Sequence<UInt8>) -> FormParameters? {
        guard let text = String(validating: Array(body), as: UTF8.self) else { return nil }
        var pairs: [(String, String)] = []
        for field in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first, let name = decode(rawName), !name.isEmpty else { return nil }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            guard let value else { return nil }
            pairs.append((name, value))
            if pairs.count > maxPairs { return nil }
        }
        return FormParameters(pairs)
    }

    /// Encodes the pairs as a form body (`+` and every reserved byte escaped).
    public func encoded() -> String {
        pairs.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
    }

    public static func == (lhs: FormParameters, rhs: FormParameters) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    private static func decode(_ raw: Substring) -> String? {
        // In form encoding a `+` is a space; a literal plus arrives as %2B.
        raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escape(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
}
