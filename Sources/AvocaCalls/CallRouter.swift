import AvocaCore
import Foundation
import Logging
import ServiceLifecycle

/// Offers each ringing call to the next available agent — round-robin by longest idle — moves
/// expired or declined offers on, and ends calls whose source has gone silent. Every instance runs
/// it; the database's conditional writes make sure a call has at most one pending offer.
public struct CallRouter: Service {
    let repository: any CallRepository
    let calls: CallService
    let bus: any EventBus
    let clock: any AppClock
    /// How long an agent has to accept an offer.
    let offerTimeout: TimeInterval
    /// A live call with no news from its source for this long is ended ("stale").
    let staleAfter: TimeInterval
    /// `external_id` prefixes of calls a carrier bridge reports the end of itself (`twilio:`).
    let carrierPrefixes: [String]
    /// Silence after which such a call is ended anyway: long, because a caller on hold or a rep
    /// looking something up sends no words, and the carrier's status callback ends the call; this
    /// only catches a callback that never came.
    let carrierStaleAfter: TimeInterval
    let tick: Duration
    let logger: Logger

    /// Creates the router.
    public init(
        repository: any CallRepository, calls: CallService, bus: any EventBus, clock: any AppClock, offerTimeout: TimeInterval = 20,
        staleAfter: TimeInterval = 120, carrierPrefixes: [String] = [], carrierStaleAfter: TimeInterval = 4 * 3600,
        tick: Duration = .seconds(1), logger: Logger
    ) {
        self.carrierPrefixes = carrierPrefixes
        self.carrierStaleAfter = carrierStaleAfter
        self.repository = repository
        self.calls = calls
        self.bus = bus
        self.clock = clock
        self.offerTimeout = offerTimeout
        self.staleAfter = staleAfter
        self.tick = tick
        self.logger = logger
    }

    /// Runs one routing pass per tick until shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await routeOnce()
            } catch {
                logger.error("call routing pass failed: \(String(reflecting: error))")
            }
            try? await Task.sleep(for: tick)
        }
    }

    /// Offers an agent may let expire in a row before routing stops ringing them (they are shown as
    /// not responding until they choose Available): an agent who walked away must not keep every
    /// caller waiting out a timeout.
    static let missedOffersLimit = 2

    /// One pass: expire offers, end stale calls, offer waiting calls.
    public func routeOnce() async throws {
        let now = clock.now()
        for offer in try await repository.expireOffers(now: now) {
            try await repository.log(offer.callID, kind: .offerExpired, actor: offer.employeeID, detail: nil, at: now)
            await bus.publish(.offerEnded(id: offer.callID, employee: offer.employeeID, reason: .expired))
            if try await repository.recordMissedOffer(offer.employeeID, limit: Self.missedOffersLimit, at: now) {
                logger.notice("agent not responding: offers expire unanswered", metadata: ["employee_id": "\(offer.employeeID)"])
                await bus.publish(.presence)
            }
        }
        for call in try await repository.staleCalls(silentSince: now.addingTimeInterval(-staleAfter)) {
            if let external = call.externalID, carrierPrefixes.contains(where: external.hasPrefix),
                call.lastActivityAt >= now.addingTimeInterval(-carrierStaleAfter)
            {
                continue
            }
            logger.notice("ending a call whose source went silent", metadata: ["phone_call_id": "\(call.id)"])
            _ = try await calls.end(call.id, reason: .stale)
        }
        let waiting = try await repository.ringingCallsWithoutOffer()
        guard !waiting.isEmpty else { return }
        var agents = try await calls.presence().filter { $0.status == .available }
        // Agents already holding an offer are busy deciding.
        let busy = Set(try await repository.pendingOffers().map(\.employeeID))
        agents.removeAll { busy.contains($0.employeeID) }
        // Longest idle first; never-idle (nil) agents count as idle the longest.
        agents.sort { ($0.idleSince ?? .distantPast, $0.employeeID.description) < ($1.idleSince ?? .distantPast, $1.employeeID.description) }
        for call in waiting {
            let tried = try await repository.offeredAgents(for: call.id)
            guard let index = agents.firstIndex(where: { !tried.contains($0.employeeID) }) else { continue }
            let agent = agents.remove(at: index)
            let offer = CallOffer(callID: call.id, employeeID: agent.employeeID, expiresAt: now.addingTimeInterval(offerTimeout))
            if try await repository.createOffer(offer, at: now) {
                await bus.publish(.offered(id: call.id, employee: agent.employeeID, expiresAt: offer.expiresAt))
            }
        }
    }
}
