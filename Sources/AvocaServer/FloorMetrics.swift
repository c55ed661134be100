import AvocaCalls
import AvocaCore
import Metrics

/// Prometheus gauges of the live floor. They are refreshed from the database on every scrape, so
/// each instance reports the same company-wide numbers and an idle instance is never stale.
enum FloorMetrics {
    static let callsWaiting = Gauge(label: "avoca_calls_waiting")
    static let longestWait = Gauge(label: "avoca_longest_wait_seconds")
    static let agents = Dictionary(
        uniqueKeysWithValues: PresenceStatus.allCases.map { ($0, Gauge(label: "avoca_agents", dimensions: [("state", $0.rawValue)])) })

    /// Reads the floor and records it.
    static func refresh(from calls: CallService) async throws {
        let floor = try await calls.floor()
        callsWaiting.record(floor.callsWaiting)
        longestWait.record(floor.longestWaitSeconds)
        for (state, gauge) in agents { gauge.record(floor.agents[state] ?? 0) }
    }
}
