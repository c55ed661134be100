import Foundation

/// Which browser origin may use the cookie-authenticated endpoints (the refresh token's cookie)
/// and open the realtime socket: the origin of `AVOCA_PUBLIC_URL`. SameSite=Strict keeps the
/// cookie off other sites' requests, and WebSockets are not covered by CORS at all, so the
/// `Origin` a browser always sends is checked too. Only what a web page's origin can be — http,
/// https or the opaque `null` — is held against the public URL: a request without `Origin`, or
/// with another scheme (`ws://…`, which non-browser WebSocket clients send), does not come from
/// a page of another site, and such a client could leave the header out anyway.
struct OriginPolicy: Sendable, Equatable {
    /// `scheme://host[:port]`, lowercase, default port left out; `nil` when the URL has no host.
    let allowed: String?
    /// In development `localhost`, `127.0.0.1` and `[::1]` are one host, so a console opened on
    /// either name works against the default public URL.
    let loopbackAliases: Bool

    init(publicURL: String, development: Bool) {
        allowed = Self.origin(publicURL)
        loopbackAliases = development
    }

    /// Whether a request with these `Origin` values (one from a browser, none from most clients) may proceed.
    func allows(_ values: [String]) -> Bool { values.allSatisfy(allows) }

    /// Whether a request with this `Origin` value (or none) may proceed.
    func allows(_ header: String?) -> Bool {
        guard let header else { return true }
        guard Self.isWebOrigin(header) else { return true }
        guard let allowed, let origin = Self.origin(header) else { return false }
        if origin == allowed { return true }
        guard loopbackAliases, let a = Self.loopbackForm(origin), let b = Self.loopbackForm(allowed) else { return false }
        return a == b
    }

    /// Whether the value is what a web page's origin looks like: `null`, or an http(s) URL (or
    /// something too malformed to tell, which is refused too).
    static func isWebOrigin(_ value: String) -> Bool {
        let lowered = value.trimmingCharacters(in: .whitespaces).lowercased()
        guard let colon = lowered.firstIndex(of: ":") else { return true }
        let scheme = lowered[..<colon]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return true }
        return scheme == "http" || scheme == "https"
    }

    /// The normalised origin of a URL or an `Origin` value (`null` and garbage give `nil`).
    static func origin(_ text: String) -> String? {
        guard text.utf8.count <= 2048, let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let port = components.port, port != defaultPort else { return "\(scheme)://\(bracketed)" }
        return "\(scheme)://\(bracketed):\(port)"
    }

    /// The origin with a loopback host replaced by one name, or `nil` when the host is not loopback.
    private static func loopbackForm(_ origin: String) -> String? {
        for host in ["localhost", "127.0.0.1", "[::1]"] {
            for scheme in ["http://", "https://"] where origin == scheme + host || origin.hasPrefix(scheme + host + ":") {
                return scheme + "loopback" + origin.dropFirst(scheme.count + host.count)
            }
        }
        return nil
    }
}
