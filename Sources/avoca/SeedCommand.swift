import ArgumentParser
import AvocaPersistence
import AvocaServer
import Foundation
import Synchronization

/// `avoca seed`: bulk-inserts reproducible demo customers (with addresses) and jobs, e.g. to try
/// the console on a realistic directory or to measure search at a million customers.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Insert demo customers (with addresses) and jobs in bulk (DATABASE_URL selects the database).")

    @Option(help: "Customers to insert.") var customers = 1000
    @Option(help: "Jobs to insert, spread over the new customers (never overlapping).") var jobs = 500
    @Option(help: "Generator seed: the same seed gives the same people.") var seed: UInt64 = 42
    /// For tuning the loader on other hardware.
    @Option(help: .hidden) var rowsPerTransaction: Int?

    func validate() throws {
        guard customers >= 0, jobs >= 0 else { throw ValidationError("--customers and --jobs cannot be negative.") }
        guard jobs == 0 || customers > 0 else { throw ValidationError("--jobs needs --customers: jobs are booked for the new customers.") }
    }

    func run() async throws {
        let config = try CommandSupport.config(ProcessInfo.processInfo.environment)
        try await CommandSupport.withServices { services in
            ProgressBar.emit("Seeding \(customers) customers and \(jobs) jobs into \(CommandSupport.describe(config.database)) (seed \(seed))…\n")
            let bar = ProgressBar(label: "seed")
            var seeder = DirectorySeeder(database: services.database, timeZone: config.timeZone)
            if let rowsPerTransaction { seeder.rowsPerTransaction = rowsPerTransaction }
            let summary = try await seeder.seed(customers: customers, jobs: jobs, seed: seed) { done, total in bar.update(done: done, total: total) }
            bar.finish()
            ProgressBar.emit(SeedCommand.describe(summary) + "\n")
        }
    }

    /// One line saying what a seeding run did and how fast.
    static func describe(_ summary: DirectorySeeder.Summary) -> String {
        let rate = summary.seconds > 0 ? Int(Double(summary.customers + summary.jobs) / summary.seconds) : 0
        return "Inserted \(summary.customers) customers (\(summary.addresses) addresses) and \(summary.jobs) jobs in "
            + String(format: "%.1f s", summary.seconds) + " (\(rate) rows/s)."
    }
}

/// Progress of a long command: a bar redrawn in place on a terminal, a plain line every 10%
/// otherwise (so logs and CI output stay readable).
final class ProgressBar: Sendable {
    private struct State {
        var lastDraw = Date.distantPast
        var lastTenth = 0
        var drawn = false
    }

    private let label: String
    private let started = Date()
    private let isTerminal = isatty(1) == 1
    private let state = Mutex(State())

    /// Creates a bar; nothing is printed until the first update.
    init(label: String) { self.label = label }

    /// Reports `done` of `total` units.
    func update(done: Int, total: Int) {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let elapsed = Int(Date().timeIntervalSince(started))
        state.withLock { state in
            if isTerminal {
                // Redrawing more than a few times a second only costs time.
                guard done == total || Date().timeIntervalSince(state.lastDraw) >= 0.2 else { return }
                state.lastDraw = Date()
                state.drawn = true
                let width = 30
                let filled = Int(fraction * Double(width))
                let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
                Self.emit("\r[\(bar)] \(Int(fraction * 100))% \(done)/\(total) \(elapsed)s")
            } else {
                let tenth = Int(fraction * 10)
                guard tenth > state.lastTenth else { return }
                state.lastTenth = tenth
                Self.emit("\(label): \(tenth * 10)% \(done)/\(total) \(elapsed)s\n")
            }
        }
    }

    /// Ends the redrawn line so later output starts on a fresh one.
    func finish() {
        state.withLock { state in
            if isTerminal && state.drawn { Self.emit("\n") }
        }
    }

    /// Writes straight to standard output. Unbuffered like the bar itself, so lines never
    /// appear out of order when stdout is a pipe (where `print` would buffer).
    static func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
