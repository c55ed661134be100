import AvocaCore
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Turns domain values into the JSON objects of the realtime protocol (implemented by the HTTP
/// layer, so the socket and the REST API render calls identically).
public protocol RealtimeRenderer: Sendable {
    func call(_ call: PhoneCall) -> [String: Any]
    func customer(_ customer: Customer) -> [String: Any]
    func presence(_ presence: AgentPresence) -> [String: Any]
    func insight(_ insight: Insight) -> [String: Any]
}

/// One open realtime socket: its identity and a bounded outbound queue. When the queue is full the
/// client is too slow; the queue is finished, the socket closes and the client resumes later —
/// it never slows anyone else down.
public final class RealtimeConnection: Sendable {
    /// Connection id (also its row in `realtime_connections`).
    public let id: UUID
    /// The agent.
    public let employeeID: EmployeeID
    /// The session the ticket was issued for.
    public let sessionID: SessionID
    /// A supervisor's or an admin's socket: it is also told who each ringing call is offered to.
    public let watchesFloor: Bool
    /// Messages to write to the socket, in order.
    public let messages: AsyncStream<String>
    let continuation: AsyncStream<String>.Continuation

    private let finished = ClosedFlag()
    private let bufferSize: Int
    /// Bytes queued and not yet written: a client that stops reading is cut off at `maxQueuedBytes`
    /// too, so a few large messages (snapshots, insights) cannot pin megabytes per socket.
    private let queuedBytes = Mutex(0)
    static let maxQueuedBytes = 4 << 20
    /// Events that arrive while the greeting is being read from the database wait here (`nil`
    /// once greeted), so `hello` is always the first message and nothing in between is lost.
    private let held = Mutex<[String]?>([])

    init(id: UUID, employeeID: EmployeeID, sessionID: SessionID, watchesFloor: Bool, bufferSize: Int) {
        self.id = id
        self.employeeID = employeeID
        self.sessionID = sessionID
        self.watchesFloor = watchesFloor
        self.bufferSize = bufferSize
        (messages, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingOldest(bufferSize))
        continuation.onTermination = { [finished] _ in finished.value.withLock { $0 = true } }
    }

    /// Whether the hub has closed this connection (too slow, revoked, shutting down); the socket
    /// layer then drops the peer even if a write to it is stuck.
    public var isClosed: Bool { finished.value.withLock { $0 } }

    /// Queues a message; `false` when the buffer is full (the connection is then closed).
    @discardableResult
    func send(_ object: [String: Any]) -> Bool {
        guard let text = Self.encode(object) else { return true }
        return send(text: text)
    }

    /// The wire form of a message (encode once, send to many).
    static func encode(_ object: [String: Any]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Queues an encoded message; `false` when the buffer is full (the connection is then closed).
    @discardableResult
    func send(text: String) -> Bool {
        let heldBack: Bool? = held.withLock { pending in
            guard pending != nil else { return nil }
            pending!.append(text)
            return pending!.count <= bufferSize
        }
        switch heldBack {
        case true?: return true
        case false?:
            continuation.finish()
            return false
        case nil: return yield(text)
        }
    }

    /// Sends the greeting, then whatever was held back while it was prepared.
    func greet(_ greeting: [[String: Any]]) {
        let pending = held.withLock { pending in
            defer { pending = nil }
            return pending ?? []
        }
        for object in greeting { send(object) }
        for text in pending where !yield(text) { return }
    }

    private func yield(_ text: String) -> Bool {
        let overfull = queuedBytes.withLock { queued in
            queued += text.utf8.count
            return queued > Self.maxQueuedBytes
        }
        if overfull {
            continuation.finish()
            return false
        }
        if case .dropped = continuation.yield(text) {
            continuation.finish()
            return false
        }
        return true
    }

    /// The socket writer took `text` off the queue.
    public func written(_ text: String) {
        queuedBytes.withLock { $0 -= text.utf8.count }
    }

    /// Ends the outbound stream; the socket writer then closes the socket.
    public func close() { continuation.finish() }
}

/// A flag shared with the outbound stream's termination handler.
final class ClosedFlag: Sendable {
    let value = Mutex(false)
}

/// Fans realtime events out to the sockets of this instance. Transcript tokens go only to
/// connections subscribed to the call, exactly once and in seq order: each connection remembers the
/// last seq it was sent and fills any gap from the database.
public actor RealtimeHub: Service {
    private let calls: CallService
    private let bus: any EventBus
    private let renderer: any RealtimeRenderer
    private let bufferSize: Int
    private let logger: Logger
    private var connections: [UUID: RealtimeConnection] = [:]
    /// Per connection: subscribed call → last seq sent.
    private var subscriptions: [UUID: [PhoneCallID: Int]] = [:]
    /// A presence change is waiting to be sent.
    private var presenceDirty = false
    /// Each agent's presence as last broadcast.
    private var sentPresence: [EmployeeID: AgentPresence] = [:]
    /// Calls one socket may follow at once (and name in one `resume`): a desk follows a handful.
    public static let maxSubscriptions = 50
    /// Sockets one session may hold open (tabs of one sign-in).
    public static let maxConnectionsPerSession = 8
    private let presenceInterval: Duration

    /// Creates the hub.
    public init(
        calls: CallService, bus: any EventBus, renderer: any RealtimeRenderer, bufferSize: Int = 1_000, presenceInterval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.presenceInterval = presenceInterval
        self.calls = calls
        self.bus = bus
        self.renderer = renderer
        self.bufferSize = bufferSize
        self.logger = logger
    }

    /// Consumes the bus until shutdown, then closes every socket. Presence changes are coalesced
    /// and sent at most once per `presenceInterval`: with hundreds of agents connecting, one update
    /// per change would multiply into a storm (every change × every socket).
    public func run() async throws {
        let events = await bus.subscribe()
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled && !Task.isShuttingDownGracefully {
                        try? await Task.sleep(for: self.presenceInterval)
                        await self.flushPresence()
                    }
                }
                for await event in events.cancelOnGracefulShutdown() {
                    do {
                        try await dispatch(event)
                    } catch {
                        logger.error("realtime dispatch failed: \(String(reflecting: error))")
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
        }
        for connection in connections.values { connection.close() }
    }

    /// Sends one presence update if anything changed since the last one.
    private func flushPresence() async {
        guard presenceDirty, !connections.isEmpty else { return }
        presenceDirty = false
        do {
            // Only the agents whose presence changed since the last update: every socket got
            // everyone in its greeting, and a full list per change would be (agents × sockets).
            let changed = try await calls.presence().filter { sentPresence[$0.employeeID] != $0 }
            for agent in changed { sentPresence[agent.employeeID] = agent }
            if !changed.isEmpty { broadcast(["event": "presence", "agents": changed.map(renderer.presence)]) }
        } catch {
            presenceDirty = true
            logger.error("presence update failed: \(String(reflecting: error))")
        }
    }

    /// Registers a socket and greets it with `hello` and a `snapshot` of the board (and, for a
    /// supervisor's socket, `floor_offers`).
    public func connect(
        id: UUID = UUID(), employee: EmployeeID, session: SessionID, watchesFloor: Bool = false
    ) async throws -> RealtimeConnection {
        guard connections.values.filter({ $0.sessionID == session }).count < Self.maxConnectionsPerSession else {
            throw TooManyConnections()
        }
        let connection = RealtimeConnection(id: id, employeeID: employee, sessionID: session, watchesFloor: watchesFloor, bufferSize: bufferSize)
        // Registered before the reads below so no event in between is missed; the connection
        // holds such events back until the greeting has gone out (the actor may run other work
        // while this one awaits the database).
        connections[connection.id] = connection
        subscriptions[connection.id] = [:]
        Self.openConnections.record(connections.count)
        let presence: [AgentPresence]
        let board: [PhoneCall]
        let offers: [CallOffer]
        do {
            presence = try await calls.presence()
            board = try await calls.board()
            offers = watchesFloor ? try await calls.pendingOffers() : []
        } catch {
            disconnect(connection.id)
            throw error
        }
        var greeting: [[String: Any]] = [
            [
                "event": "hello", "employee_id": employee.description, "server_time": ISO8601DateFormatter().string(from: Date()),
                "watches_floor": watchesFloor,
                "presence": presence.first { $0.employeeID == employee }.map(renderer.presence) ?? NSNull(),
            ],
            ["event": "snapshot", "phone_calls": board.map(renderer.call)],
            ["event": "presence", "agents": presence.map(renderer.presence)],
        ]
        if watchesFloor { greeting.append(["event": "floor_offers", "offers": offers.map(Self.floorOffer)]) }
        connection.greet(greeting)
        return connection
    }

    /// Forgets a socket.
    public func disconnect(_ id: UUID) {
        connections[id]?.close()
        connections[id] = nil
        subscriptions[id] = nil
        Self.openConnections.record(connections.count)
    }

    /// Sockets open on this instance, and clients cut off for being too slow (on /metrics).
    static let openConnections = Gauge(label: "avoca_realtime_connections")
    static let slowClientsDropped = Counter(label: "avoca_realtime_slow_clients_dropped_total")

    /// Closes every socket of a session (it was revoked).
    public func closeSession(_ session: SessionID) {
        for connection in connections.values where connection.sessionID == session { disconnect(connection.id) }
    }

    /// Handles one client text frame.
    public func receive(_ text: String, from id: UUID) async {
        guard let connection = connections[id] else { return }
        guard let data = text.data(using: .utf8), let message = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let event = message["event"] as? String
        else {
            connection.send(["event": "error", "code": "malformed", "message": "Send JSON objects with an \"event\" field."])
            return
        }
        do {
            switch event {
            case "ping":
                connection.send(["event": "pong", "id": message["id"] ?? NSNull()])
            case "subscribe":
                guard let raw = message["phone_call_id"] as? String, let callID = PhoneCallID(raw) else {
                    throw ClientError("subscribe needs a phone_call_id.")
                }
                guard subscriptions[id]?[callID] != nil || (subscriptions[id]?.count ?? 0) < Self.maxSubscriptions else {
                    throw ClientError("A socket follows at most \(Self.maxSubscriptions) calls; unsubscribe from one first.")
                }
                try await subscribe(id, to: callID, after: (message["after_seq"] as? Int) ?? 0)
            case "unsubscribe":
                guard let raw = message["phone_call_id"] as? String, let callID = PhoneCallID(raw) else {
                    throw ClientError("unsubscribe needs a phone_call_id.")
                }
                subscriptions[id]?[callID] = nil
            case "resume":
                guard let entries = message["calls"] as? [String: Any] else { throw ClientError("resume needs calls: {phone_call_id: last_seq}.") }
                guard entries.count <= Self.maxSubscriptions else { throw ClientError("resume names at most \(Self.maxSubscriptions) calls.") }
                for (raw, value) in entries {
                    guard let callID = PhoneCallID(raw), let seq = value as? Int, seq >= 0 else { throw ClientError("resume: bad entry \(raw).") }
                    try await subscribe(id, to: callID, after: seq)
                }
            default:
                throw ClientError("Unknown event \(event).")
            }
        } catch let error as ClientError {
            connection.send(["event": "error", "code": "bad_message", "message": error.message])
        } catch DomainError.notFound {
            connection.send(["event": "error", "code": "not_found", "message": "No such call."])
        } catch {
            logger.error("realtime message failed: \(String(reflecting: error))")
            connection.send(["event": "error", "code": "internal_error", "message": "That did not work; try again."])
        }
    }

    // MARK: Internals

    /// The session already holds `maxConnectionsPerSession` sockets on this instance.
    public struct TooManyConnections: Error {}

    private struct ClientError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    private func subscribe(_ id: UUID, to callID: PhoneCallID, after seq: Int) async throws {
        let call = try await calls.call(callID)
        let missed = try await calls.segments(of: callID, after: seq)
        guard let connection = connections[id] else { return }
        // Tokens that arrived while loading are filtered by the last seq, so nothing repeats.
        let already = max(seq, subscriptions[id]?[callID] ?? seq)
        let fresh = missed.filter { $0.seq > already }
        subscriptions[id]?[callID] = max(already, fresh.last?.seq ?? already)
        connection.send([
            "event": "phone_call_transcript", "phone_call_id": callID.description, "segments": fresh.map(Self.segment),
            "last_seq": subscriptions[id]?[callID] ?? 0, "after_seq": seq,
        ])
        try await sendInsights(callID, call: call, to: [connection])
    }

    private func dispatch(_ event: RealtimeEvent) async throws {
        switch event {
        case .call(let id, let change):
            prepare(id, for: .everyone) { [calls, renderer] in
                ["event": "phone_call_\(change.rawValue)", "phone_call": renderer.call(try await calls.call(id))]
            }
        case .segments(let id, let fromSeq, let toSeq, let inline):
            try await deliver(id, fromSeq: fromSeq, toSeq: toSeq, inline: inline)
        case .partial(let id, let speaker, let text, let afterSeq):
            // Sent here, in bus order, not through a lane: a partial must never overtake the final
            // words published after it (they replace it on the desk).
            let frame: [String: Any] = [
                "event": "phone_call_partial", "phone_call_id": id.description, "speaker": speaker.rawValue, "text": text, "after_seq": afterSeq,
            ]
            guard let encoded = RealtimeConnection.encode(frame) else { return }
            for connection in connections.values where subscriptions[connection.id]?[id] != nil {
                if !connection.send(text: encoded) { dropSlow(connection) }
            }
        case .offered(let id, let employee, let expiresAt):
            prepare(id, for: .employee(employee)) { [calls, renderer] in
                [
                    "event": "phone_call_offered", "phone_call": renderer.call(try await calls.call(id)),
                    "expires_at": ISO8601DateFormatter().string(from: expiresAt),
                ]
            }
            if connections.values.contains(where: \.watchesFloor) {
                let offer = CallOffer(callID: id, employeeID: employee, expiresAt: expiresAt)
                prepare(id, for: .floor) {
                    var message = Self.floorOffer(offer)
                    message["event"] = "floor_offer"
                    return message
                }
            }
        case .offerEnded(let id, let employee, let reason):
            // In the call's lane too, so it can never overtake the offer it ends.
            prepare(id, for: .employee(employee)) {
                ["event": "phone_call_offer_ended", "phone_call_id": id.description, "reason": reason.rawValue]
            }
            if connections.values.contains(where: \.watchesFloor) {
                prepare(id, for: .floor) {
                    ["event": "floor_offer_ended", "phone_call_id": id.description, "employee_id": employee.description, "reason": reason.rawValue]
                }
            }
        case .insights(let id):
            guard connections.keys.contains(where: { subscriptions[$0]?[id] != nil }) else { return }
            prepare(id, for: .subscribers(id)) { [calls, renderer] in
                try await Self.insightsMessage(id, call: try await calls.call(id), calls: calls, renderer: renderer)
            }
        case .presence:
            presenceDirty = true
        case .sessionEnded(let session):
            closeSession(session)
        case .employeeSessionsEnded(let employee, let kept):
            for connection in connections.values where connection.employeeID == employee && connection.sessionID != kept {
                disconnect(connection.id)
            }
        case .roleChanged(let employee):
            // The session stays good: the socket closes as "reconnect" and the console comes back
            // with a greeting for the new role (a demoted supervisor stops getting the floor).
            for connection in connections.values where connection.employeeID == employee { disconnect(connection.id) }
        }
    }

    /// Who a prepared message goes to.
    private enum Audience: Sendable {
        case everyone
        case employee(EmployeeID)
        case subscribers(PhoneCallID)
        /// Supervisors' and admins' sockets.
        case floor
    }

    /// Per call, the last message being prepared: a call's messages go out in the order its events came.
    private var lanes: [PhoneCallID: (generation: Int, tail: Task<Void, Never>)] = [:]
    private var laneGeneration = 0

    /// Reads and renders a message off the hub's loop, then sends it. The database reads behind a
    /// call change or new insights would otherwise hold up every other call's words; each call's
    /// messages still leave in the order its events arrived.
    private func prepare(
        _ id: PhoneCallID, for audience: Audience, _ message: @escaping @Sendable () async throws -> [String: Any]
    ) {
        laneGeneration &+= 1
        let generation = laneGeneration
        let previous = lanes[id]?.tail
        let logger = logger
        let tail = Task {
            await previous?.value
            var text: String?
            do {
                text = RealtimeConnection.encode(try await message())
            } catch {
                logger.error("realtime message failed", metadata: ["phone_call_id": "\(id)", "error": "\(String(reflecting: error))"])
            }
            self.send(text, to: audience, closingLane: id, generation: generation)
        }
        lanes[id] = (generation, tail)
    }

    private func send(_ text: String?, to audience: Audience, closingLane id: PhoneCallID, generation: Int) {
        if lanes[id]?.generation == generation { lanes[id] = nil }
        guard let text else { return }
        for connection in connections.values {
            switch audience {
            case .everyone: break
            case .employee(let employee): guard connection.employeeID == employee else { continue }
            case .subscribers(let call): guard subscriptions[connection.id]?[call] != nil else { continue }
            case .floor: guard connection.watchesFloor else { continue }
            }
            if !connection.send(text: text) { dropSlow(connection) }
        }
    }

    /// Sends each subscriber the segments it has not had yet, loading from the database only when
    /// the event does not carry them (or the subscriber is behind).
    private func deliver(_ id: PhoneCallID, fromSeq: Int, toSeq: Int, inline: [TranscriptSegment]) async throws {
        var loaded: [Int: [TranscriptSegment]] = [:]
        var encoded: [Int: String] = [:]
        for connection in connections.values {
            guard let last = subscriptions[connection.id]?[id], last < toSeq else { continue }
            var batch: [TranscriptSegment]
            if !inline.isEmpty && last >= fromSeq - 1 {
                batch = inline.filter { $0.seq > last }
            } else {
                if loaded[last] == nil { loaded[last] = try await calls.segments(of: id, after: last) }
                batch = loaded[last] ?? []
            }
            // Re-read after the await: another delivery may have advanced this subscriber.
            let current = subscriptions[connection.id]?[id] ?? last
            batch = batch.filter { $0.seq > current }
            guard !batch.isEmpty else { continue }
            var delivered = true
            for segment in batch where delivered {
                // Every subscriber gets the same token: encode it once per delivery.
                if encoded[segment.seq] == nil {
                    var token = Self.segment(segment)
                    token["event"] = "phone_call_token"
                    token["phone_call_id"] = id.description
                    encoded[segment.seq] = RealtimeConnection.encode(token)
                }
                if let text = encoded[segment.seq] { delivered = connection.send(text: text) }
            }
            guard delivered else {
                dropSlow(connection)
                continue
            }
            subscriptions[connection.id]?[id] = batch.last!.seq
        }
    }

    private func sendInsights(_ id: PhoneCallID, call: PhoneCall, to targets: [RealtimeConnection]) async throws {
        let message = try await Self.insightsMessage(id, call: call, calls: calls, renderer: renderer)
        guard let text = RealtimeConnection.encode(message) else { return }
        for connection in targets { connection.send(text: text) }
    }

    private static func insightsMessage(
        _ id: PhoneCallID, call: PhoneCall, calls: CallService, renderer: any RealtimeRenderer
    ) async throws -> [String: Any] {
        [
            "event": "phone_call_insights", "phone_call_id": id.description, "insights": try await calls.insights(for: call).map(renderer.insight),
            "customer_matches": try await calls.matches(for: call).map(renderer.customer),
        ]
    }

    private func broadcast(_ object: [String: Any]) {
        guard let text = RealtimeConnection.encode(object) else { return }
        for connection in connections.values where !connection.send(text: text) { dropSlow(connection) }
    }

    /// Closes a client whose buffer overflowed: it cannot keep up, and waiting for it would delay everyone.
    private func dropSlow(_ connection: RealtimeConnection) {
        logger.notice("closing a realtime client that cannot keep up", metadata: ["connection": "\(connection.id)"])
        Self.slowClientsDropped.increment()
        disconnect(connection.id)
    }

    /// A pending offer as the floor shows it.
    static func floorOffer(_ offer: CallOffer) -> [String: Any] {
        [
            "phone_call_id": offer.callID.description, "employee_id": offer.employeeID.description,
            "expires_at": ISO8601DateFormatter().string(from: offer.expiresAt),
        ]
    }

    static func segment(_ segment: TranscriptSegment) -> [String: Any] {
        var rendered: [String: Any] = ["seq": segment.seq, "speaker": segment.speaker.rawValue, "text": segment.text]
        if let createdAt = segment.createdAt { rendered["created_at"] = createdAt.formatted(.iso8601) }
        return rendered
    }

    /// Number of open sockets on this instance.
    public var connectionCount: Int { connections.count }
}
