import Foundation

/// A CIDR range such as `10.0.0.0/8` or `2001:db8::/32`; a bare address is a range of one.
struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the range (host bits clear).
    let network: IPAddress
    /// Leading bits that every member shares.
    let prefix: Int

    /// Parses `address[/prefix]`; throws a message naming what is wrong, never traps.
    init(parsing raw: some StringProtocol) throws(IPAddressRangeError) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let address = IPAddress(first) else {
            throw IPAddressRangeError(entry: text, problem: "is not an IPv4 or IPv6 address")
        }
        // A mapped IPv4 range (::ffff:10.0.0.0/104) is stored as the IPv4 range it means.
        let mappedShift = address.isIPv4 && first.contains(":") ? 96 : 0
        let width = address.isIPv4 ? 32 : 128
        var prefix = width
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...3).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let bits = Int(digits),
                bits - mappedShift >= 0, bits - mappedShift <= width
            else { throw IPAddressRangeError(entry: text, problem: "needs a prefix length from 0 to \(width + mappedShift)") }
            prefix = bits - mappedShift
        }
        guard address.masked(toPrefix: prefix) == address else {
            throw IPAddressRangeError(
                entry: text, problem: "has bits set after the prefix (did you mean \(address.masked(toPrefix: prefix))/\(prefix + mappedShift)?)")
        }
        network = address
        self.prefix = prefix
    }

    /// Whether `address` lies in the range (never across IPv4 and IPv6).
    func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && address.masked(toPrefix: prefix) == network
    }

    var description: String { "\(network)/\(prefix)" }
}

/// An entry of a CIDR list that is not a range.
struct IPAddressRangeError: Error, Equatable, CustomStringConvertible {
    /// The entry as written.
    let entry: String
    /// What is wrong with it.
    let problem: String

    var description: String { "'\(entry)' \(problem)" }
}
