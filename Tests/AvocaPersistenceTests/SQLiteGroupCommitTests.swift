import AvocaCore
import Foundation
import Logging
import SQLKit
import Testing

@testable import AvocaPersistence

/// SQLite's hot writes (transcript appends, bookings) share transactions, one fsync for many; each
/// still stands or falls on its own, and none is answered before it is on disk.
@Suite("Persistence: SQLite group commit", .timeLimit(.minutes(2)))
struct SQLiteGroupCommitTests {
    @Test(
        "40 concurrent writes, every fourth failing after its insert, then a lone failing and a lone good write: each caller gets its own answer, only the good writes are stored and readable from another connection"
    )
    func writesStandOnTheirOwn() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("group-commit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("avoca.sqlite").path
        let database = try AvocaDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        try await database.migrate()
        try await database.execute("CREATE TABLE grouped (n INTEGER NOT NULL)")
        struct Refused: Error {}
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { tasks in
            for n in 0..<40 {
                tasks.addTask {
                    do {
                        let echoed = try await database.write { tx in
                            try await tx.sql.raw("INSERT INTO grouped (n) VALUES (\(bind: n))").run()
                            if n % 4 == 3 { throw Refused() }
                            return n
                        }
                        return (n, n % 4 != 3 && echoed == n)
                    } catch {
                        return (n, n % 4 == 3 && error is Refused)
                    }
                }
            }
            return await tasks.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes.count == 40)
        #expect(outcomes.filter { !$0.value }.isEmpty, "every caller got its own answer")
        // Alone in its transaction, a failing write is undone with it.
        await #expect(throws: Refused.self) {
            try await database.write { tx in
                try await tx.sql.raw("INSERT INTO grouped (n) VALUES (100)").run()
                throw Refused()
            }
        }
        // A lone write that succeeds is stored.
        let lone = try await database.write { tx in
            try await tx.sql.raw("INSERT INTO grouped (n) VALUES (101)").run()
            return 101
        }
        #expect(lone == 101)
        await database.shutdown()
        // A new connection reads what the file holds: every write that was answered with success.
        let reopened = try AvocaDatabase(location: .sqliteFile(path: path), logger: Logger(label: "test"))
        let rows = try await reopened.db.sql.raw("SELECT n FROM grouped ORDER BY n").all().map { try $0.decode(column: "n", as: Int.self) }
        await reopened.shutdown()
        #expect(rows == (0..<40).filter { $0 % 4 != 3 } + [101])
    }
}
