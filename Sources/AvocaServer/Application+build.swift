import AvocaAPI
import AvocaCore
import AvocaDirectory
import AvocaIdentity
import AvocaPersistence
import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime
import ServiceLifecycle

/// Everything `buildApplication` wires together, exposed so tests and commands can reach the services.
public struct AvocaServices: Sendable {
    /// The database pool.
    public let database: AvocaDatabase
    /// Identity.
    public let identity: IdentityService
    /// Customers and addresses.
    public let customers: CustomerService
    /// Jobs.
    public let jobs: JobService
    /// The mail queue.
    public let outbox: any MailOutbox
    /// Outgoing mail delivery.
    public let delivery: OutboxDeliveryService
    /// The clock every service uses.
    public let clock: any AppClock
}

/// Builds the services: database, identity, mail.
public func buildServices(config: AppConfig, clock: any AppClock = SystemClock(), mailer: (any Mailer)? = nil, logger: Logger) async throws
    -> AvocaServices
{
    // swift-metrics must be bootstrapped before the first metric object is created.
    _ = MetricsBootstrap.registry
    var config = config
    if config.jwtSecret.isEmpty || config.encryptionKey.isEmpty { try config.loadDevelopmentSecrets() }
    let database = try AvocaDatabase(location: config.database, logger: logger)
    let outbox = FluentMailOutbox(database: database)
    var identityConfig = IdentityConfiguration(
        issuer: config.publicURL, jwtSecret: config.jwtSecret, encryptionKey: config.encryptionKey, publicURL: config.publicURL)
    identityConfig.bcryptCost = config.bcryptCost
    identityConfig.signupDomains = config.signupDomains
    identityConfig.accountThrottle.baseDelay = config.authBackoffBase
    identityConfig.clientThrottle.baseDelay = config.authBackoffBase
    let identityRepository = FluentIdentityRepository(database: database)
    let directory = FluentDirectoryRepository(database: database)
    let identity = await IdentityService(
        repository: identityRepository, throttles: FluentThrottleRepository(database: database),
        outbox: outbox, clock: clock, configuration: identityConfig, logger: logger)
    let resolvedMailer: any Mailer
    if let mailer {
        resolvedMailer = mailer
    } else if let smtp = config.smtpURL {
        resolvedMailer = SMTPMailer(configuration: try SMTPConfiguration(url: smtp, from: config.mailFrom))
    } else {
        resolvedMailer = ConsoleMailer(logger: logger)
    }
    let delivery = OutboxDeliveryService(outbox: outbox, mailer: resolvedMailer, clock: clock, pollInterval: config.mailPollInterval, logger: logger)
    return AvocaServices(
        database: database, identity: identity, customers: CustomerService(repository: directory, clock: clock),
        jobs: JobService(repository: directory, employees: identityRepository, clock: clock, timeZone: config.timeZone),
        outbox: outbox, delivery: delivery, clock: clock)
}

/// Builds the whole application: services, HTTP routes, middleware, background services.
/// `avoca serve` and the tests both call this.
public func buildApplication(config: AppConfig, services: AvocaServices, logger: Logger) async throws -> some ApplicationProtocol {
    // Migrate (development) or insist on an up-to-date schema (production) before any service,
    // such as the mail outbox, touches the tables.
    if config.environment == .production {
        let pending = try await services.database.pendingMigrations()
        guard pending.isEmpty else {
            throw ConfigurationError(problems: ["\(pending.count) database migrations are pending; run `avoca migrate` first"])
        }
    } else {
        try await services.database.migrate()
    }
    let router = try buildRouter(config: config, services: services)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Avoca"),
        services: [services.database, services.delivery],
        logger: logger)
    return app
}

/// The HTTP surface: the OpenAPI operations under /api, health and metrics, and the console.
func buildRouter(config: AppConfig, services: AvocaServices) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let routes = RouteRecorder()
    router.addMiddleware {
        MetricsMiddleware()
        SecurityHeadersMiddleware()
        ErrorMiddleware()
        RequestBodyMiddleware(maxBytes: config.maxBodyBytes)
        APIFallbackMiddleware(routes: routes)
        AuthenticationMiddleware(identity: services.identity)
    }
    router.get("/healthz") { _, _ in "ok" }
    router.get("/readyz") { _, _ -> Response in
        try await services.database.ping()
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready")))
    }
    router.get("/metrics") { _, _ -> Response in
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(bytes: MetricsBootstrap.registry.emitToBuffer())))
    }
    router.get("/api/openapi.yaml") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPISpec.yaml())))
    }
    let secure = config.publicURL.hasPrefix("https://")
    let handler = APIHandler(
        identity: services.identity, customers: services.customers, jobs: services.jobs, cookies: RefreshCookie(secure: secure, maxAge: Int(30 * 24 * 3600)))
    try handler.registerHandlers(
        on: RecordingTransport(router: router, recorder: routes), serverURL: URL(string: "/api")!,
        middlewares: [OperationAccessMiddleware(rules: OperationRules.all), ExplicitNullMiddleware()])
    if let publicFolder = Bundle.module.resourceURL?.appendingPathComponent("Public").path {
        router.addMiddleware { FileMiddleware(publicFolder, searchForIndexHtml: true) }
    }
    return router
}
