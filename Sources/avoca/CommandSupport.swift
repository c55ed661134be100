import AvocaPersistence
import AvocaServer
import Foundation
import Logging

/// Shared plumbing of the subcommands: configuration, logging, short-lived service access.
enum CommandSupport {
    /// Reads the configuration, printing every problem at once on failure.
    static func config(_ environment: [String: String]) throws -> AppConfig {
        do {
            return try AppConfig.fromEnvironment(environment)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCodeError()
        }
    }

    /// A logger honouring AVOCA_LOG_LEVEL and AVOCA_LOG_FORMAT.
    static func logger(_ config: AppConfig) -> Logger {
        LoggingSystem.bootstrap(
            { label, provider in
                var handler: any LogHandler =
                    config.logFormat == "json"
                    ? JSONLogHandler(label: label, metadataProvider: provider)
                    : StreamLogHandler.standardError(label: label, metadataProvider: provider)
                handler.logLevel = config.logLevel
                return handler
            }, metadataProvider: requestIDMetadataProvider)
        var logger = Logger(label: "avoca")
        logger.logLevel = config.logLevel
        return logger
    }

    /// Opens the database (migrated), runs `body`, closes it.
    static func withServices(_ body: (AvocaServices) async throws -> Void) async throws {
        let config = try config(ProcessInfo.processInfo.environment)
        let services = try await buildServices(config: config, logger: logger(config))
        try await services.database.migrate()
        do {
            try await body(services)
        } catch {
            await services.database.shutdown()
            throw error
        }
        await services.database.shutdown()
    }

    static func describe(_ location: DatabaseLocation) -> String {
        switch location {
        case .sqliteFile(let path): "SQLite \(path)"
        case .sqliteMemory: "SQLite in memory"
        case .postgres: "PostgreSQL"
        }
    }
}
