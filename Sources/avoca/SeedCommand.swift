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
