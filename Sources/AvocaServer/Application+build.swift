import AvocaAPI
import AvocaCalls
import AvocaCore
import AvocaDirectory
import AvocaIdentity
import AvocaPersistence
import AvocaTelephony
import Foundation
import Hummingbird
import HummingbirdWebSocket
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
    /// Calls: ingest, queue, presence.
    public let calls: CallService
    /// Daily call figures and the per-call export.
    public let reports: CallReportService
    /// Call storage (presence heartbeats use it directly).
    public let callRepository: any CallRepository
    /// Carries realtime events between instances.
    public let bus: any EventBus
    /// Fans events out to this instance's sockets.
    public let hub: RealtimeHub
    /// Keeps this instance's sockets alive: heartbeats, session checks, dropping stuck peers.
    let sockets: RealtimeSockets
    /// Offers calls and ends stale ones.
    public let router: CallRouter
    /// The in-process call simulator, when enabled.
    public let simulator: CallSimulator?
    /// Background services besides the hub and router (the PostgreSQL LISTEN loop).
    let extraServices: [any Service]
    /// The mail queue.
    public let outbox: any MailOutbox
    /// Outgoing mail delivery.
    public let delivery: OutboxDeliveryService
    /// The clock every service uses.
    public let clock: any AppClock
    /// The application log.
    public let logger: Logger
}

/// Builds the services: database, identity, mail.
public func buildServices(
    config: AppConfig, clock: any AppClock = SystemClock(), mailer: (any Mailer)? = nil, logger: Logger
) async throws
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
    identityConfig.signupMode = config.signupMode
    identityConfig.accountThrottle.baseDelay = config.authBackoffBase
    identityConfig.clientThrottle.baseDelay = config.authBackoffBase
    identityConfig.mailRequestsPerClient.baseDelay = config.authBackoffBase
    identityConfig.mailRequestsPerClient.freeFailures = config.mailRequestsPerClient
    identityConfig.mailRequestsPerClient.lockAfter = config.mailRequestsPerClient + 80
    var extraServices: [any Service] = []
    let bus: any EventBus
    if case .postgres(let url) = config.database {
        let postgresBus = PostgresEventBus(url: url, database: database, logger: logger)
        extraServices.append(postgresBus)
        bus = postgresBus
    } else {
        bus = InProcessEventBus()
    }
    let identityRepository = FluentIdentityRepository(database: database)
    let directory = FluentDirectoryRepository(database: database)
    let identity = await IdentityService(
        repository: identityRepository, throttles: FluentThrottleRepository(database: database),
        outbox: outbox, clock: clock, configuration: identityConfig, events: bus, logger: logger)
    let resolvedMailer: any Mailer
    if let mailer {
        resolvedMailer = mailer
    } else if let smtp = config.smtpURL {
        resolvedMailer = SMTPMailer(configuration: try SMTPConfiguration(url: smtp, from: config.mailFrom))
    } else {
        resolvedMailer = ConsoleMailer(logger: logger)
    }
    let delivery = OutboxDeliveryService(outbox: outbox, mailer: resolvedMailer, clock: clock, pollInterval: config.mailPollInterval, logger: logger)

    let callRepository = FluentCallRepository(database: database)
    let calls = CallService(
        repository: callRepository, directory: directory, bus: bus, clock: clock, timeZone: config.timeZone,
        tokenHasher: TokenHasher(secret: config.encryptionKey), logger: logger)
    let hub = RealtimeHub(calls: calls, bus: bus, renderer: SchemaRealtimeRenderer(), logger: logger)
    let sockets = RealtimeSockets(
        hub: hub, identity: identity, repository: callRepository, clock: clock, pingInterval: config.realtimePingInterval, logger: logger)
    let router = CallRouter(
        repository: callRepository, calls: calls, bus: bus, clock: clock, offerTimeout: config.offerTimeout,
        staleAfter: config.staleCallTimeout, carrierPrefixes: [TwilioWebhookDecoder.externalPrefix], logger: logger)
    var simulator: CallSimulator?
    if config.simulator {
        simulator = CallSimulator(
            ingest: calls, settings: .init(interval: config.simulatorInterval, seed: UInt64(Date().timeIntervalSince1970)), logger: logger
        ) { index in
            // Returning callers are drawn from the stored customers, so their number pops them up.
            let page = try? await directory.customers(CustomerQuery(search: nil, page: 1 + index % 20, pageSize: 1))
            return page?.items.first
        }
    }
    return AvocaServices(
        database: database, identity: identity, customers: CustomerService(repository: directory, clock: clock),
        jobs: JobService(repository: directory, employees: identityRepository, clock: clock, timeZone: config.timeZone),
        calls: calls,
        reports: CallReportService(
            repository: callRepository, clock: clock, timeZone: config.timeZone, serviceLevelSeconds: config.serviceLevelSeconds),
        callRepository: callRepository, bus: bus, hub: hub, sockets: sockets, router: router, simulator: simulator,
        extraServices: extraServices, outbox: outbox, delivery: delivery, clock: clock, logger: logger)
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
    if config.demoData {
        // A fresh development database gets a small, realistic directory to work with.
        let seeder = DirectorySeeder(database: services.database, timeZone: config.timeZone)
        if try await seeder.customerCount() == 0 {
            let summary = try await seeder.seed(customers: 200, jobs: 80, seed: 7) { _, _ in }
            logger.notice("seeded demo data: \(summary.customers) customers, \(summary.jobs) jobs (AVOCA_DEMO_DATA=off to skip)")
        }
    }
    let router = try buildRouter(config: config, services: services)
    // Dependency order: database first; the bus before the hub that consumes it; the simulator last.
    let background: [any Service] =
        [services.database] + (config.mailBackgroundDelivery ? [services.delivery] : []) + services.extraServices
        + [services.hub, services.sockets, services.router] + (services.simulator.map { [$0] } ?? [])
    let app = Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: buildWebSocketRouter(services: services, origins: config.originPolicy),
            // 16 KiB frames, the size WebSocket libraries commonly accept by default: bigger messages
            // (a snapshot of a busy board is tens of KB) go out as several frames. Pings come from
            // `RealtimeSockets`, one loop for every socket, not a task per socket.
            configuration: .init(http1: .init(), ws: .init(maxFrameSize: RealtimeSockets.maxFrameSize, autoPing: .disabled))),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Avoca"),
        services: background,
        onServerRunning: ReceiveBufferSizing.install(on:),
        logger: logger)
    return app
}

/// The HTTP surface: the OpenAPI operations under /api, health and metrics, and the console.
func buildRouter(config: AppConfig, services: AvocaServices) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let routes = RouteRecorder()
    router.addMiddleware {
        MetricsMiddleware()
        SecurityHeadersMiddleware(strictTransportSecurity: config.publicURL.hasPrefix("https://"))
        ErrorMiddleware()
        OriginCheckMiddleware(policy: config.originPolicy)
        RequestBodyMiddleware(maxBytes: config.maxBodyBytes)
        TwilioSignatureMiddleware(
            signature: config.twilio.map { TwilioSignature(authToken: $0.authToken) }, publicBase: config.publicBase, logger: services.logger)
        APIFallbackMiddleware(routes: routes)
        ClientAddressMiddleware(proxies: config.trustedProxies)
        AuthenticationMiddleware(identity: services.identity)
    }
    router.get("/healthz") { _, _ in "ok" }
    router.get("/readyz") { _, _ -> Response in
        try await services.database.ping()
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready")))
    }
    router.get("/metrics") { request, _ -> Response in
        // With a token set, only a scraper that presents it reads the metrics (they name routes,
        // error rates and queue depths an outsider has no business seeing).
        if let token = config.metricsToken, !constantTimeEquals(request.headers[.authorization] ?? "", "Bearer \(token)") {
            throw APIError(
                status: .unauthorized, code: "unauthorized", message: "Present the metrics token: Authorization: Bearer <AVOCA_METRICS_TOKEN>.")
        }
        try await FloorMetrics.refresh(from: services.calls)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(bytes: MetricsBootstrap.registry.emitToBuffer())))
    }
    // A refused WebSocket upgrade (bad or used ticket) falls through to the HTTP router.
    router.get("/api/realtime") { _, _ -> Response in
        throw APIError(
            status: .unauthorized, code: "invalid_ticket", message: "Open the socket with an unused ticket from POST /api/realtime/tickets.")
    }
    router.get("/api/openapi.yaml") { _, _ -> Response in
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPISpec.yaml())))
    }
    let secure = config.publicURL.hasPrefix("https://")
    let handler = APIHandler(
        identity: services.identity, customers: services.customers, jobs: services.jobs, calls: services.calls,
        reports: services.reports, simulator: services.simulator, cookies: RefreshCookie(secure: secure, maxAge: Int(30 * 24 * 3600)),
        twilio: config.twilio.map {
            TwilioEndpoints(
                settings: $0, bridge: TelephonyBridge(ingest: services.calls, logger: services.logger), control: TwilioCallControl(settings: $0),
                publicBase: config.publicBase)
        })
    // Compact, unsorted JSON: sorting keys and indenting cost more than the rest of a read.
    let openAPIConfiguration = OpenAPIRuntime.Configuration(dateTranscoder: InternetDateTranscoder(), jsonEncodingOptions: [.withoutEscapingSlashes])
    let transport = RecordingTransport(
        router: router, recorder: routes,
        directRoutes: config.directReads ? DirectReads(customers: services.customers, configuration: openAPIConfiguration).routes : [])
    try handler.registerHandlers(
        on: transport, serverURL: URL(string: "/api")!, configuration: openAPIConfiguration,
        middlewares: [OperationAccessMiddleware(rules: OperationRules.all)])
    try transport.checkDirectRoutesRegistered()
    if let publicFolder = Bundle.module.resourceURL?.appendingPathComponent("Public").path {
        router.addMiddleware { FileMiddleware(publicFolder, searchForIndexHtml: true) }
    }
    return router
}
