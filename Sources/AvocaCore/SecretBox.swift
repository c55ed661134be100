import Crypto
import Foundation

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
