import Foundation

/// What an API key may do.
public enum APIKeyScope: String, Sendable, Codable, CaseIterable {
    /// Read customers, addresses, jobs, employees.
    case directoryRead = "directory:read"
    /// Create and change customers, addresses, jobs.
    case directoryWrite = "directory:write"
    /// Start calls, stream transcript, end calls (the telephony bridge).
    case callsIngest = "calls:ingest"
    /// Read calls.
    case callsRead = "calls:read"
    /// Read the call reports (daily figures and the per-call export).
    case reportsRead = "reports:read"
}

/// An integration credential (`Authorization: Token <key>`), stored hashed.
public struct APIKey: Sendable, Equatable {
    /// Identifier.
    public var id: APIKeyID
    /// A human label.
    public var name: String
    /// Permissions.
    public var scopes: [APIKeyScope]
    /// First characters of the key, to recognise it in lists.
    public var prefix: String
    /// Keyed hash of the whole key.
    public var keyHash: String
    /// Creation time.
    public var createdAt: Date
    /// Last successful use.
    public var lastUsedAt: Date?
    /// When it was revoked.
    public var revokedAt: Date?

    /// Creates an API key value.
    public init(
        id: APIKeyID, name: String, scopes: [APIKeyScope], prefix: String, keyHash: String, createdAt: Date,
        lastUsedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.prefix = prefix
        self.keyHash = keyHash
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}
