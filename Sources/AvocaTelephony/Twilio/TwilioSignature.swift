import AvocaCore
import Crypto
import Foundation

/// Twilio's request signature (`X-Twilio-Signature`): base64 of HMAC-SHA1, keyed with the account's
/// auth token, over the full URL Twilio requested followed by every POST parameter's name and value,
/// sorted by name. A JSON body is signed instead through a `bodySHA256` query parameter holding the
/// hex SHA-256 of the body, with no parameters appended.
public struct TwilioSignature: Sendable {
    private let key: SymmetricKey

    /// Creates a verifier for one auth token.
    public init(authToken: String) { key = SymmetricKey(data: Array(authToken.utf8)) }

    /// The signature Twilio sends for `url` and `parameters`.
    public func compute(url: String, parameters: FormParameters) -> String {
        var signed = url
        // Names sorted byte-wise; a repeated name contributes each of its values, sorted too.
        let names = Set(parameters.pairs.map(\.name)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for name in names {
            let values = parameters.pairs.filter { $0.name == name }.map(\.value).sorted {
                Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
            }
            for value in values { signed += name + value }
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(signed.utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// Whether `signature` is Twilio's for this request. `url` is the public URL of the request
    /// (built from `AVOCA_PUBLIC_URL`, never from the Host header). Twilio may or may not have
    /// included the default port when it signed, so both spellings are tried; each comparison is
    /// constant-time.
    public func isValid(signature: String?, url: String, parameters: FormParameters, body: [UInt8] = []) -> Bool {
        guard let signature, !signature.isEmpty, signature.count <= 200 else { return false }
        var signedParameters = parameters
        if let components = URLComponents(string: url), let expected = components.queryItems?.first(where: { $0.name == "bodySHA256" })?.value {
            // A JSON body: its hash rides in the URL, so the URL signature covers it.
            let actual = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
            guard constantTimeEquals(actual, expected.lowercased()) else { return false }
            signedParameters = FormParameters([])
        }
        var matched = false
        for candidate in Self.portVariants(of: url) {
            // No early exit: every variant is computed and compared.
            if constantTimeEquals(compute(url: candidate, parameters: signedParameters), signature) { matched = true }
        }
        return matched
    }

    /// The URL without its port and with the scheme's default port (or its explicit one).
    static func portVariants(of url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return [url] }
        let explicit = components.port
        components.port = nil
        let withoutPort = components.string ?? url
        components.port = explicit ?? (scheme == "https" ? 443 : scheme == "http" ? 80 : nil)
        let withPort = components.string ?? url
        return withoutPort == withPort ? [withoutPort] : [withoutPort, withPort]
    }
}
