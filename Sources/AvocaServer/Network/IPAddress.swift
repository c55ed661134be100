#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16). An IPv4-mapped IPv6 address
/// (`::ffff:192.0.2.1`, what a dual-stack listener reports for IPv4 peers) is the IPv4 address,
/// so one trusted range matches both spellings.
struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    /// Parses a literal address (no port, no brackets); `nil` for anything else.
    init?(_ text: some StringProtocol) {
        // inet_pton reads a C string: a NUL inside the text would end it early and let
        // "192.0.2.1\0junk" pass, so only plain address characters are handed over.
        guard (2...45).contains(text.utf8.count),
            text.utf8.allSatisfy({
                $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") || (0x30...0x39).contains($0) || (0x41...0x46).contains($0)
                    || (0x61...0x66).contains($0)
            })
        else { return nil }
        let string = String(text)
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, string, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, string, &v6) == 1 {
            let raw = withUnsafeBytes(of: &v6) { Array($0) }
            bytes = raw[0..<10].allSatisfy { $0 == 0 } && raw[10] == 0xff && raw[11] == 0xff ? Array(raw[12..<16]) : raw
        } else {
            return nil
        }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Whether this is an IPv4 address.
    var isIPv4: Bool { bytes.count == 4 }

    /// The address with every bit after the first `prefix` cleared.
    func masked(toPrefix prefix: Int) -> IPAddress {
        IPAddress(
            bytes: bytes.enumerated().map { index, byte in
                let kept = min(8, max(0, prefix - index * 8))
                return kept == 8 ? byte : byte & ~(UInt8(0xff) >> kept)
            })
    }

    /// The conventional text form (`inet_ntop`).
    var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        var copy = bytes
        let family = isIPv4 ? AF_INET : AF_INET6
        guard copy.withUnsafeMutableBytes({ inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }) != nil else {
            return bytes.map(String.init).joined(separator: ".")
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
