import Foundation
import HTTPTypes

/// The proxies (load balancers) whose forwarding header is believed (`AVOCA_TRUSTED_PROXIES`).
///
/// Behind a balancer every connection comes from the balancer, so per-client throttles would
/// throttle everyone together. Only a connection from a trusted proxy has its forwarding header
/// read, and then from the right: each proxy appends the address it saw, so the right-most hop
/// that is not itself a trusted proxy is the first address nobody we trust could vouch for —
/// anything further left was written by the client and is ignored.
struct TrustedProxies: Sendable, Equatable {
    /// Which header the proxies write. Only one is read: a proxy passes the other one through
    /// untouched, so a client could forge it.
    enum Header: String, Sendable, CaseIterable {
        /// `X-Forwarded-For: client, proxy1, proxy2` (nginx, HAProxy, AWS, Google, Cloudflare).
        case xForwardedFor = "x-forwarded-for"
        /// RFC 7239 `Forwarded: for=client;proto=https, for="[2001:db8::1]:443"`.
        case forwarded
    }

    /// The trusted ranges; empty means the TCP peer is always the client.
    var ranges: [IPAddressRange] = []
    /// The header the proxies write.
    var header: Header = .xForwardedFor
    /// At most this many hops are examined from the right; a longer chain is cut at the last
    /// trusted hop, so a huge header costs no more than a short one.
    static let maxHops = 16

    /// Parses a comma-separated CIDR list; every bad entry is reported, none traps.
    static func parse(_ list: String, header: Header = .xForwardedFor) throws(TrustedProxiesError) -> TrustedProxies {
        var ranges: [IPAddressRange] = []
        var problems: [IPAddressRangeError] = []
        for entry in list.split(separator: ",") where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            do throws(IPAddressRangeError) {
                ranges.append(try IPAddressRange(parsing: entry))
            } catch {
                problems.append(error)
            }
        }
        guard problems.isEmpty else { throw TrustedProxiesError(problems: problems) }
        return TrustedProxies(ranges: ranges, header: header)
    }

    /// Whether any proxy is trusted at all.
    var isEmpty: Bool { ranges.isEmpty }

    /// Whether `address` is a trusted proxy.
    func trusts(_ address: IPAddress) -> Bool { ranges.contains { $0.contains(address) } }

    /// The client of a request from `peer` that carried `headers`.
    func clientAddress(peer: IPAddress?, headers: HTTPFields) -> IPAddress? {
        guard let peer, trusts(peer) else { return peer }
        let values = headers[values: header.fieldName]
        let hops =
            switch header {
            case .xForwardedFor: Self.splitList(values).map(Self.node)
            case .forwarded: Self.splitList(values).map(Self.forwardedFor)
            }
        return clientAddress(peer: peer, hops: hops)
    }

    /// Hop selection on parsed hops (left to right as in the header; `nil` for one that is not an
    /// address, such as `unknown` or an obfuscated `_name`).
    func clientAddress(peer: IPAddress, hops: [IPAddress?]) -> IPAddress {
        guard trusts(peer) else { return peer }
        var client = peer
        for hop in hops.reversed().prefix(Self.maxHops) {
            // Past a hop that is not an address nothing can be checked: the last trusted proxy is
            // the best we know.
            guard let hop else { return client }
            client = hop
            if !trusts(hop) { return hop }
        }
        return client
    }

    /// The elements of a comma-separated header (all its field lines in order), splitting only
    /// outside quoted strings.
    static func splitList(_ values: [String]) -> [Substring] {
        var elements: [Substring] = []
        for value in values {
            var start = value.startIndex
            var quoted = false
            var escaped = false
            for index in value.indices {
                let character = value[index]
                if escaped {
                    escaped = false
                } else if quoted && character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    quoted.toggle()
                } else if character == "," && !quoted {
                    elements.append(value[start..<index])
                    start = value.index(after: index)
                }
            }
            elements.append(value[start...])
        }
        return elements.map { $0.trimmingCharacters(in: .whitespaces)[...] }.filter { !$0.isEmpty }
    }

    /// The `for=` node of one `Forwarded` element, if it is an address.
    static func forwardedFor(_ element: Substring) -> IPAddress? {
        for pair in element.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" else { continue }
            var value = parts[1].trimmingCharacters(in: .whitespaces)[...]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
            return node(value)
        }
        return nil
    }

    /// An address written as `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
    static func node(_ raw: Substring) -> IPAddress? {
        let text = raw.trimmingCharacters(in: .whitespaces)[...]
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }) else { return nil }
            return IPAddress(text[text.index(after: text.startIndex)..<close])
        }
        if let address = IPAddress(text) { return address }
        // IPv4 with a port: exactly one colon.
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2, !pieces[1].isEmpty, pieces[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let address = IPAddress(pieces[0]), address.isIPv4
        else { return nil }
        return address
    }
}

extension TrustedProxies.Header {
    var fieldName: HTTPField.Name {
        switch self {
        case .xForwardedFor: HTTPField.Name("X-Forwarded-For")!
        case .forwarded: HTTPField.Name("Forwarded")!
        }
    }
}

/// Entries of `AVOCA_TRUSTED_PROXIES` that are not CIDR ranges.
struct TrustedProxiesError: Error, Equatable, CustomStringConvertible {
    /// One per bad entry.
    let problems: [IPAddressRangeError]

    var description: String { problems.map(\.description).joined(separator: "; ") }
}
