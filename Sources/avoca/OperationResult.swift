import ArgumentParser
import AvocaCore
import AvocaDemoData
import AvocaPersistence
import AvocaServer
import Foundation

/// Latencies of one operation.
struct OperationResult: Sendable {
    /// What was measured.
    var name: String
    /// One duration per call, in seconds.
    var seconds: [Double] = []
    /// Matches per call (searches), for context.
    var hits: [Int] = []
    /// The input of the slowest call, to reproduce it (e.g. with EXPLAIN).
    var slowestInput = ""
    private var slowest = 0.0

    /// Creates an empty result.
    init(name: String) { self.name = name }

    /// Records one call.
    mutating func record(_ duration: Duration, input: String, hits: Int? = nil) {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        seconds.append(value)
        if let hits { self.hits.append(hits) }
        if value > slowest {
            slowest = value
            slowestInput = input
        }
    }
}
