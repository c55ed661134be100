import ArgumentParser
import AvocaCore
import AvocaDemoData
import AvocaPersistence
import AvocaServer
import Foundation

/// Formatting of the benchmark's output.
enum BenchReport {
    /// The results as an aligned text table with percentiles in milliseconds.
    static func table(_ results: [OperationResult]) -> String {
        var lines = [
            pad("operation", 30) + pad("count", 7, left: true) + pad("p50 ms", 9, left: true) + pad("p95 ms", 9, left: true)
                + pad("p99 ms", 9, left: true) + pad("max ms", 9, left: true) + pad("ops/s", 9, left: true) + pad("avg hits", 10, left: true)
        ]
        lines.append(String(repeating: "-", count: lines[0].count))
        for result in results {
            let sorted = result.seconds.sorted()
            let total = sorted.reduce(0, +)
            let hits = result.hits.isEmpty ? "" : String(result.hits.reduce(0, +) / result.hits.count)
            lines.append(
                pad(result.name, 30) + pad(String(sorted.count), 7, left: true) + ms(percentile(sorted, 0.50)) + ms(percentile(sorted, 0.95))
                    + ms(percentile(sorted, 0.99)) + ms(sorted.last ?? 0)
                    + pad(String(format: "%.0f", total > 0 ? Double(sorted.count) / total : 0), 9, left: true)
                    + pad(hits, 10, left: true))
        }
        lines.append("")
        lines.append("Slowest inputs:")
        for result in results where !result.hits.isEmpty || result.name.hasPrefix("screen") {
            lines.append("  \(result.name): \"\(result.slowestInput)\" \(String(format: "%.1f", (result.seconds.max() ?? 0) * 1000)) ms")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
    }

    /// The process's peak resident set size (VmHWM), or "unknown" off Linux.
    static func peakRSS() -> String {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return "unknown" }
        return String(format: "%.1f MiB", Double(kilobytes) / 1024)
    }

    private static func ms(_ seconds: Double) -> String { pad(String(format: "%.2f", seconds * 1000), 9, left: true) }

    private static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let space = String(repeating: " ", count: max(0, width - text.count))
        return left ? space + text : text + space
    }
}
