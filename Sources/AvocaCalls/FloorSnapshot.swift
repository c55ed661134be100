import AvocaCore
import Foundation

/// The live floor at one instant, as an operator alerts on it.
public struct FloorSnapshot: Sendable, Equatable {
    /// Calls ringing now, unclaimed.
    public var callsWaiting: Int
    /// How long the longest-waiting ringing caller has waited; 0 when nobody waits.
    public var longestWaitSeconds: Double
    /// Employees by presence state, every state listed.
    public var agents: [PresenceStatus: Int]

    /// Creates a snapshot.
    public init(callsWaiting: Int, longestWaitSeconds: Double, agents: [PresenceStatus: Int]) {
        self.callsWaiting = callsWaiting
        self.longestWaitSeconds = longestWaitSeconds
        self.agents = agents
    }
}
