import Foundation

/// Extra, machine-readable facts attached to a conflict.
public struct ConflictDetails: Equatable, Sendable {
    /// Jobs that collide with the requested schedule.
    public var conflictingJobIDs: [String]
    /// The employee that owns the contested resource (a claimed call).
    public var ownerEmployeeID: String?
    /// For a transcript gap: the seq the server expects next.
    public var expectedSeq: Int?

    /// Creates conflict details.
    public init(conflictingJobIDs: [String] = [], ownerEmployeeID: String? = nil, expectedSeq: Int? = nil) {
        self.conflictingJobIDs = conflictingJobIDs
        self.ownerEmployeeID = ownerEmployeeID
        self.expectedSeq = expectedSeq
    }
}
