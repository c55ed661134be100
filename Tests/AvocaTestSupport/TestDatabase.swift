import AvocaPersistence
import Foundation
import Logging

/// The database a test runs on: a private in-memory SQLite by default, or a fresh PostgreSQL
/// database per test when `AVOCA_TEST_DATABASE_URL` is set (scripts/test runs every suite on both).
public enum TestDatabase {
    /// The PostgreSQL server's admin URL, when the suites run on PostgreSQL.
    public static var adminURL: String? { ProcessInfo.processInfo.environment["AVOCA_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    /// A location nobody else uses.
    public static func fresh() async throws -> DatabaseLocation {
        guard let adminURL else { return .sqliteMemory }
        let name = "avoca_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try AvocaDatabase(location: .postgres(url: adminURL), logger: Logger(label: "test-admin"))
        do {
            try await admin.execute("CREATE DATABASE \(name)")
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
        guard var components = URLComponents(string: adminURL) else { throw TestSetupError("AVOCA_TEST_DATABASE_URL is not a URL") }
        components.path = "/\(name)"
        guard let url = components.string else { throw TestSetupError("cannot build a database URL from \(adminURL)") }
        return .postgres(url: url)
    }

    /// Opens a fresh, migrated database, runs `body` with it and closes it, also when `body` throws.
    public static func withMigrated<T>(_ body: (AvocaDatabase) async throws -> T) async throws -> T {
        let database = try AvocaDatabase(location: try await fresh(), logger: Logger(label: "test-db"))
        do {
            try await database.migrate()
            let result = try await body(database)
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }
}

/// A test could not set itself up.
public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
