import Crypto
import Foundation

/// Random tokens and keyed hashes for everything Avoca stores but must not be able to read back:
/// e-mail codes, refresh tokens, recovery codes, API keys and mfa tokens.
public struct TokenHasher: Sendable {
    private let key: SymmetricKey

    /// Creates a hasher keyed with `secret` (at least 32 bytes).
    public init(secret: [UInt8]) {
        // Domain-separate from other uses of the same master secret.
        key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("avoca-token-hash".utf8), using: SymmetricKey(data: secret)))
    }

    /// The keyed hash of `token`, hex-encoded. Keyed so that a leaked database does not allow
    /// brute-forcing low-entropy values such as 6-digit codes offline.
    public func hash(_ token: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(token.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }
}

/// Generators of unpredictable values.
public enum RandomToken {
    /// `byteCount` random bytes, URL-safe base64 without padding.
    public static func urlSafe(byteCount: Int = 32) -> String {
        Data(bytes(byteCount)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A string of `count` random decimal digits (uniform: rejection-free because each digit is drawn separately).
    public static func digits(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
    }

    /// `count` random bytes from the system CSPRNG.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A human-friendly recovery code such as `k7m2-x9qp-4tzd` (60 bits, no look-alike characters).
    public static func recoveryCode() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return [chars[0..<4], chars[4..<8], chars[8..<12]].map { String($0) }.joined(separator: "-")
    }
}

/// Authenticated encryption for secrets at rest (TOTP secrets), AES-256-GCM.
public struct SecretBox: Sendable {
    private let key: SymmetricKey

    /// Creates a box from a key of at least 32 bytes (longer keys are reduced with SHA-256).
    public init(key: [UInt8]) {
        self.key = SymmetricKey(data: key.count == 32 ? key : Array(SHA256.hash(data: key)))
    }

    /// Encrypts `plaintext`; the result carries nonce and tag.
    public func seal(_ plaintext: [UInt8]) throws -> Data {
        try AES.GCM.seal(plaintext, using: key).combined!
    }

    /// Decrypts what `seal` produced; throws if it was tampered with or sealed with another key.
    public func open(_ sealed: Data) throws -> [UInt8] {
        Array(try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key))
    }
}
