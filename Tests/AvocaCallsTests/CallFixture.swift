import AvocaCalls
import AvocaCore
import AvocaPersistence
import AvocaTestSupport
import Foundation
import Logging

/// The call service, router and an in-process bus on a fresh database, with a manual clock.
struct CallFixture {
    let calls: CallService
    let router: CallRouter
    let repository: FluentCallRepository
    let identity: FluentIdentityRepository
    let directory: FluentDirectoryRepository
    let bus: InProcessEventBus
    let clock: ManualClock
    let database: AvocaDatabase

    static func run(_ body: (CallFixture) async throws -> Void) async throws {
        try await TestDatabase.withMigrated { database in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
            let bus = InProcessEventBus()
            let repository = FluentCallRepository(database: database)
            let directory = FluentDirectoryRepository(database: database)
            let logger = Logger(label: "test")
            let calls = Self.service(repository, directory, bus, clock)
            let router = CallRouter(repository: repository, calls: calls, bus: bus, clock: clock, offerTimeout: 20, staleAfter: 120, logger: logger)
            try await body(
                CallFixture(
                    calls: calls, router: router, repository: repository, identity: FluentIdentityRepository(database: database),
                    directory: directory,
                    bus: bus, clock: clock, database: database))
        }
    }

    static func service(
        _ repository: FluentCallRepository, _ directory: FluentDirectoryRepository, _ bus: InProcessEventBus, _ clock: ManualClock
    )
        -> CallService
    {
        CallService(
            repository: repository, directory: directory, bus: bus, clock: clock, timeZone: TimeZone(identifier: "America/Chicago")!,
            tokenHasher: TokenHasher(secret: Array(repeating: 7, count: 32)), logger: Logger(label: "test"))
    }

    /// A second service on the same database, as after a restart or on another instance.
    func restartedService() -> CallService { Self.service(repository, directory, bus, clock) }

    /// An enrolled agent with an open realtime connection, so routing counts them as online.
    func onlineAgent(_ name: String) async throws -> Employee {
        let employee = try await identity.createEmployee(
            email: "\(name)@example.com", firstName: name, lastName: "Agent", passwordHash: "x", now: clock.now())
        try await identity.activateTOTP(employee.id, sealedSecret: Data([1]), step: 1, at: clock.now())
        try await repository.touchConnection(UUID(), employee: employee.id, at: clock.now())
        try await repository.setAvailable(employee.id, true, at: clock.now())
        return employee
    }

    /// Speaks words into a call, one segment each, starting at `seq`.
    func say(_ id: PhoneCallID, from seq: Int, _ text: String, speaker: Speaker = .caller) async throws {
        let words = text.split(separator: " ").enumerated().map {
            TranscriptSegment(seq: seq + $0.offset, speaker: speaker, text: String($0.element))
        }
        _ = try await calls.appendTranscript(id, segments: words)
    }

    /// The domain error code a call throws, if any.
    static func errorCode(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch DomainError.conflict(let code, _, _) {
            return code
        } catch DomainError.validation {
            return "validation"
        } catch DomainError.notFound(let entity) {
            return "not_found:\(entity)"
        } catch DomainError.forbidden {
            return "forbidden"
        } catch {
            return "\(error)"
        }
    }
}
