import AvocaPersistence
import AvocaTestSupport
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// SQLite's calls block a thread. They used to share NIO's process-wide pool with bcrypt, so while
/// sign-ins (or a password-spraying client) kept that pool busy, every query waited behind them.
@Suite("Persistence: SQLite queries do not wait for the shared blocking pool", .timeLimit(.minutes(2)))
struct SQLiteThreadPoolTests {
    @Test("with every thread of the shared pool blocked, a SQLite database still opens and answers")
    func queriesWhileSharedPoolIsBusy() async throws {
        let gate = Gate()
        let threads = NIOSingletons.blockingPoolThreadCountSuggestion
        let blockers = (0..<threads).map { _ in
            Task { try await NIOThreadPool.singleton.runIfActive { gate.hold() } }
        }
        defer {
            gate.open()
            for blocker in blockers { blocker.cancel() }
        }
        // Every shared thread is held before the database is touched (other tests' work may be
        // ahead of the blockers in the queue; it finishes in its own time).
        try await withDeadline(waitingFor: "the shared pool's threads to be held") {
            while gate.held < threads { try await Task.sleep(for: .milliseconds(5)) }
        }
        // Before the fix the query waited for the gate; the gate opens by itself after 60 s so
        // that version fails instead of hanging (a loaded machine needs far less than that).
        let failsafe = Task {
            try await Task.sleep(for: .seconds(60))
            gate.open()
        }
        defer { failsafe.cancel() }
        let database = try AvocaDatabase(location: .sqliteMemory, logger: Logger(label: "t"))
        do {
            try await database.ping()
        } catch {
            await database.shutdown()
            throw error
        }
        let answeredWhileHeld = !gate.isOpen
        await database.shutdown()
        #expect(answeredWhileHeld)
        #expect(gate.held == threads)
    }
}

/// Holds the shared pool's threads until opened.
private final class Gate: Sendable {
    private let state = Mutex((held: 0, open: false))

    var held: Int { state.withLock { $0.held } }
    var isOpen: Bool { state.withLock { $0.open } }

    func hold() {
        state.withLock { $0.held += 1 }
        while !state.withLock({ $0.open }) { usleep(1_000) }
    }

    func open() { state.withLock { $0.open = true } }
}

@Suite("Persistence: a query after the database closed", .timeLimit(.minutes(2)))
struct ClosedDatabaseTests {
    @Test("a late query (a background task finishing after shutdown) fails with an error; it neither hangs nor traps")
    func lateQuery() async throws {
        let database = try AvocaDatabase(location: .sqliteMemory, logger: Logger(label: "t"))
        try await database.migrate()
        await database.shutdown()
        await #expect(throws: (any Error).self) {
            try await withDeadline(waitingFor: "a query on a closed database to fail") { try await database.ping() }
        }
        // Another database opened afterwards works as usual.
        let next = try AvocaDatabase(location: .sqliteMemory, logger: Logger(label: "t"))
        try await next.ping()
        await next.shutdown()
    }
}
