import AvocaCore
import AvocaJSON
import Foundation
import Logging
import Metrics
import NIOCore
import ServiceLifecycle
import Synchronization

/// Encodes domain values as the JSON objects of the realtime protocol (implemented by the HTTP
/// layer with the spec's schema types, so the socket and the REST API render calls identically).
public protocol RealtimeRenderer: Sendable {
    func call(_ call: PhoneCall) -> JSONFragment
    func customer(_ customer: Customer) -> JSONFragment
    func presence(_ presence: AgentPresence) -> JSONFragment
    func insight(_ insight: Insight) -> JSONFragment
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
    /// Per call: the connections subscribed to it (the same facts as `subscriptions`, indexed the
    /// other way), so a word costs its few subscribers, not a walk over every socket.
    private var subscribers: [PhoneCallID: Set<UUID>] = [:]
    /// A presence change is waiting to be sent.
    private var presenceDirty = false
    /// Everyone's presence as the sockets here were last told it (`nil` until first needed, and
    /// again while no socket is open, since no change is tracked then). Greetings show this, and
    /// updates carry only what differs from it, so a greeting plus the updates after it is always
    /// the current state.
    private var presenceView: [EmployeeID: AgentPresence]?
    /// `presenceView` as the greeting's `presence` message, encoded once per change.
    private var presenceGreeting: ByteBuffer?
    /// Bumped by every call event; the encoded snapshot is shared by every socket that connects in
    /// between (hundreds connect at once when an instance restarts).
    private var boardGeneration = 0
    private var snapshot: (generation: Int, text: Task<ByteBuffer, any Error>)?
    /// Calls one socket may follow at once (and name in one `resume`): a desk follows a handful.
    public static let maxSubscriptions = 50
    /// Sockets one session may hold open (tabs of one sign-in).
    public static let maxConnectionsPerSession = 8
    private let presenceInterval: Duration
    /// Presence also changes without an event (an instance died and its sockets went stale), so
    /// it is re-read this often even when nothing said it changed.
    private static let presenceRefreshTicks = 30

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
                    var tick = 0
                    while !Task.isCancelled && !Task.isShuttingDownGracefully {
                        try? await Task.sleep(for: self.presenceInterval)
                        tick &+= 1
                        await self.flushPresence(refresh: tick % Self.presenceRefreshTicks == 0)
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
    private func flushPresence(refresh: Bool = false) async {
        if refresh && presenceView != nil { presenceDirty = true }
        guard presenceDirty else { return }
        presenceDirty = false
        guard !connections.isEmpty else {
            // Nobody here to tell: forget the view rather than let it go stale.
            presenceView = nil
            presenceGreeting = nil
            return
        }
        do {
            // Only the agents whose presence changed since the last update: every socket got
            // everyone in its greeting, and a full list per change would be (agents × sockets).
            let current = try await calls.presence()
            let changed = current.filter { presenceView?[$0.employeeID] != $0 }
            let before = presenceView?.count
            presenceView = Dictionary(current.map { ($0.employeeID, $0) }, uniquingKeysWith: { first, _ in first })
            // A deactivated agent leaves the list without a change to announce; greetings drop them too.
            if !changed.isEmpty || before != presenceView?.count { presenceGreeting = nil }
            guard !changed.isEmpty else { return }
            var message = JSONObjectWriter(event: "presence")
            message.array("agents", changed.map(renderer.presence))
            send(message.encoded, to: .everyone)
        } catch {
            presenceDirty = true
            logger.error("presence update failed: \(String(reflecting: error))")
        }
    }

    /// Registers a socket and greets it with `hello`, a `snapshot` of the board and everyone's
    /// `presence` (and, for a supervisor's socket, `floor_offers`). The snapshot and the presence
    /// list are encoded once and shared; per socket there is one small read, its own presence.
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
        var greeting: [ByteBuffer] = []
        do {
            let own = try await calls.presence(of: employee)
            var hello = JSONObjectWriter(event: "hello")
            hello.string("employee_id", employee.description)
            hello.string("server_time", InternetDateTime.string(from: Date()))
            hello.bool("watches_floor", watchesFloor)
            hello.fragment("presence", own.map(renderer.presence))
            greeting.append(ByteBuffer(string: hello.encoded))
            greeting.append(try await boardSnapshot())
            greeting.append(try await everyonesPresence())
            // The shared list may not have caught up with this socket's own arrival yet (the
            // update that does is at most a second away); the console takes its own state from
            // the last word, so that word is the fresh one.
            if let own, presenceView?[employee] != own {
                var correction = JSONObjectWriter(event: "presence")
                correction.array("agents", [renderer.presence(own)])
                greeting.append(ByteBuffer(string: correction.encoded))
            }
            if watchesFloor {
                var offers = JSONObjectWriter(event: "floor_offers")
                offers.array("offers", try await calls.pendingOffers().map(Self.floorOffer))
                greeting.append(ByteBuffer(string: offers.encoded))
            }
        } catch {
            disconnect(connection.id)
            throw error
        }
        connection.greet(greeting)
        return connection
    }

    /// The board as a `snapshot` message, read and encoded once per board change.
    private func boardSnapshot() async throws -> ByteBuffer {
        // Safe to share: a cached snapshot is from before this socket registered only if no call
        // event has reached the hub since it was read, and any later event reaches this socket.
        if let snapshot, snapshot.generation == boardGeneration { return try await snapshot.text.value }
        let generation = boardGeneration
        let text = Task { [calls, renderer] in
            var message = JSONObjectWriter(event: "snapshot")
            message.array("phone_calls", try await calls.board().map(renderer.call))
            return ByteBuffer(string: message.encoded)
        }
        snapshot = (generation, text)
        do {
            return try await text.value
        } catch {
            if snapshot?.generation == generation { snapshot = nil }
            throw error
        }
    }

    /// Everyone's presence as this hub last told its sockets, as one encoded message.
    private func everyonesPresence() async throws -> ByteBuffer {
        if presenceView == nil {
            let current = try await calls.presence()
            // Another greeting may have loaded it meanwhile: keep the first, updates diff against it.
            if presenceView == nil { presenceView = Dictionary(current.map { ($0.employeeID, $0) }, uniquingKeysWith: { first, _ in first }) }
        }
        if let presenceGreeting { return presenceGreeting }
        let agents = (presenceView ?? [:]).values.sorted { ($0.name, $0.employeeID.description) < ($1.name, $1.employeeID.description) }
        var message = JSONObjectWriter(event: "presence")
        message.array("agents", agents.map(renderer.presence))
        let encoded = ByteBuffer(string: message.encoded)
        presenceGreeting = encoded
        return encoded
    }

    /// Forgets a socket.
    public func disconnect(_ id: UUID) {
        connections[id]?.close()
        connections[id] = nil
        if let calls = subscriptions[id]?.keys { for call in Array(calls) { unsubscribe(id, from: call) } }
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
            connection.send(text: Self.error("malformed", "Send JSON objects with an \"event\" field."))
            return
        }
        do {
            switch event {
            case "ping":
                connection.send(text: Self.pong(echoing: message["id"]))
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
                unsubscribe(id, from: callID)
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
            connection.send(text: Self.error("bad_message", error.message))
        } catch DomainError.notFound {
            connection.send(text: Self.error("not_found", "No such call."))
        } catch {
            logger.error("realtime message failed: \(String(reflecting: error))")
            connection.send(text: Self.error("internal_error", "That did not work; try again."))
        }
    }

    // MARK: Internals

    /// The session already holds `maxConnectionsPerSession` sockets on this instance.
    public struct TooManyConnections: Error {}

    private struct ClientError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    private static func error(_ code: String, _ text: String) -> String {
        var message = JSONObjectWriter(event: "error")
        message.string("code", code)
        message.string("message", text)
        return message.encoded
    }

    /// `pong` echoes the client's `id`, whatever JSON value it was (`null` when absent).
    private static func pong(echoing id: Any?) -> String {
        var message = JSONObjectWriter(event: "pong")
        let echoed = id.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) }
        message.fragment("id", echoed.map { JSONFragment(String(decoding: $0, as: UTF8.self)) })
        return message.encoded
    }

    private func subscribe(_ id: UUID, to callID: PhoneCallID, after seq: Int) async throws {
        let call = try await calls.call(callID)
        let missed = try await calls.segments(of: callID, after: seq)
        guard let connection = connections[id] else { return }
        // Tokens that arrived while loading are filtered by the last seq, so nothing repeats.
        let already = max(seq, subscriptions[id]?[callID] ?? seq)
        let fresh = missed.filter { $0.seq > already }
        subscriptions[id]?[callID] = max(already, fresh.last?.seq ?? already)
        subscribers[callID, default: []].insert(id)
        var message = JSONObjectWriter(event: "phone_call_transcript")
        message.string("phone_call_id", callID.description)
        message.array("segments", fresh.map(Self.segment))
        message.int("last_seq", subscriptions[id]?[callID] ?? 0)
        message.int("after_seq", seq)
        connection.send(text: message.encoded)
        connection.send(text: try await Self.insightsMessage(callID, call: call, calls: calls, renderer: renderer))
    }

    private func dispatch(_ event: RealtimeEvent) async throws {
        switch event {
        case .call(let id, let change, let actor):
            boardGeneration &+= 1
            // Who did it travels in the event: one message for every socket, no read per socket.
            let by = actor.map(Self.actor)
            prepare(id, for: .everyone) { [calls, renderer] in
                var message = JSONObjectWriter(event: "phone_call_\(change.rawValue)")
                message.fragment("phone_call", renderer.call(try await calls.call(id)))
                message.fragment("actor", by)
                return message.encoded
            }
        case .segments(let id, let fromSeq, let toSeq, let inline):
            try await deliver(id, fromSeq: fromSeq, toSeq: toSeq, inline: inline)
        case .partial(let id, let speaker, let text, let afterSeq):
            // Sent here, in bus order, not through a lane: a partial must never overtake the final
            // words published after it (they replace it on the desk).
            var message = JSONObjectWriter(event: "phone_call_partial")
            message.string("phone_call_id", id.description)
            message.string("speaker", speaker.rawValue)
            message.string("text", text)
            message.int("after_seq", afterSeq)
            send(message.encoded, to: .subscribers(id))
        case .offered(let id, let employee, let expiresAt):
            prepare(id, for: .employee(employee)) { [calls, renderer] in
                var message = JSONObjectWriter(event: "phone_call_offered")
                message.fragment("phone_call", renderer.call(try await calls.call(id)))
                message.string("expires_at", InternetDateTime.string(from: expiresAt))
                return message.encoded
            }
            if connections.values.contains(where: \.watchesFloor) {
                let offer = CallOffer(callID: id, employeeID: employee, expiresAt: expiresAt)
                prepare(id, for: .floor) {
                    var message = JSONObjectWriter(event: "floor_offer")
                    Self.writeOffer(offer, to: &message)
                    return message.encoded
                }
            }
        case .offerEnded(let id, let employee, let reason):
            // In the call's lane too, so it can never overtake the offer it ends.
            prepare(id, for: .employee(employee)) {
                var message = JSONObjectWriter(event: "phone_call_offer_ended")
                message.string("phone_call_id", id.description)
                message.string("reason", reason.rawValue)
                return message.encoded
            }
            if connections.values.contains(where: \.watchesFloor) {
                prepare(id, for: .floor) {
                    var message = JSONObjectWriter(event: "floor_offer_ended")
                    message.string("phone_call_id", id.description)
                    message.string("employee_id", employee.description)
                    message.string("reason", reason.rawValue)
                    return message.encoded
                }
            }
        case .insights(let id):
            guard subscribers[id]?.isEmpty == false else { return }
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
    private func prepare(_ id: PhoneCallID, for audience: Audience, _ message: @escaping @Sendable () async throws -> String) {
        laneGeneration &+= 1
        let generation = laneGeneration
        let previous = lanes[id]?.tail
        let logger = logger
        let tail = Task {
            await previous?.value
            var text: String?
            do {
                text = try await message()
            } catch {
                logger.error("realtime message failed", metadata: ["phone_call_id": "\(id)", "error": "\(String(reflecting: error))"])
            }
            self.send(text, to: audience, closingLane: id, generation: generation)
        }
        lanes[id] = (generation, tail)
    }

    private func send(_ text: String?, to audience: Audience, closingLane id: PhoneCallID, generation: Int) {
        if lanes[id]?.generation == generation { lanes[id] = nil }
        if let text { send(text, to: audience) }
    }

    /// Queues one encoded message for its audience; a client whose queue overflows is dropped.
    private func send(_ text: String, to audience: Audience) {
        // Converted once: every socket's frames share these bytes.
        let message = ByteBuffer(string: text)
        let targets: [RealtimeConnection] =
            if case .subscribers(let call) = audience { (subscribers[call] ?? []).compactMap { connections[$0] } } else { Array(connections.values) }
        for connection in targets {
            switch audience {
            case .everyone: break
            case .employee(let employee): guard connection.employeeID == employee else { continue }
            case .subscribers(let call): guard subscriptions[connection.id]?[call] != nil else { continue }
            case .floor: guard connection.watchesFloor else { continue }
            }
            if !connection.send(message) { dropSlow(connection) }
        }
    }

    private func unsubscribe(_ connection: UUID, from call: PhoneCallID) {
        subscriptions[connection]?[call] = nil
        subscribers[call]?.remove(connection)
        if subscribers[call]?.isEmpty == true { subscribers[call] = nil }
    }

    /// Sends each subscriber the segments it has not had yet, loading from the database only when
    /// the event does not carry them (or the subscriber is behind).
    private func deliver(_ id: PhoneCallID, fromSeq: Int, toSeq: Int, inline: [TranscriptSegment]) async throws {
        var loaded: [Int: [TranscriptSegment]] = [:]
        var encoded: [Int: ByteBuffer] = [:]
        for connection in (subscribers[id] ?? []).compactMap({ connections[$0] }) {
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
            guard let newest = batch.last else { continue }
            var delivered = true
            for segment in batch where delivered {
                // Every subscriber gets the same token: encode it once per delivery.
                let message = encoded[segment.seq] ?? ByteBuffer(string: Self.token(segment, of: id))
                encoded[segment.seq] = message
                delivered = connection.send(message)
            }
            guard delivered else {
                dropSlow(connection)
                continue
            }
            subscriptions[connection.id]?[id] = newest.seq
        }
    }

    private static func insightsMessage(_ id: PhoneCallID, call: PhoneCall, calls: CallService, renderer: any RealtimeRenderer) async throws -> String
    {
        var message = JSONObjectWriter(event: "phone_call_insights")
        message.string("phone_call_id", id.description)
        message.array("insights", try await calls.insights(for: call).map(renderer.insight))
        message.array("customer_matches", try await calls.matches(for: call).map(renderer.customer))
        return message.encoded
    }

    /// Closes a client whose buffer overflowed: it cannot keep up, and waiting for it would delay everyone.
    private func dropSlow(_ connection: RealtimeConnection) {
        logger.notice("closing a realtime client that cannot keep up", metadata: ["connection": "\(connection.id)"])
        Self.slowClientsDropped.increment()
        disconnect(connection.id)
    }

    /// `{"employee_id": …, "name": …}` of a call event.
    static func actor(_ actor: CallActor) -> JSONFragment {
        var object = JSONObjectWriter()
        object.string("employee_id", actor.employeeID.description)
        object.string("name", actor.name)
        return object.fragment
    }

    /// A pending offer as the floor shows it.
    static func floorOffer(_ offer: CallOffer) -> JSONFragment {
        var object = JSONObjectWriter()
        writeOffer(offer, to: &object)
        return object.fragment
    }

    private static func writeOffer(_ offer: CallOffer, to object: inout JSONObjectWriter) {
        object.string("phone_call_id", offer.callID.description)
        object.string("employee_id", offer.employeeID.description)
        object.string("expires_at", InternetDateTime.string(from: offer.expiresAt))
    }

    static func segment(_ segment: TranscriptSegment) -> JSONFragment {
        var object = JSONObjectWriter()
        writeSegment(segment, to: &object)
        return object.fragment
    }

    /// A live word: the segment's fields plus the event and the call, in one flat message.
    static func token(_ segment: TranscriptSegment, of call: PhoneCallID) -> String {
        var message = JSONObjectWriter(event: "phone_call_token")
        message.string("phone_call_id", call.description)
        writeSegment(segment, to: &message)
        return message.encoded
    }

    private static func writeSegment(_ segment: TranscriptSegment, to object: inout JSONObjectWriter) {
        object.int("seq", segment.seq)
        object.string("speaker", segment.speaker.rawValue)
        object.string("text", segment.text)
        if let createdAt = segment.createdAt { object.string("created_at", InternetDateTime.string(from: createdAt)) }
    }

    /// Number of open sockets on this instance.
    public var connectionCount: Int { connections.count }
}
