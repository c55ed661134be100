import Crypto
import Foundation

/// Random tokens and keyed hashes for everything Avoca stores but must not be able to read back:
/// e-mail codes, refresh tokens, recovery codes, API keys and mfa tokens.
public struct TokenHasher: Sendable {
    /// The HMAC with its key already absorbed (the padded inner and outer keys hashed once), copied
    /// for each token: every request with an API key hashes one, and keying an HMAC afresh cost as
    /// much as hashing the token.
    private let keyed: HMAC<SHA256>

    /// Creates a hasher keyed with `secret` (at least 32 bytes).
    public init(secret: [UInt8]) {
        // Domain-separate from other uses of the same master secret.
        let key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("avoca-token-hash".utf8), using: SymmetricKey(data: secret)))
        keyed = HMAC<SHA256>(key: key)
    }

    /// The keyed hash of `token`, hex-encoded. Keyed so that a leaked database does not allow
    /// brute-forcing low-entropy values such as 6-digit codes offline.
    public func hash(_ token: String) -> String {
        var mac = keyed
        var token = token
        token.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        let digest = mac.finalize()
        // Hex by table: `String(format:)` per byte cost more than the HMAC itself, on every request with an API key.
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in digest {
            hex.append(Self.hexDigits[Int(byte >> 4)])
            hex.append(Self.hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
