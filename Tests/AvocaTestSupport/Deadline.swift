/// A wait in a test ran out of time.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    /// What the test was waiting for.
    public let waitingFor: String
    /// How long it waited.
    public let limit: Duration

    public var description: String { "gave up waiting for \(waitingFor) after \(limit)" }
}

/// Runs `body`, failing with `DeadlineExceeded` when it has not finished within `limit`. The body is
/// cancelled then, so every `for await` on a stream or socket inside it ends. Every wait in a test
/// goes through this (or an API with its own timeout): a test may fail, never hang.
public func withDeadline<T: Sendable>(
    _ limit: Duration = .seconds(20), waitingFor: String, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlineExceeded(waitingFor: waitingFor, limit: limit) }
        return value
    }
}
