import ArgumentParser
import AvocaCore
import AvocaDemoData
import AvocaPersistence
import AvocaServer
import Foundation

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
        results.append(
            Self.announce(
                try await measure("screen pop (caller number)", sample: sample, random: &random) { customer in
                    guard let digits = customer.phoneNumbers.first?.digits else { return nil }
                    return (digits, { _ = try await repository.customers(phoneDigits: digits, limit: 5) })
                }))
        results.append(
            Self.announce(
                try await measure("get customer by id", sample: sample, random: &random) { customer in
                    (customer.id.description, { _ = try await repository.customer(customer.id) })
                }))
        results.append(
            Self.announce(
                try await measure("list customers (no search)", sample: sample, random: &random) { _ in
                    ("page 1", { _ = try await repository.customers(CustomerQuery(search: nil, page: 1, pageSize: 10)) })
                }))
        results.append(
            Self.announce(
                try await measure("update customer", sample: sample, random: &random) { customer in
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
