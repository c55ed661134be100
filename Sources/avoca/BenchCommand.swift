import ArgumentParser
import AvocaCore
import AvocaDemoData
import AvocaPersistence
import AvocaServer
import Foundation

/// `avoca bench-directory`: fills the directory to a realistic size and measures the operations
/// a CSR triggers during a call — customer search by name, phone and e-mail fragments, opening a
/// customer, booking a job (including the rejected overlap) — through the real repository, on
/// whichever database DATABASE_URL selects. Prints latency percentiles and the peak memory.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-directory",
        abstract: "Benchmark customer search and job booking on a large directory (DATABASE_URL selects the database).")

    @Option(help: "Directory size to measure at.") var customers = 1_000_000
    @Flag(help: "Keep the existing rows; only top the table up to --customers.") var reuse = false
    @Option(help: "Measured repetitions of each operation.") var iterations = 2000
    @Option(help: "Seconds each operation may take in total; a slow one stops early (its count shows how far it got).")
    var budget: Double = 60
    @Option(help: "Seed for the data and for the query choice.") var seed: UInt64 = 42

    func validate() throws {
        guard customers > 0, iterations > 0, budget > 0 else { throw ValidationError("--customers, --iterations and --budget must be positive.") }
    }

    func run() async throws {
        let config = try CommandSupport.config(ProcessInfo.processInfo.environment)
        try await CommandSupport.withServices { services in
            let seeder = DirectorySeeder(database: services.database, timeZone: config.timeZone)
            let existing = try await seeder.customerCount()
            let missing = reuse ? max(0, customers - existing) : customers
            ProgressBar.emit("Database: \(CommandSupport.describe(config.database)), \(existing) customers.\n")
            if missing > 0 {
                ProgressBar.emit("Seeding \(missing) customers and \(missing / 4) jobs…\n")
                let bar = ProgressBar(label: "seed")
                let summary = try await seeder.seed(customers: missing, jobs: missing / 4, seed: seed) { bar.update(done: $0, total: $1) }
                bar.finish()
                ProgressBar.emit(SeedCommand.describe(summary) + "\n")
            }
            let bench = DirectoryBench(
                repository: FluentDirectoryRepository(database: services.database), timeZone: config.timeZone, iterations: iterations,
                budget: .milliseconds(Int(budget * 1000)), seed: seed)
            let sample = try await bench.loadSample(ids: try await seeder.sampleCustomerIDs(min(iterations, 1000), seed: seed))
            ProgressBar.emit("Measuring up to \(iterations) calls (\(Int(budget)) s at most) per operation over \(sample.count) sampled customers…\n")
            let results = try await bench.run(sample: sample)
            ProgressBar.emit(BenchReport.table(results))
            ProgressBar.emit("Peak RSS: \(BenchReport.peakRSS())\n")
        }
    }
}
