import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing off the event loops (it is deliberately slow).
public struct PasswordHasher: Sendable {
    private let cost: UInt8
    /// A hash of a random password, verified against when the account does not exist, so an
    /// unknown address costs the same time as a wrong password.
    private let decoyHash: String

    /// Creates a hasher with the given work factor.
    public init(cost: UInt8) {
        self.cost = cost
        decoyHash = Bcrypt.hash(UUID().uuidString, cost: cost)
    }

    /// Hashes a password.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks a password against a hash; with `nil` it burns the same time and answers `false`.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        let target = hash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return hash != nil && matches
    }
}
