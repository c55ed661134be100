import FluentKit
import SQLKit

/// SQLite: writes that arrive while another is committing share the next transaction. The single
/// connection runs one transaction at a time, and in WAL mode with `synchronous = FULL` each commit
/// waits for the disk (0.2–4 ms on the machines measured): one transaction per transcript word or
/// booking queued the rest behind the disk, and a burst of them outwaited the connection pool's
/// 30 s limit (100 concurrent bookings on a loaded machine). Here they wait in this queue and one
/// commit makes a whole batch durable. Each write still runs in a savepoint of its own, so one that
/// fails (a gap, an overlap, an ended call) leaves nothing behind and does not fail its neighbours;
/// and no caller is answered before the transaction holding its write has committed.
actor SQLiteGroupCommit {
    private let database: any Database
    private var pending: [Pending] = []
    private var flushing = false

    init(database: any Database) {
        self.database = database
    }

    /// Runs `work` inside a shared transaction; returns (or throws) once that transaction has committed.
    func run<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            pending.append(
                Pending(
                    perform: { tx, alone in
                        // Alone in its transaction, a failing write fails the transaction itself:
                        // the rollback undoes it and `fail` answers, two statements fewer per word.
                        if alone {
                            let value = try await work(tx)
                            return { continuation.resume(returning: value) }
                        }
                        let outcome: Result<T, any Error>
                        do {
                            try await tx.sql.raw("SAVEPOINT grouped_write").run()
                            outcome = .success(try await work(tx))
                        } catch {
                            outcome = .failure(error)
                            try? await tx.sql.raw("ROLLBACK TO grouped_write").run()
                        }
                        try? await tx.sql.raw("RELEASE grouped_write").run()
                        return { continuation.resume(with: outcome) }
                    },
                    fail: { continuation.resume(throwing: $0) }))
            if !flushing {
                flushing = true
                Task { await flush() }
            }
        }
    }

    /// At most this many writes share a transaction, so the other users of the connection (reads,
    /// the other transactions) get their turn between batches however long the queue grows.
    static let batchLimit = 64

    /// Commits what is pending, batch after batch, until nothing is.
    private func flush() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.batchLimit))
            pending.removeFirst(batch.count)
            do {
                let answers = try await database.transaction { tx in
                    var answers: [@Sendable () -> Void] = []
                    for write in batch { answers.append(try await write.perform(tx, batch.count == 1)) }
                    return answers
                }
                for answer in answers { answer() }
            } catch {
                // BEGIN or COMMIT failed, or the only write did: nothing of the batch is stored, and
                // every caller hears so.
                for write in batch { write.fail(error) }
            }
        }
        flushing = false
    }

    /// One caller's write: `perform` runs it in the shared transaction (`alone`: nobody else's is in
    /// it) and returns how to answer the caller once that commits; `fail` answers it when the
    /// transaction does not. Among others, a write's own failure is caught in its savepoint and
    /// `perform` does not throw.
    private struct Pending: Sendable {
        let perform: @Sendable (any Database, _ alone: Bool) async throws -> @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }
}
