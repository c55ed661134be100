import AvocaCore
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Where the data lives.
public enum DatabaseLocation: Sendable, Equatable {
    /// A SQLite file (the default: `<data dir>/avoca.sqlite`).
    case sqliteFile(path: String)
    /// A private in-memory SQLite database (tests).
    case sqliteMemory
    /// A PostgreSQL database, `postgres://user:pass@host:port/db`.
    case postgres(url: String)

    /// Parses `DATABASE_URL`: `postgres://…`, `postgresql://…`, `sqlite://path`, `sqlite::memory:`; `nil` means the default file.
    public static func parse(_ url: String?, defaultSQLitePath: String) throws -> DatabaseLocation {
        guard let url, !url.isEmpty else { return .sqliteFile(path: defaultSQLitePath) }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(url: url) }
        if url == "sqlite::memory:" { return .sqliteMemory }
        if url.hasPrefix("sqlite://") { return .sqliteFile(path: String(url.dropFirst("sqlite://".count))) }
        throw DomainError.validation(message: "DATABASE_URL must start with postgres://, postgresql:// or sqlite://")
    }

    /// Whether this is PostgreSQL.
    public var isPostgres: Bool { if case .postgres = self { true } else { false } }
}

/// The database connection pool, as a service: it lives as long as the application and is shut
/// down after everything that uses it.
public final class AvocaDatabase: Service, @unchecked Sendable {
    // `Databases` is internally synchronised; it is only read after init.
    private let databases: Databases
    /// The event loops SQLite databases run on, never shut down: a query that arrives after its
    /// database closed (a background task finishing late) then fails with "pool shut down". On a
    /// loop of its own, shut down with the database, the query was scheduled on a dead loop, its
    /// promise was lost (a hang in release builds) and debug builds trapped. Each database uses
    /// one of them (one loop, one connection); the many databases of a test run spread over all.
    private static let sqliteLoops = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
    /// SQLite's blocking calls run on a thread of their own: on the shared pool they queued behind
    /// bcrypt, so a burst of sign-ins (or a password-spraying client) stalled every query.
    private let ownedThreadPool: NIOThreadPool?
    private let logger: Logger
    /// Where the data lives.
    public let location: DatabaseLocation
    /// The SQLite connection settings are applied once (`migrate` and `pendingMigrations` both ask).
    private let tuned = Mutex(false)
    /// One handle per event loop, made while the pools exist: after shutdown a late query (a
    /// background task finishing) fails with an error instead of finding no database and trapping.
    private let handles: [any Database]
    /// Prepared statements for the hottest paths: the customer read, the transcript append (PostgreSQL only).
    let hotPaths: PostgresHotPaths?
    /// SQLite only: the transactions the hot writes share (see `write`).
    private let groupCommit: SQLiteGroupCommit?

    /// Opens (but does not migrate) the database.
    public init(location: DatabaseLocation, logger: Logger) throws {
        self.location = location
        self.logger = logger
        let group: any EventLoopGroup
        switch location {
        case .postgres(let url):
            ownedThreadPool = nil
            hotPaths = try PostgresHotPaths(url: url, logger: logger)
            group = MultiThreadedEventLoopGroup.singleton
            databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
            databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 8, sqlLogLevel: .trace), as: .psql)
        case .sqliteFile, .sqliteMemory:
            // One event loop with one connection: SQLite has a single writer anyway, and a single
            // connection serialises every transaction, which is what makes check-then-write rules
            // (job overlap, first admin) race-free on SQLite.
            group = Self.sqliteLoops.next()
            let storage: SQLiteConfiguration.Storage
            if case .sqliteFile(let path) = location {
                let folder = (path as NSString).deletingLastPathComponent
                try PrivateFiles.createDirectory(atPath: folder.isEmpty ? "." : folder)
                // SQLite creates its -wal and -shm files with the database file's mode, so a 0600
                // database keeps the whole set private.
                try PrivateFiles.createFileIfMissing(atPath: path)
                storage = .file(path: path)
            } else {
                storage = .memory
            }
            let pool = NIOThreadPool(numberOfThreads: 1)
            pool.start()
            ownedThreadPool = pool
            hotPaths = nil
            databases = Databases(threadPool: pool, on: group)
            databases.use(
                .sqlite(
                    .init(storage: storage, enableForeignKeys: true), maxConnectionsPerEventLoop: 1, connectionPoolTimeout: .seconds(30),
                    sqlLogLevel: .trace), as: .sqlite)
        }
        let opened = databases
        let handles = group.makeIterator().compactMap { opened.database(logger: logger, on: $0) }
        guard !handles.isEmpty else { throw DomainError.validation(message: "The database could not be opened.") }
        self.handles = handles
        groupCommit = location.isPostgres ? nil : SQLiteGroupCommit(database: handles[0])
    }

    /// Runs `work` in a transaction and returns once it has committed. On SQLite the transaction is
    /// shared with the writes that arrive meanwhile, so one fsync covers them all (SQLiteGroupCommit).
    func write<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if let groupCommit { return try await groupCommit.run(work) }
        return try await db.transaction(work)
    }

    /// A handle for queries.
    public var db: any Database {
        handles.randomElement() ?? handles[0]
    }

    /// Applies every pending migration (idempotent).
    public func migrate() async throws {
        try await tuneSQLite()
        let migrations = Migrations()
        migrations.add(AvocaMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Settings of the one SQLite connection (kept open for the pool's lifetime). WAL lets readers
    /// proceed during a write and survives crashes without a rollback journal; the default 2 MiB
    /// page cache would re-read the hot index pages of a million-customer directory from the OS
    /// on every search, so the cache is 64 MiB and the file is memory-mapped.
    private func tuneSQLite() async throws {
        guard case .sqliteFile = location,
            tuned.withLock({ done in
                defer { done = true }
                return !done
            })
        else { return }
        let sql = try db.sql
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        try await sql.raw("PRAGMA cache_size = -65536").run()
        try await sql.raw("PRAGMA mmap_size = 1073741824").run()
    }

    /// Runs one raw SQL statement (administration and tests, e.g. CREATE DATABASE).
    public func execute(_ statement: String) async throws {
        try await db.sql.raw(SQLQueryString(statement)).run()
    }

    /// Checks that the database answers (readiness probe).
    public func ping() async throws {
        try await db.sql.raw("SELECT 1").run()
    }

    /// Names of migrations not yet applied.
    public func pendingMigrations() async throws -> [String] {
        try await tuneSQLite()
        let migrations = Migrations()
        migrations.add(AvocaMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        return try await migrator.previewPrepareBatch().get().map { $0.0.name }
    }

    /// Runs until shutdown, then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes every connection (also used directly by short-lived commands and tests).
    public func shutdown() async {
        hotPaths?.shutdown()
        await databases.shutdownAsync()
        try? await ownedThreadPool?.shutdownGracefully()
    }
}
