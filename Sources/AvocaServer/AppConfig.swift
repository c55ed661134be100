import AvocaCore
import AvocaPersistence
import AvocaTelephony
import Foundation
import Logging

/// Every setting of `avoca serve`, read once from the environment (DESIGN §1 "Configuration").
public struct AppConfig: Sendable {
    /// `development` generates missing secrets; `production` refuses to start without them.
    public enum Environment: String, Sendable { case development, production }

    public var environment: Environment = .development
    public var host = "127.0.0.1"
    public var port = 8080
    public var dataDirectory = "./.avoca"
    public var database: DatabaseLocation = .sqliteFile(path: "./.avoca/avoca.sqlite")
    public var publicURL = "http://127.0.0.1:8080"
    public var smtpURL: String?
    public var mailFrom = "Avoca <no-reply@localhost>"
    public var jwtSecret: [UInt8] = []
    public var encryptionKey: [UInt8] = []
    public var timeZone = TimeZone(identifier: "America/Chicago")!
    public var signupDomains: [String] = []
    /// `AVOCA_SIGNUP`: invite (production default), approve or open (development default).
    public var signupMode: SignupMode = .open
    public var logLevel: Logger.Level = .info
    public var logFormat = "text"
    public var bcryptCost: UInt8 = 12
    /// First throttle delay in seconds; doubles per failure (lower it for fast attack tests).
    public var authBackoffBase: TimeInterval = 1
    /// Mail-sending requests (sign-up, resend, forgot-password) one client address may make before
    /// it is slowed down.
    public var mailRequestsPerClient = 20
    public var maxBodyBytes = 1_048_576
    public var mailPollInterval: Duration = .seconds(1)
    /// Deliver queued mail in the background (a pass at start, then every `mailPollInterval`).
    public var mailBackgroundDelivery = true
    /// Run the in-process call simulator.
    public var simulator = true
    /// Mean seconds between simulated calls.
    public var simulatorInterval: TimeInterval = 45
    /// Seed demo customers and jobs into an empty database.
    public var demoData = true
    /// Answer the hottest reads (`GET /customers/{customer_id}`) from direct routes rather than
    /// the generated handlers (`AVOCA_DIRECT_READS`; off only to compare the two, same answers).
    public var directReads = true
    /// Seconds an agent has to accept an offered call.
    public var offerTimeout: TimeInterval = 20
    /// Seconds between the pings every realtime socket gets; a peer silent for two is dropped.
    public var realtimePingInterval: TimeInterval = 15
    /// Seconds of silence from a call's source before it is ended as stale.
    public var staleCallTimeout: TimeInterval = 120
    /// Calls answered within this many seconds count toward the reports' service level
    /// (`AVOCA_SERVICE_LEVEL_SECONDS`).
    public var serviceLevelSeconds = 20
    /// The bearer token `/metrics` requires, when set (`AVOCA_METRICS_TOKEN`).
    public var metricsToken: String?
    /// The Twilio account of the Voice bridge (`AVOCA_TWILIO_*`); `nil` leaves the bridge off.
    public var twilio: TwilioSettings?
    /// Load balancers whose forwarding header names the client (`AVOCA_TRUSTED_PROXIES`).
    var trustedProxies = TrustedProxies()

    /// `publicURL` without a trailing slash, to append paths to.
    var publicBase: String { publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }

    /// The browser origin allowed on the cookie and realtime endpoints.
    var originPolicy: OriginPolicy { OriginPolicy(publicURL: publicURL, development: environment == .development) }

    /// A configuration for tests: in-memory SQLite, fixed keys, cheap bcrypt.
    public static func testing(database: DatabaseLocation = .sqliteMemory) -> AppConfig {
        var config = AppConfig()
        config.database = database
        config.jwtSecret = Array(repeating: 7, count: 32)
        config.encryptionKey = Array(repeating: 9, count: 32)
        config.bcryptCost = 4
        config.port = 0
        config.logLevel = .warning
        config.simulator = false
        config.demoData = false
        // Tests deliver mail themselves (`deliverDue`); a background pass racing them would lease
        // a message just before the test looks for it (the pass at start did, on a loaded machine).
        config.mailBackgroundDelivery = false
        return config
    }

    /// Reads the environment. Collects every problem before failing, so one run lists them all.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var config = AppConfig()
        var problems: [String] = []
        func value(_ key: String) -> String? {
            if let file = env["\(key)_FILE"], !file.isEmpty {
                do {
                    return try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                } catch {
                    problems.append("\(key)_FILE: cannot read \(file)")
                    return nil
                }
            }
            return env[key].flatMap { $0.isEmpty ? nil : $0 }
        }

        if let raw = value("AVOCA_ENV") {
            if let parsed = Environment(rawValue: raw) {
                config.environment = parsed
            } else {
                problems.append("AVOCA_ENV must be development or production (got \(raw))")
            }
        }
        if let host = value("AVOCA_HOST") { config.host = host }
        if let raw = value("AVOCA_PORT") {
            if let port = Int(raw), (0...65535).contains(port) {
                config.port = port
            } else {
                problems.append("AVOCA_PORT must be a port number (got \(raw))")
            }
        }
        if let dir = value("AVOCA_DATA_DIR") { config.dataDirectory = dir }
        do {
            config.database = try DatabaseLocation.parse(value("DATABASE_URL"), defaultSQLitePath: "\(config.dataDirectory)/avoca.sqlite")
        } catch { problems.append("DATABASE_URL must start with postgres://, postgresql:// or sqlite://") }
        config.publicURL = value("AVOCA_PUBLIC_URL") ?? "http://\(config.host):\(config.port)"
        if URL(string: config.publicURL)?.scheme == nil { problems.append("AVOCA_PUBLIC_URL must be an absolute URL") }
        config.smtpURL = value("AVOCA_SMTP_URL")
        if let from = value("AVOCA_MAIL_FROM") { config.mailFrom = from }
        if let zone = value("AVOCA_TIME_ZONE") {
            if let parsed = TimeZone(identifier: zone) {
                config.timeZone = parsed
            } else {
                problems.append("AVOCA_TIME_ZONE is not a time zone (got \(zone))")
            }
        }
        // Production is invitation-only unless told otherwise; development stays open so the
        // README's first run is one command.
        config.signupMode = config.environment == .production ? .invite : .open
        if let raw = value("AVOCA_SIGNUP") {
            if let mode = SignupMode(rawValue: raw) {
                config.signupMode = mode
            } else {
                problems.append("AVOCA_SIGNUP must be invite, approve or open (got \(raw))")
            }
        }
        if let domains = value("AVOCA_SIGNUP_DOMAINS") {
            config.signupDomains = domains.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        }
        if let level = value("AVOCA_LOG_LEVEL") {
            if let parsed = Logger.Level(rawValue: level) {
                config.logLevel = parsed
            } else {
                problems.append("AVOCA_LOG_LEVEL must be trace, debug, info, notice, warning, error or critical")
            }
        }
        if let format = value("AVOCA_LOG_FORMAT") {
            if ["text", "json"].contains(format) { config.logFormat = format } else { problems.append("AVOCA_LOG_FORMAT must be text or json") }
        }
        if let raw = value("AVOCA_BCRYPT_COST") {
            if let cost = UInt8(raw), (4...31).contains(cost) { config.bcryptCost = cost } else { problems.append("AVOCA_BCRYPT_COST must be 4…31") }
        }
        if let raw = value("AVOCA_AUTH_BACKOFF_BASE") {
            if let base = Double(raw), base > 0 {
                config.authBackoffBase = base
            } else {
                problems.append("AVOCA_AUTH_BACKOFF_BASE must be a positive number of seconds")
            }
        }
        if let token = value("AVOCA_METRICS_TOKEN") {
            if token.count >= 16, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) {
                config.metricsToken = token
            } else {
                problems.append("AVOCA_METRICS_TOKEN must be at least 16 characters without spaces")
            }
        }
        if let raw = value("AVOCA_TRUSTED_PROXY_HEADER") {
            if let header = TrustedProxies.Header(rawValue: raw.lowercased()) {
                config.trustedProxies.header = header
            } else {
                problems.append("AVOCA_TRUSTED_PROXY_HEADER must be x-forwarded-for or forwarded (got \(raw))")
            }
        }
        if let list = value("AVOCA_TRUSTED_PROXIES") {
            do {
                config.trustedProxies = try TrustedProxies.parse(list, header: config.trustedProxies.header)
            } catch {
                problems.append("AVOCA_TRUSTED_PROXIES must be comma-separated IPv4/IPv6 CIDR ranges: \(error)")
            }
        }
        if let raw = value("AVOCA_MAIL_REQUESTS_PER_CLIENT") {
            if let count = Int(raw), (1...1_000_000).contains(count) {
                config.mailRequestsPerClient = count
            } else {
                problems.append("AVOCA_MAIL_REQUESTS_PER_CLIENT must be a whole number from 1 to 1000000")
            }
        }
        if let raw = value("AVOCA_MAX_BODY_BYTES") {
            if let bytes = Int(raw), bytes >= 1024 {
                config.maxBodyBytes = bytes
            } else {
                problems.append("AVOCA_MAX_BODY_BYTES must be at least 1024")
            }
        }

        let (twilio, twilioProblems) = twilioSettings(value)
        config.twilio = twilio
        problems += twilioProblems

        // The simulator and the demo rows are for trying Avoca out: off in production unless asked
        // for. The direct reads stay on everywhere unless turned off.
        let production = config.environment == .production
        for (key, target, productionDefault) in [
            ("AVOCA_SIMULATOR", \AppConfig.simulator, false), ("AVOCA_DEMO_DATA", \AppConfig.demoData, false),
            ("AVOCA_DIRECT_READS", \AppConfig.directReads, true),
        ] {
            if let raw = value(key) {
                if ["on", "off", "true", "false", "1", "0"].contains(raw) {
                    config[keyPath: target] = ["on", "true", "1"].contains(raw)
                } else {
                    problems.append("\(key) must be on or off")
                }
            } else if production {
                config[keyPath: target] = productionDefault
            }
        }
        for (key, target, minimum) in [
            ("AVOCA_SIMULATOR_INTERVAL", \AppConfig.simulatorInterval, 1.0), ("AVOCA_OFFER_TIMEOUT", \AppConfig.offerTimeout, 1.0),
            ("AVOCA_STALE_CALL_TIMEOUT", \AppConfig.staleCallTimeout, 5.0),
            ("AVOCA_REALTIME_PING_SECONDS", \AppConfig.realtimePingInterval, 1.0),
        ] {
            if let raw = value(key) {
                if let seconds = Double(raw), seconds >= minimum {
                    config[keyPath: target] = seconds
                } else {
                    problems.append("\(key) must be a number of seconds ≥ \(Int(minimum))")
                }
            }
        }
        if let raw = value("AVOCA_SERVICE_LEVEL_SECONDS") {
            if let seconds = Int(raw), (1...3_600).contains(seconds) {
                config.serviceLevelSeconds = seconds
            } else {
                problems.append("AVOCA_SERVICE_LEVEL_SECONDS must be a whole number of seconds from 1 to 3600")
            }
        }
        for (key, target) in [("AVOCA_JWT_SECRET", \AppConfig.jwtSecret), ("AVOCA_ENCRYPTION_KEY", \AppConfig.encryptionKey)] {
            if let raw = value(key) {
                if let bytes = Data(base64Encoded: raw), bytes.count >= 32 {
                    config[keyPath: target] = Array(bytes)
                } else {
                    problems.append("\(key) must be base64 of at least 32 bytes")
                }
            } else if config.environment == .production {
                problems.append("\(key) is required in production (base64, ≥ 32 bytes)")
            }
        }
        if config.environment == .production && config.smtpURL == nil { problems.append("AVOCA_SMTP_URL is required in production") }
        if config.environment == .production && config.publicURL.hasPrefix("http://") {
            problems.append("AVOCA_PUBLIC_URL must be https in production")
        }
        if config.environment == .production && value("AVOCA_ALLOW_INSECURE_TRANSPORT") != "on" {
            problems += TransportPolicy.problems(config)
        }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return config
    }

    /// The Twilio bridge's settings: both the account sid and the auth token, or neither (bridge off).
    private static func twilioSettings(_ value: (String) -> String?) -> (TwilioSettings?, [String]) {
        var problems: [String] = []
        let sid = value("AVOCA_TWILIO_ACCOUNT_SID")
        let token = value("AVOCA_TWILIO_AUTH_TOKEN")
        guard sid != nil || token != nil else { return (nil, []) }
        guard let sid, let token else {
            return (nil, ["AVOCA_TWILIO_ACCOUNT_SID and AVOCA_TWILIO_AUTH_TOKEN go together (set both to connect Twilio, or neither)"])
        }
        if !sid.hasPrefix("AC") || !sid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            problems.append("AVOCA_TWILIO_ACCOUNT_SID must be a Twilio account sid (AC…)")
        }
        var settings = TwilioSettings(accountSID: sid, authToken: token)
        if let api = value("AVOCA_TWILIO_API_URL") {
            if let url = URL(string: api), ["http", "https"].contains(url.scheme ?? ""), url.host != nil {
                settings.apiURL = api.hasSuffix("/") ? String(api.dropLast()) : api
            } else {
                problems.append("AVOCA_TWILIO_API_URL must be an http(s) URL")
            }
        }
        if let greeting = value("AVOCA_TWILIO_GREETING") { settings.greeting = greeting }
        if let music = value("AVOCA_TWILIO_HOLD_MUSIC_URL") {
            if let url = URL(string: music), ["http", "https"].contains(url.scheme ?? "") {
                settings.holdMusicURL = music
            } else {
                problems.append("AVOCA_TWILIO_HOLD_MUSIC_URL must be an http(s) URL")
            }
        }
        return (settings, problems)
    }

    /// In development, loads or creates the secrets kept in the data folder (never in code).
    public mutating func loadDevelopmentSecrets() throws {
        let folder = URL(fileURLWithPath: dataDirectory).appendingPathComponent("secrets")
        try PrivateFiles.createDirectory(atPath: folder.path)
        try PrivateFiles.restrictDirectory(atPath: folder.path)
        func secret(_ name: String) throws -> [UInt8] {
            let file = folder.appendingPathComponent(name)
            if let text = try? String(contentsOf: file, encoding: .utf8),
                let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count >= 32
            {
                return Array(data)
            }
            let fresh = RandomToken.bytes(32)
            try PrivateFiles.write(Data(Data(fresh).base64EncodedString().utf8), toPath: file.path)
            return fresh
        }
        if jwtSecret.isEmpty { jwtSecret = try secret("jwt.key") }
        if encryptionKey.isEmpty { encryptionKey = try secret("encryption.key") }
    }
}

/// Every configuration problem found at start-up.
public struct ConfigurationError: Error, CustomStringConvertible {
    /// One line per problem.
    public var problems: [String]
    /// A readable list.
    public var description: String { "Invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n") }
}
