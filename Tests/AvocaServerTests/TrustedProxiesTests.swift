import AvocaIdentity
import Foundation
import HTTPTypes
import Testing

@testable import AvocaServer

/// `AVOCA_TRUSTED_PROXIES`: a forwarding header is believed only from a trusted peer, and read
/// from the right.
@Suite("Transport: trusted proxies and the client address", .timeLimit(.minutes(4)))
struct TrustedProxiesTests {
    static func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(text), "\(text)") }

    @Test("CIDR lists parse IPv4, IPv6, bare and mapped addresses")
    func parsesRanges() throws {
        let proxies = try TrustedProxies.parse(" 10.0.0.0/8, 192.168.1.7 ,2001:db8::/32,::1, ::ffff:172.16.0.0/108,,0.0.0.0/0 ")
        #expect(proxies.ranges.map(\.description) == ["10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32", "::1/128", "172.16.0.0/12", "0.0.0.0/0"])
        #expect(try TrustedProxies.parse("").isEmpty)
        let ten = try IPAddressRange(parsing: "10.0.0.0/8")
        #expect(ten.contains(try Self.ip("10.255.1.2")))
        #expect(ten.contains(try Self.ip("::ffff:10.1.2.3")), "a dual-stack listener's spelling of an IPv4 peer")
        #expect(!ten.contains(try Self.ip("11.0.0.1")))
        #expect(!ten.contains(try Self.ip("2001:db8::1")), "never across families")
        let v6 = try IPAddressRange(parsing: "2001:db8:abcd::/48")
        #expect(v6.contains(try Self.ip("2001:db8:abcd:12::1")))
        #expect(!v6.contains(try Self.ip("2001:db8:abce::1")))
    }

    @Test(
        "bad CIDR entries are all reported, none traps",
        arguments: [
            "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/", "/8", "10.0.0.0/8/8", "10.0.0.1/8", "256.0.0.1", "10.0.0", "1.2.3.4\u{0}",
            "fe80::1%eth0", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/0008", "localhost", "::ffff:10.0.0.0/97", "١٢.0.0.0/8",
            String(repeating: "1", count: 10_000), "10.0.0.0/99999999999999999999",
        ])
    func badRanges(_ entry: String) {
        #expect(throws: TrustedProxiesError.self, "\(entry.prefix(40))") { try TrustedProxies.parse("127.0.0.1, \(entry)") }
    }

    @Test("the configuration names a bad list at start-up")
    func configurationError() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try AppConfig.fromEnvironment(["AVOCA_TRUSTED_PROXIES": "10.0.0.0/8, 10.0.0.0/40, banana"])
        }
        #expect(error.description.contains("10.0.0.0/40"))
        #expect(error.description.contains("banana"))
        #expect(throws: ConfigurationError.self) { try AppConfig.fromEnvironment(["AVOCA_TRUSTED_PROXY_HEADER": "x-real-ip"]) }
        let config = try AppConfig.fromEnvironment(["AVOCA_TRUSTED_PROXIES": "10.0.0.0/8", "AVOCA_TRUSTED_PROXY_HEADER": "Forwarded"])
        #expect(config.trustedProxies.header == .forwarded)
        #expect(config.trustedProxies.ranges.count == 1)
    }

    @Test("hop selection: the right-most hop that is not a trusted proxy; the peer when it is not trusted")
    func hopSelection() throws {
        let proxies = try TrustedProxies.parse("10.0.0.0/8, 2001:db8::/32")
        func client(_ peer: String, _ header: String?) throws -> String? {
            var fields = HTTPFields()
            if let header { fields[HTTPField.Name("X-Forwarded-For")!] = header }
            return proxies.clientAddress(peer: try Self.ip(peer), headers: fields)?.description
        }
        // An untrusted peer is the client, whatever it claims.
        #expect(try client("203.0.113.5", "198.51.100.1") == "203.0.113.5")
        // From a trusted proxy: the hop it appended, not what the client wrote before it.
        #expect(try client("10.0.0.2", "6.6.6.6, 198.51.100.1") == "198.51.100.1")
        // Chained trusted proxies are skipped.
        #expect(try client("10.0.0.2", "6.6.6.6, 198.51.100.1, 10.1.1.1, 2001:db8::7") == "198.51.100.1")
        // Ports and brackets.
        #expect(try client("10.0.0.2", "198.51.100.1:4711") == "198.51.100.1")
        #expect(try client("10.0.0.2", "[2001:db9::5]:443") == "2001:db9::5")
        #expect(try client("10.0.0.2", "2001:db9::5") == "2001:db9::5")
        // No header, or only trusted hops: the furthest trusted hop.
        #expect(try client("10.0.0.2", nil) == "10.0.0.2")
        #expect(try client("10.0.0.2", "10.9.9.9") == "10.9.9.9")
        // A hop that is not an address stops the walk at the last trusted one.
        #expect(try client("10.0.0.2", "198.51.100.1, unknown") == "10.0.0.2")
        #expect(try client("10.0.0.2", "198.51.100.1, 10.3.3.3, <script>") == "10.0.0.2")
        // A long forged chain costs a bounded walk.
        let forged = Array(repeating: "10.4.4.4", count: 10_000).joined(separator: ",")
        #expect(try client("10.0.0.2", "198.51.100.1," + forged) == "10.4.4.4")
    }

    @Test("the Forwarded header: quoted values, IPv6 in brackets, several field lines, only when configured")
    func forwardedHeader() throws {
        var proxies = try TrustedProxies.parse("10.0.0.0/8")
        var fields = HTTPFields()
        fields.append(HTTPField(name: HTTPField.Name("Forwarded")!, value: #"for="6.6.6.6, for=7.7.7.7";proto=https"#))
        fields.append(HTTPField(name: HTTPField.Name("Forwarded")!, value: #"For="[2001:db9:cafe::17]:4711";proto=https, for=10.2.2.2"#))
        fields[HTTPField.Name("X-Forwarded-For")!] = "5.5.5.5"
        #expect(proxies.clientAddress(peer: try Self.ip("10.0.0.1"), headers: fields)?.description == "5.5.5.5", "only the configured header is read")
        proxies.header = .forwarded
        #expect(proxies.clientAddress(peer: try Self.ip("10.0.0.1"), headers: fields)?.description == "2001:db9:cafe::17")
        #expect(TrustedProxies.forwardedFor("by=10.0.0.1;for=_hidden") == nil)
        #expect(TrustedProxies.forwardedFor("proto=https") == nil)
    }

    @Test("behind a trusted proxy each forwarded client has its own limits and its own session address; from others the header is ignored")
    func serverUsesForwardedClient() async throws {
        let addressA = "203.0.113.66"
        let addressB = "198.51.100.7"
        let loopbackProxy = try TrustedProxies.parse("127.0.0.0/8, ::1")
        try await Harness.run(
            live: true, configure: { $0.trustedProxies = loopbackProxy },
            { h in
                let employee = try await h.enrolledEmployee("proxied@example.com")
                let wrong = ["email": employee.email, "password": "not-the-password-1"]
                var statuses: [Int] = []
                for _ in 0..<11 {
                    h.clock.advance(by: 61)
                    statuses.append(Int(try await h.request(.post, "/api/auth/signin", json: wrong, headers: Self.forwarded(addressA)).status.code))
                }
                #expect(statuses.last == 429, "address A is locked: \(statuses)")
                let right = ["email": employee.email, "password": employee.password]
                #expect(try await h.request(.post, "/api/auth/signin", json: right, headers: Self.forwarded(addressA)).status == .tooManyRequests)
                let fromB = try await h.request(.post, "/api/auth/signin", json: right, headers: Self.forwarded("6.6.6.6, \(addressB)"))
                #expect(fromB.status == .ok)
                let token = try #require(fromB["mfa_token"] as? String)
                let session = try await h.request(
                    .post, "/api/auth/totp/verify", json: ["mfa_token": token, "code": h.totp(employee.secret)],
                    headers: Self.forwarded(addressB))
                let access = try #require(session["access_token"] as? String)
                let list = try await h.request(.get, "/api/auth/sessions", bearer: access)
                let addresses = (list["sessions"] as? [[String: Any]] ?? []).compactMap { $0["ip_address"] as? String }
                #expect(addresses.contains(addressB))
            })
        // Without trusted proxies the header is the client's own words: both "addresses" are the one peer.
        try await Harness.run(live: true) { h in
            let employee = try await h.enrolledEmployee("direct@example.com")
            for _ in 0..<11 {
                h.clock.advance(by: 61)
                _ = try await h.request(
                    .post, "/api/auth/signin", json: ["email": employee.email, "password": "not-the-password-1"], headers: Self.forwarded(addressA))
            }
            let fromB = try await h.request(
                .post, "/api/auth/signin", json: ["email": employee.email, "password": employee.password], headers: Self.forwarded(addressB))
            #expect(fromB.status == .tooManyRequests)
        }
    }

    static func forwarded(_ value: String) -> HTTPFields { [HTTPField.Name("X-Forwarded-For")!: value] }
}
