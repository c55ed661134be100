import ArgumentParser
import AvocaCalls
import AvocaCore
import AvocaTelephony
import Foundation
import Hummingbird
import Logging

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `avoca simulate --url … --api-key …`: plays realistic calls into a running Avoca over the ingest
/// API; `--via twilio` plays them as Twilio's signed webhooks instead (`TwilioEmulator`).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Stream simulated calls into a running Avoca through the HTTP ingest API, or as Twilio's webhooks (--via twilio).")

    @Option(help: "Base URL of the server.") var url = "http://127.0.0.1:8080"
    @Option(name: .customLong("api-key"), help: "An API key with the calls:ingest scope (--via api).") var apiKey: String?
    @Option(help: "Number of calls to play (0 = until stopped).") var calls = 1
    @Option(help: "Mean seconds between calls.") var interval: Double = 5
    @Option(help: "Fastest and slowest pause between words, in ms (e.g. 250-1000).") var pace = "250-1000"
    @Option(help: "Seed for a repeatable run.") var seed: UInt64 = 1
    @Option(help: "How calls reach the server: api (the ingest API) or twilio (signed Twilio webhooks).") var via = "api"
    @Option(name: .customLong("public-url"), help: "(twilio) The server's AVOCA_PUBLIC_URL, which Twilio signs; default --url.")
    var publicURL: String?
    @Option(name: .customLong("account-sid"), help: "(twilio) Default: AVOCA_TWILIO_ACCOUNT_SID.") var accountSID: String?
    @Option(name: .customLong("auth-token"), help: "(twilio) Default: AVOCA_TWILIO_AUTH_TOKEN.") var authToken: String?
    @Option(
        name: .customLong("rest-port"),
        help: "(twilio) Port of the local Twilio REST stand-in; start Avoca with AVOCA_TWILIO_API_URL=http://127.0.0.1:PORT.")
    var restPort = 8931
    @Option(
        name: .customLong("accept-wait"),
        help: "Seconds a caller waits in the queue, after telling the phone menu why they call, for a rep to accept before hanging up.")
    var acceptWait: Double = 30
    @Option(help: "(twilio) Append each request the REST stand-in receives to this file, one JSON object a line.") var record: String?

    func run() async throws {
        let bounds = pace.split(separator: "-").compactMap { Double($0) }
        guard bounds.count == 2, bounds[0] >= 0, bounds[0] <= bounds[1] else { throw ValidationError("--pace must look like 250-1000") }
        guard let base = URL(string: url) else { throw ValidationError("--url is not a URL") }
        guard acceptWait.isFinite, (0...86_400).contains(acceptWait) else { throw ValidationError("--accept-wait must be 0 to 86400 seconds") }
        var logger = Logger(label: "avoca.simulate")
        logger.logLevel = .info
        let wordDelay = (bounds[0] / 1000)...(bounds[1] / 1000)
        switch via {
        case "api":
            guard let apiKey else { throw ValidationError("--api-key is required (a key with the calls:ingest scope)") }
            let simulator = CallSimulator(
                ingest: HTTPCallIngest(baseURL: base, apiKey: apiKey),
                settings: .init(interval: interval, seed: seed, wordDelay: wordDelay, maxCalls: calls == 0 ? nil : calls, patience: acceptWait),
                logger: logger
            ) { _ in nil }
            print("Simulating \(calls == 0 ? "calls until stopped" : "\(calls) call(s)") against \(url) …")
            try await simulator.run()
        case "twilio":
            try await runTwilio(base: base, wordDelay: wordDelay, logger: logger)
        default:
            throw ValidationError("--via must be api or twilio")
        }
        print("Done.")
    }

    private func runTwilio(base: URL, wordDelay: ClosedRange<Double>, logger: Logger) async throws {
        let env = ProcessInfo.processInfo.environment
        guard let sid = accountSID ?? env["AVOCA_TWILIO_ACCOUNT_SID"], let token = authToken ?? env["AVOCA_TWILIO_AUTH_TOKEN"] else {
            throw ValidationError(
                "--via twilio needs --account-sid and --auth-token (or AVOCA_TWILIO_ACCOUNT_SID/AVOCA_TWILIO_AUTH_TOKEN), the server's own")
        }
        let signedBase = publicURL ?? url
        let standIn = TwilioRESTStandIn(accountSID: sid, authToken: token, recordPath: record)
        let emulator = TwilioEmulator(
            serverURL: base, publicURL: signedBase.hasSuffix("/") ? String(signedBase.dropLast()) : signedBase, accountSID: sid,
            signer: TwilioSignature(authToken: token), standIn: standIn, acceptWait: acceptWait, wordDelay: wordDelay, seed: seed)
        print(
            "Twilio REST stand-in (not Twilio) on http://127.0.0.1:\(restPort); playing \(calls == 0 ? "calls until stopped" : "\(calls) call(s)") as Twilio webhooks to \(url) …"
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await standIn.application(host: "127.0.0.1", port: restPort, logger: logger).runService() }
            var failures = 0
            var index = 0
            while calls == 0 || index < calls {
                index += 1
                do {
                    print(try await emulator.play(index: index))
                } catch {
                    failures += 1
                    print("  call \(index) failed: \(error)")
                }
                if calls == 0 || index < calls { try await Task.sleep(for: .seconds(interval)) }
            }
            group.cancelAll()
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
