import Crypto
import Foundation

/// RFC 6238 time-based one-time passwords: HMAC-SHA1, 6 digits, 30-second steps — what every
/// authenticator app does by default. Written against the RFC rather than HummingbirdOTP because
/// Avoca needs the step number (to refuse a used step) and takes the secret as raw bytes.
public struct TOTP: Sendable {
    /// The shared secret (160 random bits for secrets Avoca issues).
    public let secret: [UInt8]
    /// Seconds per step.
    public static let period: TimeInterval = 30
    /// Digits per code.
    public static let digits = 6

    /// Creates a generator for `secret`.
    public init(secret: [UInt8]) { self.secret = secret }

    /// The time step containing `date`.
    public static func step(at date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / period).rounded(.down)) }

    /// The code for a time step, zero-padded.
    public func code(step: Int64) -> String {
        let counter = withUnsafeBytes(of: UInt64(step).bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let truncated =
            (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        let value = truncated % 1_000_000
        return String(repeating: "0", count: Self.digits - String(value).count) + String(value)
    }

    /// The step whose code equals `code`, searching the current step and one step either side
    /// (clock drift), or `nil`. Comparison is constant-time per candidate.
    public func matchingStep(for code: String, at date: Date) -> Int64? {
        let trimmed = code.filter { !$0.isWhitespace }
        guard trimmed.count == Self.digits, trimmed.allSatisfy(\.isASCII), trimmed.allSatisfy(\.isNumber) else { return nil }
        let now = Self.step(at: date)
        var found: Int64?
        for step in [now - 1, now, now + 1] where constantTimeEquals(self.code(step: step), trimmed) {
            found = step
        }
        return found
    }

    /// The `otpauth://` URI authenticator apps scan.
    public func provisioningURI(account: String, issuer: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: allowed)!
        let issuerParam = issuer.addingPercentEncoding(withAllowedCharacters: allowed)!
        return "otpauth://totp/\(label)?secret=\(Base32.encode(secret))&issuer=\(issuerParam)&algorithm=SHA1&digits=6&period=30"
    }
}

/// Compares two strings without an early exit, so timing does not reveal how much matched.
public func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
}
