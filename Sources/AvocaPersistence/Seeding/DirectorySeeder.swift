import AvocaCore
import AvocaDemoData
import FluentKit
import Foundation
import SQLKit

/// Bulk-loads demo customers (with their addresses and, on SQLite, their full-text rows) and jobs
/// from `DemoDataGenerator`, with multi-row INSERTs grouped into transactions. It writes the
/// same columns the directory repository writes, so seeded rows are indistinguishable from
/// customers created through the API. Meant for `avoca seed`, benchmarks and demo databases.
public struct DirectorySeeder: Sendable {
    /// What one run inserted.
    public struct Summary: Sendable, Equatable {
        /// Customers inserted.
        public var customers: Int
        /// Addresses inserted.
        public var addresses: Int
        /// Jobs inserted.
        public var jobs: Int
        /// Generator index of the first new customer (the number of customers there were before),
        /// so running the seeder twice with one seed adds new people instead of colliding.
        public var firstCustomerIndex: Int
        /// Wall-clock duration of the run.
        public var seconds: Double
    }

    private let database: AvocaDatabase
    /// The company time zone: date-only jobs cover whole days there.
    public let timeZone: TimeZone
    /// Rows per INSERT statement (customers have 18 columns: 500 rows stay well below both
    /// SQLite's 32,766 and PostgreSQL's 65,535 bind-parameter limits).
    public var rowsPerStatement = 500
    /// Rows per transaction. Few commits make bulk loading fast (on SQLite each one rewrites the
    /// touched index pages into the WAL and flushes an FTS segment), but a transaction that
    /// outgrows SQLite's page cache spills mid-way; 10,000 measured best on both databases.
    public var rowsPerTransaction = 10_000

    /// Creates a seeder writing to `database`.
    public init(database: AvocaDatabase, timeZone: TimeZone) {
        self.database = database
        self.timeZone = timeZone
    }

    /// Inserts `customers` customers (one or two addresses each) and `jobs` jobs spread over
    /// them, reporting `(done, total)` rows after every statement. Customers' jobs are a week
    /// apart, so they never overlap. Throws a validation error for negative counts or for jobs
    /// without customers to book them for.
    public func seed(
        customers: Int, jobs: Int, seed: UInt64, referenceDate: Date = Date(),
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> Summary {
        guard customers >= 0, jobs >= 0 else { throw DomainError.validation(message: "Counts cannot be negative.") }
        guard jobs == 0 || customers > 0 else { throw DomainError.validation(message: "Jobs are booked for the customers seeded in the same run.") }
        let started = Date()
        let sql = try database.db.sql
        let firstIndex = try await Self.count(of: "customers", on: sql)
        let firstInvoice = try await Self.maxInvoiceNumber(on: sql) + 1
        let generator = DemoDataGenerator(seed: seed, referenceDate: referenceDate)
        let total = customers + jobs
        let pragmas = try await SQLitePragmas.relax(sql, isSQLite: !database.location.isPostgres)
        var summary = Summary(customers: 0, addresses: 0, jobs: 0, firstCustomerIndex: firstIndex, seconds: 0)
        do {
            let rows = CustomerRows(generator: generator, firstIndex: firstIndex, writesFullText: !database.location.isPostgres)
            summary.addresses = try await load(count: customers, build: rows.batch) { done in progress(done, total) }
            summary.customers = customers
            let plan = JobPlan(
                generator: generator, customers: customers, jobs: jobs, firstCustomerIndex: firstIndex, firstInvoice: firstInvoice, timeZone: timeZone
            )
            _ = try await load(count: jobs, build: plan.batch) { done in progress(customers + done, total) }
            summary.jobs = jobs
            try await Self.analyze(sql, isSQLite: !database.location.isPostgres)
        } catch {
            try? await pragmas.restore(sql)
            throw error
        }
        try await pragmas.restore(sql)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Inserts `count` rows, one statement of `rowsPerStatement` rows at a time and one
    /// transaction per `rowsPerTransaction`, building the next statement while the current one
    /// runs (generation and SQL are both substantial at a million rows). Reports rows done after
    /// every statement; returns the sum of the batches' `extra` counts (e.g. addresses).
    private func load(
        count: Int, build: @escaping @Sendable (Range<Int>) -> SeedBatch, progress: @escaping @Sendable (Int) -> Void
    ) async throws -> Int {
        let perStatement = rowsPerStatement
        // Whole statements per transaction, so a transaction never splits a batch.
        let perTransaction = max(1, rowsPerTransaction / perStatement) * perStatement
        var extra = 0
        var start = 0
        var next = count > 0 ? build(0..<min(count, perStatement)) : nil
        while let first = next {
            let end = min(count, start + perTransaction)
            let chunkStart = start
            let isPostgres = database.location.isPostgres
            let (added, following) = try await database.db.transaction { tx -> (Int, SeedBatch?) in
                let sql = try tx.sql
                if isPostgres {
                    // Most of a PostgreSQL bulk load is trigram-GIN maintenance; merging a longer
                    // pending list less often, with more memory, saves some of it.
                    try await sql.raw("SET LOCAL gin_pending_list_limit = '64MB'").run()
                    try await sql.raw("SET LOCAL work_mem = '256MB'").run()
                }
                var batch = first
                var batchStart = chunkStart
                var added = 0
                while true {
                    let batchEnd = batchStart + batch.rows
                    async let upcoming = batchEnd < count ? build(batchEnd..<min(count, batchEnd + perStatement)) : nil
                    for statement in batch.statements { try await sql.execute(sql: statement) { _ in } }
                    added += batch.extra
                    progress(batchEnd)
                    let following = await upcoming
                    guard batchEnd < end, let following else { return (added, following) }
                    batch = following
                    batchStart = batchEnd
                }
            }
            extra += added
            start = end
            next = following
        }
        return extra
    }

    /// How many customers there are.
    public func customerCount() async throws -> Int {
        try await Self.count(of: "customers", on: database.db.sql)
    }

    /// Up to `count` customer ids picked uniformly at random (reproducibly from `seed`), for
    /// benchmarks that must query existing rows whatever seed filled the table. Each pick seeks
    /// the primary-key index at a random UUID, so it costs one index probe, not a scan.
    public func sampleCustomerIDs(_ count: Int, seed: UInt64) async throws -> [CustomerID] {
        let sql = try database.db.sql
        var random = SeededRandom(seed: seed, index: 0, stream: 5)
        var ids: [CustomerID] = []
        for _ in 0..<count {
            let probe = random.uuid()
            var row = try await sql.select().column("id").from("customers").where("id", .greaterThanOrEqual, SQLBind(probe)).orderBy("id").limit(1)
                .first()
            if row == nil { row = try await sql.select().column("id").from("customers").orderBy("id").limit(1).first() }
            guard let row else { break }
            ids.append(CustomerID(try row.decode(column: "id", as: UUID.self)))
        }
        return ids
    }

    /// Row count of a table.
    static func count(of table: String, on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The highest invoice number in use; 1000 when there are no jobs, matching the repository,
    /// which numbers the first job 1001.
    static func maxInvoiceNumber(on sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw("SELECT MAX(invoice_number) AS n FROM jobs").first()
        return try row?.decode(column: "n", as: Int?.self) ?? 1000
    }

    /// Refreshes planner statistics: after a bulk load they describe an empty table, and SQLite
    /// without `sqlite_stat1` may pick a sort index over a selective one.
    static func analyze(_ sql: any SQLDatabase, isSQLite: Bool) async throws {
        if isSQLite {
            // A sampled ANALYZE takes well under a second even at a million rows.
            try await sql.raw("PRAGMA analysis_limit = 1000").run()
            try await sql.raw("ANALYZE").run()
            try await sql.raw("PRAGMA analysis_limit = 0").run()
        } else {
            try await sql.raw("ANALYZE customers, addresses, jobs").run()
        }
    }
}

/// SQLite settings relaxed for the duration of a bulk load and restored afterwards. With
/// `synchronous=OFF` a power cut (not a crash of the process) could lose the last commits —
/// acceptable for demo data that can be regenerated, and several times faster.
struct SQLitePragmas: Sendable {
    let saved: [(name: String, value: Int)]

    /// Reads the current values and relaxes them; does nothing on PostgreSQL.
    static func relax(_ sql: any SQLDatabase, isSQLite: Bool) async throws -> SQLitePragmas {
        guard isSQLite else { return SQLitePragmas(saved: []) }
        var saved: [(String, Int)] = []
        // A bigger page cache keeps the random-UUID primary-key index and the FTS segments in memory.
        for (name, value) in [("synchronous", 0), ("cache_size", -262_144)] {
            let current = try await sql.raw("PRAGMA \(unsafeRaw: name)").first()?.decode(column: name, as: Int.self)
            if let current { saved.append((name, current)) }
            try await sql.raw("PRAGMA \(unsafeRaw: name) = \(unsafeRaw: String(value))").run()
        }
        return SQLitePragmas(saved: saved)
    }

    /// Puts the saved values back.
    func restore(_ sql: any SQLDatabase) async throws {
        for (name, value) in saved { try await sql.raw("PRAGMA \(unsafeRaw: name) = \(unsafeRaw: String(value))").run() }
    }
}

/// The statements for one run of rows.
struct SeedBatch: Sendable {
    /// Statements to execute in order.
    let statements: [any SQLExpression]
    /// Rows of the seeded kind (customers or jobs) they insert.
    let rows: Int
    /// Dependent rows also inserted (addresses).
    let extra: Int
}

/// Builds the INSERT statements for a range of generated customers: `customers`, `addresses`
/// and, on SQLite, the `customers_fts` rows the search reads (with their `customer_search_rows`).
struct CustomerRows: Sendable {
    let generator: DemoDataGenerator
    let firstIndex: Int
    let writesFullText: Bool

    static let customerColumns = [
        "id", "first_name", "last_name", "email", "mobile_number", "home_number", "work_number", "company", "notifications_enabled",
        "lead_source", "notes", "tags", "search_text", "phone_digits", "first_name_key", "last_name_key", "created_at", "updated_at",
    ]
    static let addressColumns = [
        "id", "customer_id", "type", "street", "street_line_2", "city", "state", "zip", "country", "latitude", "longitude", "created_at",
        "updated_at",
    ]

    /// The statements for customers `range` (relative to `firstIndex`); `extra` counts addresses.
    func batch(_ range: Range<Int>) -> SeedBatch {
        var customers = SQLInsert.into("customers", columns: Self.customerColumns)
        var addresses = SQLInsert.into("addresses", columns: Self.addressColumns)
        var fullText = SQLInsert.into("customers_fts", columns: ["customer_id", "search_text"])
        for index in range {
            let customer = generator.customer(index: firstIndex + index)
            let searchText = CustomerSearchTerm.searchText(for: customer)
            customers.values.append(Self.row(customer, searchText: searchText))
            fullText.values.append([SQLBind(customer.id.uuid), SQLBind(searchText)])
            for address in customer.addresses { addresses.values.append(Self.row(address)) }
        }
        return SeedBatch(
            statements: writesFullText ? [customers, addresses, fullText, CustomerSearchRows.recordNewRows] : [customers, addresses],
            rows: range.count, extra: addresses.values.count)
    }

    /// The `customers` row, derived columns included.
    static func row(_ customer: Customer, searchText: String) -> [any SQLExpression] {
        [
            SQLBind(customer.id.uuid), nullable(customer.firstName), nullable(customer.lastName), nullable(customer.email),
            nullable(customer.mobileNumber),
            nullable(customer.homeNumber), nullable(customer.workNumber), nullable(customer.company), SQLBind(customer.notificationsEnabled),
            nullable(customer.leadSource), nullable(customer.notes), SQLBind(jsonArray(customer.tags)), SQLBind(searchText),
            SQLBind(customer.phoneNumbers.map(\.digits).joined(separator: " ")), SQLBind(customer.firstName?.lowercased() ?? ""),
            SQLBind(customer.lastName?.lowercased() ?? ""), SQLBind(customer.createdAt), SQLBind(customer.updatedAt),
        ]
    }

    /// The `addresses` row.
    static func row(_ address: Address) -> [any SQLExpression] {
        [
            SQLBind(address.id.uuid), SQLBind(address.customerID.uuid), SQLBind(address.kind.rawValue), SQLBind(address.street),
            nullable(address.streetLine2), SQLBind(address.city), SQLBind(address.state), SQLBind(address.zip), SQLBind(address.country),
            nullable(address.latitude), nullable(address.longitude), SQLBind(address.createdAt), SQLBind(address.updatedAt),
        ]
    }

    /// The JSON text of a tag list. Demo tags are plain words, so no escaping is needed, and this
    /// is far cheaper than a JSONEncoder per row while producing the same `["a","b"]` text.
    static func jsonArray(_ tags: [String]) -> String {
        "[" + tags.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}

/// Which customer each job belongs to and in which week, decided up front so statement groups
/// can be built independently: job `k` of a customer lands `k` weeks after that customer's first
/// week, on one day of that week, so one customer's jobs never overlap.
struct JobPlan: Sendable {
    let generator: DemoDataGenerator
    let firstCustomerIndex: Int
    let firstInvoice: Int
    /// Per job: the customer (relative index) and how many earlier jobs that customer has.
    let assignments: [(customer: Int32, slot: UInt16)]
    /// Every schedule the plan can use, keyed by week and timing, with its texts (calendar maths
    /// and an ISO8601DateFormatter per job would dominate the run time).
    let schedules: [Int: [DemoDataGenerator.JobTiming: PlannedSchedule]]

    /// A schedule and the `scheduled_start`/`scheduled_end` texts the repository would store.
    struct PlannedSchedule: Sendable {
        let schedule: JobSchedule
        let startText: String
        let endText: String
    }

    static let columns = [
        "id", "invoice_number", "name", "description", "customer_id", "address_id", "work_status", "scheduled_start", "scheduled_end",
        "arrival_window", "period_start", "period_end", "total_amount", "outstanding_balance", "tags", "lead_source", "created_at",
        "updated_at",
    ]

    /// Plans `jobs` jobs over `customers` customers.
    init(generator: DemoDataGenerator, customers: Int, jobs: Int, firstCustomerIndex: Int, firstInvoice: Int, timeZone: TimeZone) {
        self.generator = generator
        self.firstCustomerIndex = firstCustomerIndex
        self.firstInvoice = firstInvoice
        var slots = [UInt16](repeating: 0, count: customers)
        var assignments: [(customer: Int32, slot: UInt16)] = []
        assignments.reserveCapacity(jobs)
        var random = SeededRandom(seed: generator.seed, index: firstInvoice, stream: 3)
        for _ in 0..<jobs {
            let customer = Int(random.next() % UInt64(max(customers, 1)))
            assignments.append((Int32(customer), slots[customer]))
            slots[customer] &+= 1
        }
        self.assignments = assignments
        let lastWeek = 8 + Int(slots.max() ?? 0)
        var schedules: [Int: [DemoDataGenerator.JobTiming: PlannedSchedule]] = [:]
        for week in -8...lastWeek {
            for timing in DemoDataGenerator.JobTiming.all {
                let schedule = generator.schedule(week: week, timing: timing, timeZone: timeZone)
                schedules[week, default: [:]][timing] = PlannedSchedule(
                    schedule: schedule, startText: schedule.start.text, endText: schedule.end.text)
            }
        }
        self.schedules = schedules
    }

    /// The statement for jobs `range`.
    func batch(_ range: Range<Int>) -> SeedBatch {
        var insert = SQLInsert.into("jobs", columns: Self.columns)
        for index in range { insert.values.append(row(job: index)) }
        return SeedBatch(statements: [insert], rows: range.count, extra: 0)
    }

    /// The `jobs` row of job `index` of this run.
    func row(job index: Int) -> [any SQLExpression] {
        let (customerOffset, slot) = assignments[index]
        let customerIndex = firstCustomerIndex + Int(customerOffset)
        // Regenerating the customer is cheaper than keeping a million of them in memory.
        let customer = generator.customer(index: customerIndex)
        let address = customer.addresses[Int(slot) % customer.addresses.count]
        let invoice = firstInvoice + index
        let details = generator.jobDetails(index: invoice)
        let week = generator.firstJobWeek(customerIndex: customerIndex) + Int(slot)
        let planned = schedules[week]![details.timing]!
        let schedule = planned.schedule
        // Booked a couple of weeks ahead, but never before the customer existed nor in the future.
        let createdAt = min(generator.referenceDate, max(customer.createdAt, schedule.periodStart.addingTimeInterval(-14 * 86_400)))
        var random = SeededRandom(seed: generator.seed, index: invoice, stream: 4)
        return [
            SQLBind(random.uuid()), SQLBind(invoice), SQLBind(details.name), nullable(details.description), SQLBind(customer.id.uuid),
            SQLBind(address.id.uuid), SQLBind(WorkStatus.scheduled.rawValue), SQLBind(planned.startText), SQLBind(planned.endText),
            SQLBind(schedule.arrivalWindow), SQLBind(schedule.periodStart), SQLBind(schedule.periodEnd), SQLBind(0), SQLBind(0),
            SQLBind("[]"), nullable(details.leadSource), SQLBind(createdAt), SQLBind(createdAt),
        ]
    }
}

extension SQLInsert {
    /// An INSERT into `table` with `columns` and no rows yet.
    static func into(_ table: String, columns: [String]) -> SQLInsert {
        var insert = SQLInsert(table: SQLIdentifier(table))
        insert.columns = columns.map { SQLIdentifier($0) }
        return insert
    }
}

/// A bound optional string; `nil` becomes a literal NULL (binding `nil` through an encoder costs
/// more and would leave PostgreSQL to infer the parameter's type).
private func nullable(_ value: String?) -> any SQLExpression { value.map { SQLBind($0) } ?? SQLLiteral.null }
