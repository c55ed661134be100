import Foundation

/// An identifier that cannot be mixed up with another entity's: `ID<EmployeeTag>` is not `ID<SessionTag>`.
public struct ID<Tag>: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying UUID.
    public let uuid: UUID

    /// Wraps an existing UUID.
    public init(_ uuid: UUID) { self.uuid = uuid }
    /// A new random identifier.
    public static func random() -> ID { ID(UUID()) }
    /// Parses the lower-case string form; `nil` when it is not a UUID.
    public init?(_ string: String) {
        guard let uuid = UUID(uuidString: string) else { return nil }
        self.uuid = uuid
    }
    /// The lower-case UUID string used in JSON and URLs.
    public var description: String { uuid.uuidString.lowercased() }
}

/// Tag for employee identifiers.
public enum EmployeeTag {}
/// Tag for session identifiers.
public enum SessionTag {}
/// Tag for API key identifiers.
public enum APIKeyTag {}

/// Identifies an employee.
public typealias EmployeeID = ID<EmployeeTag>
/// Identifies a sign-in session.
public typealias SessionID = ID<SessionTag>
/// Identifies an API key.
public typealias APIKeyID = ID<APIKeyTag>
