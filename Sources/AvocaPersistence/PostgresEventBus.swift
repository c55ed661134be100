import AvocaCore
import FluentKit
import Foundation
import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// The event bus across instances: events are published with `pg_notify` and every instance,
/// the publisher included, receives them through one dedicated `LISTEN` connection.
public final class PostgresEventBus: EventBus, Service {
    static let channel = "avoca_events"
    private let url: String
    private let database: AvocaDatabase
    private let logger: Logger
    private let fanOut = EventFanOut()

    /// Creates the bus for the database at `url`.
    public init(url: String, database: AvocaDatabase, logger: Logger) {
        self.url = url
        self.database = database
        self.logger = logger
    }

    public func publish(_ event: RealtimeEvent) async {
        guard let notification = databaseNotification(for: event) else { return }
        do {
            try await database.db.sql.raw("SELECT pg_notify(\(bind: notification.channel), \(bind: notification.payload))").run()
        } catch {
            logger.error("could not publish a realtime event: \(String(reflecting: error))")
        }
    }

    public func databaseNotification(for event: RealtimeEvent) -> DatabaseNotification? {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        guard var payload = try? encoder.encode(event) else { return nil }
        // NOTIFY payloads are limited to 8000 bytes: send big transcript batches by reference.
        if payload.count > 7_500, case .segments(let id, let from, let to, _) = event {
            payload = (try? encoder.encode(RealtimeEvent.segments(id: id, fromSeq: from, toSeq: to, segments: []))) ?? payload
        }
        return DatabaseNotification(channel: Self.channel, payload: String(decoding: payload, as: UTF8.self))
    }

    public func subscribe() async -> AsyncStream<RealtimeEvent> { fanOut.subscribe() }

    /// Listens until shutdown, reconnecting after failures.
    public func run() async throws {
        let configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        var connectionID = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            connectionID += 1
            do {
                let connection = try await PostgresConnection.connect(
                    on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: connectionID, logger: logger
                ).get()
                do {
                    try await withGracefulShutdownHandler {
                        try await connection.listen(on: Self.channel) { notifications in
                            for try await notification in notifications {
                                guard let event = try? decoder.decode(RealtimeEvent.self, from: Data(notification.payload.utf8)) else { continue }
                                fanOut.deliver(event)
                            }
                        }
                    } onGracefulShutdown: {
                        connection.close().whenComplete { _ in }
                    }
                } catch {
                    // A connection must be closed before it is released, whatever ended the listen.
                    try? await connection.close().get()
                    throw error
                }
                try? await connection.close().get()
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                logger.error("realtime LISTEN connection failed; reconnecting: \(String(reflecting: error))")
                try? await Task.sleep(for: .seconds(1))
            }
        }
        fanOut.finish()
    }
}
