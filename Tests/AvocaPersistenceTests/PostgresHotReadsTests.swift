import AvocaCore
import AvocaTestSupport
import Foundation
import Logging
import Testing

@testable import AvocaPersistence

/// The primary-key read of a customer runs as a prepared statement on PostgresNIO's own pool; it
/// must answer exactly what the general (SQLKit) read answers.
@Suite(
    "Persistence: the prepared customer read on PostgreSQL", .timeLimit(.minutes(2)),
    .enabled(if: TestDatabase.adminURL != nil, "PostgreSQL only: SQLite reads through its one connection"))
struct PostgresHotReadsTests {
    @Test("a customer without addresses, one with every field and three addresses, and an unknown id read the same on both paths")
    func sameAsGeneralRead() async throws {
        try await TestDatabase.withMigrated { database in
            let hotPaths = try #require(database.hotPaths)
            let directory = FluentDirectoryRepository(database: database)
            // Microseconds: what PostgreSQL's timestamps keep.
            let now = Date(timeIntervalSince1970: 1_790_000_000.123456)
            let sparse = Customer(id: .random(), createdAt: now, updatedAt: now)
            var full = Customer(
                id: .random(), firstName: "Zoë \"Z\"", lastName: "O'Brien-Łukasz", email: "zoe+home@example.com", mobileNumber: "(555) 010-2000",
                homeNumber: "555 010 2001", workNumber: "+1 555 010 2002", company: "Back\\slash & Co\n", notificationsEnabled: true,
                leadSource: "Yelp", notes: "Gate code 1234 — dog 🐕", tags: ["vip", "net-30"], createdAt: now, updatedAt: now.addingTimeInterval(60))
            try await directory.createCustomer(sparse)
            try await directory.createCustomer(full)
            for (offset, street) in ["1 First St", "2 Second Ave", "3 Third Blvd"].enumerated() {
                let at = now.addingTimeInterval(Double(offset))
                let address = Address(
                    id: .random(), customerID: full.id, kind: offset == 1 ? .billing : .service, street: street,
                    streetLine2: offset == 0 ? "Apt 4" : nil, city: "Austin", state: "TX", zip: "7870\(offset)", country: "US",
                    latitude: offset == 2 ? "30.2672" : nil, longitude: offset == 2 ? "-97.7431" : nil, createdAt: at, updatedAt: at)
                _ = try await directory.addAddress(address, unlessOnFile: { _ in false })
                full.addresses.append(address)
            }

            for customer in [sparse, full] {
                let hot = try await hotPaths.customer(customer.id)
                let general = try await directory.customers(ids: [customer.id.uuid]).first
                #expect(hot == general)
                #expect(hot?.addresses.map(\.street) == customer.addresses.map(\.street))
                #expect(hot?.tags == customer.tags)
            }
            #expect(try await hotPaths.customer(.random()) == nil)
            // The repository's read is the prepared one.
            #expect(try await directory.customer(full.id) == hotPaths.customer(full.id))
        }
    }

    @Test("a read after the database closed fails with an error; it does not hang")
    func lateRead() async throws {
        let database = try AvocaDatabase(location: try await TestDatabase.fresh(), logger: Logger(label: "t"))
        try await database.migrate()
        let hotPaths = try #require(database.hotPaths)
        _ = try await hotPaths.customer(.random())
        await database.shutdown()
        await #expect(throws: (any Error).self) {
            try await withDeadline(waitingFor: "a read on a closed pool to fail") { try await hotPaths.customer(.random()) }
        }
    }
}

@Suite("Persistence: the prepared reads' pool reads DATABASE_URL as PostgresKit does")
struct PostgresHotReadsConfigurationTests {
    @Test("user, percent-encoded password, host, port, database")
    func parts() throws {
        let configuration = try PostgresHotPaths.configuration("postgres://avoca:p%40ss%3Aword@db.internal:6543/avoca_prod")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "avoca")
        #expect(configuration.password == "p@ss:word")
        #expect(configuration.database == "avoca_prod")
        let defaults = try PostgresHotPaths.configuration("postgresql://avoca@localhost")
        #expect(defaults.port == 5432)
        #expect(defaults.password == nil)
        #expect(defaults.database == nil)
    }

    @Test("sslmode values PostgreSQL knows are accepted; an unknown one, or no user or host, is refused")
    func refusals() throws {
        for mode in ["disable", "prefer", "require", "verify-full"] {
            _ = try PostgresHotPaths.configuration("postgres://u@h/db?sslmode=\(mode)")
        }
        for url in ["postgres://u@h/db?sslmode=sometimes", "postgres://h/db", "postgres://u@/db"] {
            #expect(throws: DomainError.self, "\(url)") { try PostgresHotPaths.configuration(url) }
        }
    }
}
