import AvocaCalls
import AvocaCore
import AvocaPersistence
import AvocaTestSupport
import Foundation
import Logging
import Testing

/// On PostgreSQL a word that continues a call is stored and announced by one statement: the
/// `NOTIFY` rides in the append, commits with it, and nothing else publishes it again.
@Suite(
    "Calls: transcript words are stored and announced in one statement on PostgreSQL", .timeLimit(.minutes(2)),
    .enabled(if: TestDatabase.adminURL != nil, "PostgreSQL only: on SQLite the bus is in-process"))
struct TranscriptNotifyTests {
    /// Every event the bus delivered, in order.
    actor Inbox {
        private(set) var events: [RealtimeEvent] = []
        func add(_ event: RealtimeEvent) { events.append(event) }
    }

    /// Whether `event` announces stored words (insight extraction, which follows words on its own,
    /// publishes other events at any time).
    @Sendable static func isSegments(_ event: RealtimeEvent) -> Bool {
        if case .segments = event { return true }
        return false
    }

    /// What a bus delivered, in order.
    struct Listener {
        let bus: PostgresEventBus
        let inbox: Inbox

        /// The events delivered while `action` ran: up to a marker published after it (LISTEN
        /// delivers in commit order, so nothing `action` sent can arrive after the marker).
        func events(during action: () async throws -> Void) async throws -> [RealtimeEvent] {
            let seen = await inbox.events.count
            try await action()
            let marker = RealtimeEvent.roleChanged(EmployeeID.random())
            await bus.publish(marker)
            return try await withDeadline(waitingFor: "the marker event") {
                while true {
                    let events = await inbox.events
                    if let end = events.lastIndex(of: marker) { return Array(events[seen..<end]) }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
        }
    }

    /// A bus listening on a fresh database, a call service on it and a ringing call.
    struct Setup {
        let listener: Listener
        let repository: FluentCallRepository
        let calls: CallService
        let call: PhoneCall
        let database: AvocaDatabase
        var bus: PostgresEventBus { listener.bus }
        func events(during action: () async throws -> Void) async throws -> [RealtimeEvent] { try await listener.events(during: action) }
    }

    static func run(_ body: @escaping @Sendable (Setup) async throws -> Void) async throws {
        try await TestDatabase.withMigrated { database in
            guard case .postgres(let url) = database.location else { return }
            let logger = Logger(label: "test")
            let bus = PostgresEventBus(url: url, database: database, logger: logger)
            let inbox = Inbox()
            let stream = await bus.subscribe()
            let listening = Task { try await bus.run() }
            let collecting = Task { for await event in stream { await inbox.add(event) } }
            defer {
                listening.cancel()
                collecting.cancel()
            }
            // The LISTEN connection is up once a probe comes back.
            let probe = RealtimeEvent.roleChanged(EmployeeID.random())
            try await withDeadline(waitingFor: "the LISTEN connection") {
                while await !inbox.events.contains(probe) {
                    await bus.publish(probe)
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let repository = FluentCallRepository(database: database)
            let calls = CallService(
                repository: repository, directory: FluentDirectoryRepository(database: database), bus: bus,
                clock: ManualClock(Date(timeIntervalSince1970: 1_800_000_000)), timeZone: TimeZone(identifier: "America/Chicago")!,
                tokenHasher: TokenHasher(secret: Array(repeating: 7, count: 32)), logger: logger)
            let listener = Listener(bus: bus, inbox: inbox)
            var call: PhoneCall?
            _ = try await listener.events { call = try await calls.startCall(phoneNumber: "+13125550142", startedAt: nil, externalID: nil) }
            try await body(Setup(listener: listener, repository: repository, calls: calls, call: try #require(call), database: database))
            await calls.settle()
        }
    }

    static func words(from seq: Int, _ text: String, at: Date? = nil) -> [TranscriptSegment] {
        text.split(separator: " ").enumerated().map {
            TranscriptSegment(seq: seq + $0.offset, speaker: .caller, text: String($0.element), createdAt: at)
        }
    }

    @Test("a batch that continues the call is announced by the statement that stores it, exactly as published")
    func storedAndAnnounced() async throws {
        try await Self.run { s in
            let at = Date(timeIntervalSince1970: 1_800_000_100)
            let words = Self.words(from: 1, "my water heater", at: at)
            let event = RealtimeEvent.segments(id: s.call.id, fromSeq: 1, toSeq: 3, segments: words)
            var result: AppendResult?
            let events = try await s.events {
                result = try await s.repository.appendSegments(words, to: s.call.id, at: at, notifying: s.bus.databaseNotification(for: event))
            }
            #expect(result?.notified == true)
            #expect(result?.stored == words)
            #expect(events.filter(Self.isSegments) == [event])
            #expect(try await s.repository.segments(of: s.call.id, after: 0).map(\.text) == ["my", "water", "heater"])
        }
    }

    @Test("a retry, a gap, an ended call and a statement that fails send nothing")
    func nothingSentWithoutStore() async throws {
        try await Self.run { s in
            let at = Date(timeIntervalSince1970: 1_800_000_100)
            func append(_ words: [TranscriptSegment]) async throws -> AppendResult {
                let event = RealtimeEvent.segments(id: s.call.id, fromSeq: words[0].seq, toSeq: words[words.count - 1].seq, segments: words)
                return try await s.repository.appendSegments(words, to: s.call.id, at: at, notifying: s.bus.databaseNotification(for: event))
            }
            #expect(try await s.events { _ = try await append(Self.words(from: 1, "no hot water", at: at)) }.filter(Self.isSegments).count == 1)

            let none = try await s.events {
                let retry = try await append(Self.words(from: 2, "hot water", at: at))
                #expect(!retry.notified)
                #expect(retry.stored.isEmpty)
                #expect(await CallFixture.errorCode { _ = try await append(Self.words(from: 9, "later", at: at)) } == "transcript_gap")
                // A word already sits at seq 4 although the call's last_seq is 3: the insert fails,
                // the whole statement rolls back, and its notification with it.
                try await s.database.execute(
                    "INSERT INTO transcript_segments (id, phone_call_id, seq, speaker, text, created_at) "
                        + "VALUES ('\(UUID())', '\(s.call.id.uuid)', 4, 'caller', 'stray', now())")
                await #expect(throws: (any Error).self) { _ = try await append(Self.words(from: 4, "since", at: at)) }
            }
            #expect(none.filter(Self.isSegments) == [])
            #expect(try await s.repository.call(s.call.id)?.lastSeq == 3, "the failed statement moved nothing")

            _ = try await s.events { _ = try await s.calls.endCall(s.call.id) }
            let afterEnd = try await s.events {
                #expect(await CallFixture.errorCode { _ = try await append(Self.words(from: 4, "since", at: at)) } == "call_ended")
            }
            #expect(afterEnd.filter(Self.isSegments) == [])
        }
    }

    @Test("through the call service, a stored batch is announced once, not once by the store and again by the service")
    func announcedOnce() async throws {
        try await Self.run { s in
            let words = Self.words(from: 1, "the furnace clicks")
            var stored: [Int] = []
            let first = try await s.events { stored.append(try await s.calls.appendTranscript(s.call.id, segments: words).stored) }
            #expect(first.filter(Self.isSegments).count == 1, "\(first)")
            // A retry stores nothing, and nothing is announced.
            let retry = try await s.events { stored.append(try await s.calls.appendTranscript(s.call.id, segments: words).stored) }
            #expect(retry.filter(Self.isSegments).isEmpty, "\(retry)")
            #expect(stored == [3, 0])
        }
    }
}
