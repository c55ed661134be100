import ArgumentParser
import AvocaCore
import AvocaPersistence
import AvocaServer
import Foundation

/// `avoca bench-directory`: fills the directory to a realistic size and measures the operations
/// a CSR triggers during a call — customer search by name, phone and e-mail fragments, opening a
/// customer, booking a job (including the rejected overlap) — through the real repository, on
/// whichever database DATABASE_URL selects. Prints latency percentiles and the peak memory.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-directory", abstract: "Benchmark customer search and job booking on a large directory (DATABASE_URL selects the database).")

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

/// The measured operations, run sequentially so each latency is one round trip of the repository.
struct DirectoryBench: Sendable {
    let repository: FluentDirectoryRepository
    let timeZone: TimeZone
    let iterations: Int
    /// Wall time one operation may use; the rest of its iterations are skipped.
    let budget: Duration
    let seed: UInt64

    /// Loads the sampled customers (this also warms the caches a little, like a running server's).
    func loadSample(ids: [CustomerID]) async throws -> [Customer] {
        var customers: [Customer] = []
        for id in ids { if let customer = try await repository.customer(id) { customers.append(customer) } }
        guard !customers.isEmpty else { throw ValidationError("The customers table is empty.") }
        return customers
    }

    /// Runs every operation `iterations` times (or until its budget is spent) after a short
    /// unmeasured warm-up for the searches, announcing each as it finishes.
    func run(sample: [Customer]) async throws -> [OperationResult] {
        var random = SeededRandom(seed: seed, index: 0, stream: 9)
        let searches: [(String, (Customer, inout SeededRandom) -> String?)] = [
            ("search first 1-2 letters", Self.firstLetters),
            ("search name fragment", Self.nameFragment),
            ("search phone 7 digits", Self.phoneSevenDigits),
            ("search phone \"(312) 555-01\"", Self.phoneFormattedPrefix),
            ("search e-mail fragment", Self.emailFragment),
        ]
        var results: [OperationResult] = []
        for (name, makeQuery) in searches {
            var result = OperationResult(name: name)
            let warmUp = min(50, iterations / 10)
            var done = 0
            let started = ContinuousClock.now
            while done < iterations + warmUp, ContinuousClock.now - started < budget {
                guard let text = makeQuery(random.pick(sample), &random), let term = CustomerSearchTerm(text) else { continue }
                let query = CustomerQuery(search: term, page: 1, pageSize: 10)
                let start = ContinuousClock.now
                let page = try await repository.customers(query)
                if done >= warmUp { result.record(ContinuousClock.now - start, input: text, hits: page.totalItems) }
                done += 1
            }
            results.append(Self.announce(result))
        }
        results.append(Self.announce(try await measure("screen pop (caller number)", sample: sample, random: &random) { customer in
            guard let digits = customer.phoneNumbers.first?.digits else { return nil }
            return (digits, { _ = try await repository.customers(phoneDigits: digits, limit: 5) })
        }))
        results.append(Self.announce(try await measure("get customer by id", sample: sample, random: &random) { customer in
            (customer.id.description, { _ = try await repository.customer(customer.id) })
        }))
        results.append(Self.announce(try await measure("list customers (no search)", sample: sample, random: &random) { _ in
            ("page 1", { _ = try await repository.customers(CustomerQuery(search: nil, page: 1, pageSize: 10)) })
        }))
        results.append(Self.announce(try await measure("update customer", sample: sample, random: &random) { customer in
            var edited = customer
            edited.notes = "Gate code \(Int.random(in: 1000...9999))"
            edited.updatedAt = Date()
            return (customer.id.description, { try await repository.updateCustomer(edited) })
        }))
        results += try await bookings(random: &random).map(Self.announce)
        return results
    }

    /// Times `iterations` calls built by `make` from random sampled customers (nil = skip).
    private func measure(
        _ name: String, sample: [Customer], random: inout SeededRandom,
        make: (Customer) -> (input: String, call: () async throws -> Void)?
    ) async throws -> OperationResult {
        var result = OperationResult(name: name)
        var done = 0
        let started = ContinuousClock.now
        while done < iterations, ContinuousClock.now - started < budget {
            guard let made = make(random.pick(sample)) else { continue }
            let start = ContinuousClock.now
            try await made.call()
            result.record(ContinuousClock.now - start, input: made.input)
            done += 1
        }
        return result
    }

    /// New customers booking jobs: every customer gets one accepted job, and every other
    /// customer then a second, overlapping one on purpose, so the 409 path is measured too.
    private func bookings(random: inout SeededRandom) async throws -> [OperationResult] {
        var created = OperationResult(name: "create customer")
        var booked = OperationResult(name: "create job (accepted)")
        var rejected = OperationResult(name: "create job (409 overlap)")
        let generator = DemoDataGenerator(seed: random.next(), referenceDate: Date())
        let started = ContinuousClock.now
        for index in 0..<iterations where ContinuousClock.now - started < budget {
            // Fresh identifiers: the generator's are reproducible and could exist from an earlier run.
            var customer = generator.customer(index: index)
            customer.id = .random()
            customer.addresses = customer.addresses.map { address in
                var copy = address
                copy.id = .random()
                copy.customerID = customer.id
                return copy
            }
            var start = ContinuousClock.now
            try await repository.createCustomer(customer)
            created.record(ContinuousClock.now - start, input: customer.id.description)

            let timing = DemoDataGenerator.JobTiming(weekday: index % 5, startHour: index % 2 == 0 ? nil : 10)
            let schedule = generator.schedule(week: 2 + index % 20, timing: timing, timeZone: timeZone)
            start = ContinuousClock.now
            _ = try await repository.createJob(newJob(customer, schedule: schedule))
            booked.record(ContinuousClock.now - start, input: customer.id.description)

            guard index % 2 == 0 else { continue }
            // An hour inside the whole day booked above.
            let clash = try JobSchedule(
                start: .instant(schedule.periodStart.addingTimeInterval(9 * 3600)), end: .instant(schedule.periodStart.addingTimeInterval(10 * 3600)),
                arrivalWindow: 0, timeZone: timeZone)
            start = ContinuousClock.now
            do {
                _ = try await repository.createJob(newJob(customer, schedule: clash))
                throw ValidationError("An overlapping job was accepted for customer \(customer.id).")
            } catch DomainError.conflict(let code, _, _) where code == "job_overlap" {
                rejected.record(ContinuousClock.now - start, input: customer.id.description)
            }
        }
        return [created, booked, rejected]
    }

    /// Prints that an operation is done, so a long run shows where it is.
    private static func announce(_ result: OperationResult) -> OperationResult {
        ProgressBar.emit("  \(result.name): \(result.seconds.count) calls, \(String(format: "%.1f", result.seconds.reduce(0, +))) s\n")
        return result
    }

    private func newJob(_ customer: Customer, schedule: JobSchedule) -> NewJob {
        NewJob(
            id: .random(), invoiceNumber: nil, name: "Drain cleaning", description: nil, customerID: customer.id, addressID: customer.addresses[0].id,
            schedule: schedule, assignedEmployeeIDs: [], tags: [], leadSource: "Benchmark", notes: [], createdAt: Date())
    }

    /// The first one or two letters of a last name: the first keystrokes of a search.
    static func firstLetters(_ customer: Customer, _ random: inout SeededRandom) -> String? {
        let letters = (customer.lastName ?? "").lowercased().filter(\.isLetter)
        return letters.isEmpty ? nil : String(letters.prefix(random.int(in: 1...2)))
    }

    /// 3–5 consecutive letters of the first or last name, as a CSR types while listening.
    static func nameFragment(_ customer: Customer, _ random: inout SeededRandom) -> String? {
        let name = (random.chance(50) ? customer.firstName : customer.lastName) ?? ""
        let letters = Array(name.lowercased().filter(\.isLetter))
        guard letters.count >= 3 else { return nil }
        let length = min(letters.count, random.int(in: 3...5))
        let start = random.int(in: 0...(letters.count - length))
        return String(letters[start..<(start + length)])
    }

    /// The last seven digits of a number (exchange and line), typed without punctuation.
    static func phoneSevenDigits(_ customer: Customer, _ random: inout SeededRandom) -> String? {
        guard let digits = customer.phoneNumbers.first?.digits else { return nil }
        return String(digits.suffix(7))
    }

    /// A formatted prefix as typed from a caller ID: "(312) 555-01".
    static func phoneFormattedPrefix(_ customer: Customer, _ random: inout SeededRandom) -> String? {
        guard let digits = customer.phoneNumbers.first?.digits, digits.count == 11 else { return nil }
        let d = Array(digits.dropFirst())
        return "(\(String(d[0..<3]))) \(String(d[3..<6]))-\(String(d[6..<8]))"
    }

    /// Five to eight consecutive characters of the e-mail's local part, as typed while a caller
    /// spells it ("kayla_ag"). Fragments of the domain ("gmail.c") would match a third of the table
    /// and measure nothing a CSR does.
    static func emailFragment(_ customer: Customer, _ random: inout SeededRandom) -> String? {
        guard let local = customer.email?.split(separator: "@").first.map(Array.init), local.count >= 3 else { return nil }
        let length = min(local.count, random.int(in: 5...8))
        let start = random.int(in: 0...(local.count - length))
        let fragment = String(local[start..<(start + length)])
        // All-digit pieces ("1987") would be read as a phone search.
        return fragment.allSatisfy(\.isNumber) ? nil : fragment
    }
}

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
                    + ms(percentile(sorted, 0.99)) + ms(sorted.last ?? 0) + pad(String(format: "%.0f", total > 0 ? Double(sorted.count) / total : 0), 9, left: true)
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
