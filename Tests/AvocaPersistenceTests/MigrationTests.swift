import AvocaCore
import AvocaPersistence
import AvocaTestSupport
import Foundation
import Logging
import Testing

/// Migrations on the database scripts/test chose for this run (SQLite in memory, or PostgreSQL).
@Suite("Persistence: migrations", .timeLimit(.minutes(4)))
struct MigrationTests {
    @Test("an empty database has every migration pending; after migrate none is, and migrating again changes nothing")
    func migrateFromEmpty() async throws {
        let database = try AvocaDatabase(location: try await TestDatabase.fresh(), logger: Logger(label: "test"))
        do {
            let pending = try await database.pendingMigrations()
            #expect(pending.count >= 26)
            #expect(Set(pending).count == pending.count, "every migration has its own name")
            try await database.migrate()
            #expect(try await database.pendingMigrations().isEmpty)
            try await database.migrate()
            #expect(try await database.pendingMigrations().isEmpty)
            try await database.ping()
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    @Test("the migrated schema holds the rows every repository writes")
    func schemaTakesRows() async throws {
        try await TestDatabase.withMigrated { database in
            let identity = FluentIdentityRepository(database: database)
            let employee = try await identity.createEmployee(
                email: "pat@example.com", firstName: "Pat", lastName: "Lee", passwordHash: "x", now: Date())
            #expect(try await identity.employee(id: employee.id)?.email == "pat@example.com")

            let directory = FluentDirectoryRepository(database: database)
            let now = Date()
            var customer = Customer(id: .random(), createdAt: now, updatedAt: now)
            customer.firstName = "Maria"
            customer.mobileNumber = "(312) 555-0142"
            try await directory.createCustomer(customer)
            #expect(try await directory.customers(phoneDigits: PhoneNumber("(312) 555-0142")?.digits ?? "", limit: 5).map(\.id) == [customer.id])

            let calls = FluentCallRepository(database: database)
            let call = PhoneCall(
                id: .random(), phoneNumber: "+13125550142", state: .ringing, startedAt: now, lastActivityAt: now, createdAt: now, updatedAt: now)
            let (stored, created) = try await calls.startCall(call)
            #expect(created)
            let appended = try await calls.appendSegments([TranscriptSegment(seq: 1, speaker: .caller, text: "hello")], to: stored.id, at: now)
            #expect(appended.lastSeq == 1)
            #expect(try await calls.segments(of: stored.id, after: 0).first?.createdAt != nil, "the store stamps each segment")
        }
    }
}

@Suite("Storage: the SQLite file is private", .timeLimit(.minutes(4)))
struct PrivateStorageTests {
    @Test("a new SQLite database and the folders created for it are readable by their owner only")
    func sqliteFileIsPrivate() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("avoca-db-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/data/avoca.sqlite"
        let database = try AvocaDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        do {
            try await database.migrate()
            await database.shutdown()
        } catch {
            await database.shutdown()
            throw error
        }
        func mode(_ path: String) throws -> Int {
            try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        }
        #expect(try mode(root + "/data") == 0o700)
        #expect(try mode(path) == 0o600)
        for sidecar in [path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: sidecar) {
            #expect(try mode(sidecar) == 0o600, "\(sidecar)")
        }
    }
}
