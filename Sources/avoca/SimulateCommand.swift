import ArgumentParser
import AvocaCalls
import AvocaCore
import Foundation
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `avoca simulate --url … --api-key …`: plays realistic calls into a running Avoca over the ingest API.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Stream simulated calls into a running Avoca through the HTTP ingest API.")

    @Option(help: "Base URL of the server.") var url = "http://127.0.0.1:8080"
    @Option(name: .customLong("api-key"), help: "An API key with the calls:ingest scope.") var apiKey: String
    @Option(help: "Number of calls to play (0 = until stopped).") var calls = 1
    @Option(help: "Mean seconds between calls.") var interval: Double = 5
    @Option(help: "Fastest and slowest pause between words, in ms (e.g. 250-1000).") var pace = "250-1000"
    @Option(help: "Seed for a repeatable run.") var seed: UInt64 = 1

    func run() async throws {
        let bounds = pace.split(separator: "-").compactMap { Double($0) }
        guard bounds.count == 2, bounds[0] >= 0, bounds[0] <= bounds[1] else { throw ValidationError("--pace must look like 250-1000") }
        guard let base = URL(string: url) else { throw ValidationError("--url is not a URL") }
        var logger = Logger(label: "avoca.simulate")
        logger.logLevel = .info
        let ingest = HTTPCallIngest(baseURL: base, apiKey: apiKey)
        let simulator = CallSimulator(
            ingest: ingest,
            settings: .init(interval: interval, seed: seed, wordDelay: (bounds[0] / 1000)...(bounds[1] / 1000), maxCalls: calls == 0 ? nil : calls),
            logger: logger
        ) { _ in nil }
        print("Simulating \(calls == 0 ? "calls until stopped" : "\(calls) call(s)") against \(url) …")
        try await simulator.run()
        print("Done.")
    }
}
