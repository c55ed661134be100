import Foundation

/// A syntactically plausible, normalised e-mail address (trimmed, lower-cased).
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    /// The normalised address.
    public let value: String

    /// Normalises and validates `raw`; `nil` when it is not an address we can deliver to.
    public init?(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        // Deliberately simple: one @, a non-empty local part, a dotted domain, no spaces or
        // control characters (which would also open header injection in outgoing mail).
        guard trimmed.count <= 254,
            trimmed.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value != 127 && $0 != "<" && $0 != ">" && $0 != "," }),
            let at = trimmed.firstIndex(of: "@"),
            trimmed[trimmed.index(after: at)...].contains("@") == false
        else { return nil }
        let local = trimmed[..<at]
        let domain = trimmed[trimmed.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
            !domain.contains("..")
        else { return nil }
        value = trimmed
    }

    /// The part after the @.
    public var domain: String { String(value[value.index(after: value.firstIndex(of: "@")!)...]) }
    /// The normalised address.
    public var description: String { value }
}
