import ArgumentParser
import AvocaServer
import Foundation
import Hummingbird
import Logging

/// `avoca serve`: runs the API and the console.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the server (settings come from AVOCA_* variables; see the README).")

    @Option(name: .long, help: "Listen address (AVOCA_HOST).") var host: String?
    @Option(name: .long, help: "Listen port (AVOCA_PORT).") var port: Int?

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let host { environment["AVOCA_HOST"] = host }
        if let port { environment["AVOCA_PORT"] = String(port) }
        let config = try CommandSupport.config(environment)
        let logger = CommandSupport.logger(config)
        let services = try await buildServices(config: config, logger: logger)
        let app = try await buildApplication(config: config, services: services, logger: logger)
        logger.notice("Avoca is starting on \(config.publicURL) (database: \(CommandSupport.describe(config.database)))")
        print("Open \(config.publicURL) in your browser.")
        try await app.runService()
    }
}
