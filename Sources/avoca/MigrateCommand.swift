import ArgumentParser
import AvocaServer
import Foundation

/// `avoca migrate`: applies pending database migrations (the production way; development serve does it itself).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    func run() async throws {
        let config = try CommandSupport.config(ProcessInfo.processInfo.environment)
        let services = try await buildServices(config: config, logger: CommandSupport.logger(config))
        let pending = try await services.database.pendingMigrations()
        try await services.database.migrate()
        await services.database.shutdown()
        print(pending.isEmpty ? "The database is up to date." : "Applied \(pending.count) migrations: \(pending.joined(separator: ", "))")
    }
}
