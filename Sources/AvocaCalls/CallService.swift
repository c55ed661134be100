import AvocaCore
import Foundation
import Logging

/// Calls: ingest from the telephony bridge, the agents' queue operations, presence and tickets.
/// Every change is published on the event bus after it is stored.
public struct CallService: CarrierIngest {
    let repository: any CallRepository
    let directory: any DirectoryRepository
    let bus: any EventBus
    let clock: any AppClock
    let insights: InsightTracker
    let tokenHasher: TokenHasher
    let logger: Logger
    /// Insight extraction running after words were stored and acknowledged.
    let background = BackgroundWork()

    /// Creates the service.
    public init(
        repository: any CallRepository, directory: any DirectoryRepository, bus: any EventBus, clock: any AppClock, timeZone: TimeZone,
        tokenHasher: TokenHasher, logger: Logger
    ) {
        self.repository = repository
        self.directory = directory
        self.bus = bus
        self.clock = clock
        self.insights = InsightTracker(repository: repository, timeZone: timeZone)
        self.tokenHasher = tokenHasher
        self.logger = logger
    }

    // MARK: Ingest

    public func startCall(phoneNumber: String, startedAt: Date?, externalID: String?) async throws -> PhoneCall {
        try await startCall(phoneNumber: phoneNumber, startedAt: startedAt, externalID: externalID, source: nil)
    }

    /// Starts a call for the ingest API key `source`, which may then read the call's state
    /// (`state(of:asKey:)`). Starting an existing `externalID` again returns that call unchanged.
    public func startCall(phoneNumber: String, startedAt: Date?, externalID: String?, source: APIKeyID?) async throws -> PhoneCall {
        let number = phoneNumber.trimmingCharacters(in: .whitespacesAndNewlines)
        var fields: [String: String] = [:]
        if number.isEmpty || number.count > 40 { fields["phone_number"] = "Give the caller's number (up to 40 characters)." }
        if let externalID, externalID.isEmpty || externalID.count > 200 { fields["external_id"] = "1 to 200 characters." }
        guard fields.isEmpty else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields) }
        let now = clock.now()
        let call = PhoneCall(
            id: .random(), phoneNumber: number, externalID: externalID, state: .ringing, startedAt: startedAt ?? now, lastActivityAt: now,
            createdAt: now, updatedAt: now, caller: try await callerMatch(number), sourceKeyID: source)
        let (stored, created) = try await repository.startCall(call)
        if created { await bus.publish(.call(id: stored.id, change: .started)) }
        return stored
    }

    public func appendTranscript(_ id: PhoneCallID, segments: [TranscriptSegment]) async throws -> (lastSeq: Int, stored: Int) {
        var fields: [String: String] = [:]
        if segments.isEmpty || segments.count > 500 { fields["segments"] = "Send 1 to 500 segments." }
        for (index, segment) in segments.enumerated() {
            if segment.seq < 1 { fields["segments[\(index)].seq"] = "Starts at 1." }
            if segment.text.isEmpty || segment.text.count > 4_000 { fields["segments[\(index)].text"] = "1 to 4,000 characters." }
        }
        if Set(segments.map(\.seq)).count != segments.count { fields["segments"] = "Each seq may appear once." }
        guard fields.isEmpty else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields) }
        let now = clock.now()
        // What `announce` publishes if the whole batch is stored: the database can send it with
        // the words, saving a round trip on every word of every call.
        let whole = segments.sorted { $0.seq < $1.seq }.map { TranscriptSegment(seq: $0.seq, speaker: $0.speaker, text: $0.text, createdAt: now) }
        let result = try await repository.appendSegments(
            segments, to: id, at: now, notifying: Self.segmentsEvent(id, whole).flatMap(bus.databaseNotification(for:)))
        await announce(id, stored: result.stored, published: result.notified)
        return (result.lastSeq, result.stored.count)
    }

    public func endCall(_ id: PhoneCallID) async throws -> PhoneCall {
        try await end(id, reason: .hangup)
    }

    /// How long after the hang-up a carrier's final words are still stored (they trail the audio).
    public static let lateWordsGrace: TimeInterval = 30

    public func announcePartial(_ id: PhoneCallID, speaker: Speaker, text: String) async throws {
        let words = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // Small enough for one PostgreSQL NOTIFY payload, whatever the characters.
        guard words.utf8.count <= 2_000 else {
            throw DomainError.validation(message: "Please correct the highlighted fields.", fields: ["text": "At most 2,000 bytes."])
        }
        let call = try await call(id)
        guard call.state.isLive else { throw DomainError.conflict(code: "call_ended", message: "The call has ended; no interim words are shown.") }
        await bus.publish(.partial(id: id, speaker: speaker, text: words, afterSeq: call.lastSeq))
    }

    public func call(externalID: String) async throws -> PhoneCall? { try await repository.call(externalID: externalID) }

    public func state(of id: PhoneCallID) async throws -> CallState { try await call(id).state }

    /// A call as the ingest key `key` may see it: only a call that key started. Any other call is
    /// "not found", so a key learns nothing about calls it did not start.
    public func call(_ id: PhoneCallID, startedBy key: APIKeyID) async throws -> PhoneCall {
        guard let call = try await repository.call(id), call.sourceKeyID == key else { throw DomainError.notFound(entity: "phone_call") }
        return call
    }

    public func appendFinal(_ id: PhoneCallID, speaker: Speaker, text: String, sourceKey: String) async throws -> TranscriptSegment? {
        var fields: [String: String] = [:]
        if text.isEmpty || text.count > 4_000 { fields["text"] = "1 to 4,000 characters." }
        if sourceKey.isEmpty || sourceKey.count > 200 { fields["source_key"] = "1 to 200 characters." }
        guard fields.isEmpty else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields) }
        let now = clock.now()
        let stored = try await repository.appendKeyedSegment(
            speaker: speaker, text: text, sourceKey: sourceKey, to: id, at: now, acceptEndedSince: now.addingTimeInterval(-Self.lateWordsGrace))
        if let stored { await announce(id, stored: [stored]) }
        return stored
    }

    /// The number `employee`'s carrier calls are connected to when they accept one.
    public func ringNumber(of employee: EmployeeID) async throws -> String? { try await repository.ringNumber(for: employee) }

    /// Sets the number `employee`'s calls ring at: E.164 (`+` and 8 to 15 digits), or `nil` to clear it.
    public func setRingNumber(_ number: String?, for employee: EmployeeID) async throws -> String? {
        let trimmed = number?.filter { !" ()-.".contains($0) }
        if let trimmed, !trimmed.isEmpty {
            guard trimmed.first == "+", (9...16).contains(trimmed.count), trimmed.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }),
                trimmed.dropFirst().first != "0"
            else {
                throw DomainError.validation(
                    message: "Please correct the highlighted fields.",
                    fields: ["ring_at": "An international number: + then country code and number, e.g. +13125550142."])
            }
            try await repository.setRingNumber(trimmed, for: employee, at: clock.now())
            return trimmed
        }
        try await repository.setRingNumber(nil, for: employee, at: clock.now())
        return nil
    }

    /// The event announcing stored segments: small batches travel inline, big ones by reference
    /// (PostgreSQL NOTIFY payloads are limited). `nil` for none.
    private static func segmentsEvent(_ id: PhoneCallID, _ stored: [TranscriptSegment]) -> RealtimeEvent? {
        guard let first = stored.first, let last = stored.last else { return nil }
        let inline = stored.reduce(0) { $0 + $1.text.utf8.count } < 4_000 ? stored : []
        return .segments(id: id, fromSeq: first.seq, toSeq: last.seq, segments: inline)
    }

    /// Publishes stored segments (unless the store already did) and extracts what they reveal.
    private func announce(_ id: PhoneCallID, stored: [TranscriptSegment], published: Bool = false) async {
        guard !stored.isEmpty else { return }
        if !published, let event = Self.segmentsEvent(id, stored) { await bus.publish(event) }
        // The bridge is acknowledged once the words are stored and announced; what they reveal
        // follows on its own, so extraction never delays the next words of any call.
        background.start { [insights, bus, logger] in
            do {
                if try await insights.absorb(id, stored: stored) { await bus.publish(.insights(id: id)) }
            } catch {
                logger.error("insight extraction failed", metadata: ["phone_call_id": "\(id)", "error": "\(error)"])
            }
        }
    }

    /// Waits (up to `limit`) for the insight extraction still running for words already stored.
    public func settle(within limit: Duration = .seconds(10)) async { await background.settle(within: limit) }

    /// Ends a live call (hang-up or silence); idempotent.
    func end(_ id: PhoneCallID, reason: CallEndReason) async throws -> PhoneCall {
        guard let (call, ended) = try await repository.end(id, reason: reason, at: clock.now()) else {
            throw DomainError.notFound(entity: "phone_call")
        }
        if ended {
            if let offer = try await repository.closeOffer(for: id, employee: nil, reason: .ended, at: clock.now()) {
                await bus.publish(.offerEnded(id: id, employee: offer.employeeID, reason: .ended))
            }
            await bus.publish(.call(id: id, change: .ended))
            if call.employeeID != nil { await bus.publish(.presence) }
            // The final facts (a number said just before hanging up) follow on their own: when
            // many calls end at once, their catch-ups must not hold up the hang-ups. Insights are
            // derived from the stored words, so nothing is lost if this never runs.
            background.start { [insights, bus, logger] in
                do {
                    if try await insights.absorb(id) { await bus.publish(.insights(id: id)) }
                } catch {
                    logger.error("insight extraction failed", metadata: ["phone_call_id": "\(id)", "error": "\(error)"])
                }
            }
        }
        return call
    }

    // MARK: Agents

    /// One page of calls.
    public func list(_ query: CallQuery) async throws -> ResultPage<PhoneCall> { try await repository.calls(query) }

    /// Live calls and the newest ended ones (the realtime snapshot).
    public func board() async throws -> [PhoneCall] { try await repository.board(recentEnded: 20) }

    /// One call.
    public func call(_ id: PhoneCallID) async throws -> PhoneCall {
        guard let call = try await repository.call(id) else { throw DomainError.notFound(entity: "phone_call") }
        return call
    }

    /// One call, or `nil` when there is none.
    public func optionalCall(_ id: PhoneCallID) async throws -> PhoneCall? { try await repository.call(id) }

    /// A call with its transcript, insights and the customers whose numbers match the caller's.
    public func detail(_ id: PhoneCallID) async throws -> (PhoneCall, [TranscriptSegment], [Insight], [Customer]) {
        let call = try await call(id)
        let segments = try await repository.segments(of: id, after: 0)
        return (call, segments, try await insights.insights(for: call), try await matches(for: call))
    }

    /// Screen pop: customers having the caller's number.
    /// The one customer with this phone number, and their jobs in a line; `nil` for none or several
    /// (several is a choice for the agent, not a name to show). Read once, when the call rings.
    func callerMatch(_ number: String) async throws -> CallerMatch? {
        guard let phone = PhoneNumber(number) else { return nil }
        let found = try await directory.customers(phoneDigits: phone.digits, limit: 2)
        guard found.count == 1, let customer = found.first else { return nil }
        let open = try await directory.jobs(JobQuery(customerID: customer.id, statuses: [.unscheduled, .scheduled, .inProgress], pageSize: 1))
        let newest = try await directory.jobs(JobQuery(customerID: customer.id, pageSize: 1, sortBy: .createdAt, direction: .desc)).items.first
        return CallerMatch(
            customerID: customer.id, name: customer.displayName, openJobs: open.totalItems,
            lastJob: newest.map { job in [job.name, job.description].compactMap { $0 }.first { !$0.isEmpty } ?? "Job #\(job.invoiceNumber)" },
            lastJobAt: newest.map { $0.schedule?.periodStart ?? $0.createdAt })
    }

    public func matches(for call: PhoneCall) async throws -> [Customer] {
        guard let phone = PhoneNumber(call.phoneNumber) else { return [] }
        return try await directory.customers(phoneDigits: phone.digits, limit: 5)
    }

    /// Insights found so far.
    public func insights(for call: PhoneCall) async throws -> [Insight] { try await insights.insights(for: call) }

    /// Segments after `seq`, for resuming clients.
    public func segments(of id: PhoneCallID, after seq: Int) async throws -> [TranscriptSegment] {
        try await repository.segments(of: id, after: seq)
    }

    /// Claims a ringing call — or a missed one, to call back; of concurrent claimants exactly one
    /// wins, the others get `409` naming the owner.
    public func accept(_ id: PhoneCallID, by employee: EmployeeID) async throws -> PhoneCall {
        let now = clock.now()
        guard let call = try await repository.claim(id, by: employee, at: now) else {
            if let callback = try await repository.claimCallback(id, by: employee, at: now) {
                // The callback list is everyone's: whoever takes a missed call owns its outcome.
                await bus.publish(.call(id: id, change: .assigned, actor: CallActor(employeeID: employee, name: callback.employeeName ?? "")))
                return callback
            }
            let current = try await self.call(id)
            if let owner = current.employeeID {
                throw DomainError.conflict(
                    code: owner == employee ? "already_yours" : "already_claimed",
                    message: owner == employee ? "You already have this call." : "\(current.employeeName ?? "Another agent") took this call.",
                    details: ConflictDetails(ownerEmployeeID: owner.description))
            }
            throw DomainError.conflict(code: "call_not_ringing", message: "This call is no longer ringing (\(current.state.rawValue)).")
        }
        try await claimed(id, by: employee, at: now, actor: CallActor(employeeID: employee, name: call.employeeName ?? ""))
        return call
    }

    /// After a won live claim: ends the call's offer, frees the taker's other offers, announces it
    /// as `actor`'s doing (the taker, or the supervisor who gave them the call).
    private func claimed(_ id: PhoneCallID, by employee: EmployeeID, at now: Date, actor: CallActor) async throws {
        if let offer = try await repository.closeOffer(for: id, employee: nil, reason: .taken, at: now) {
            await bus.publish(.offerEnded(id: id, employee: offer.employeeID, reason: offer.employeeID == employee ? .accepted : .taken))
        }
        try await repository.resetMissedOffers(employee)
        // The taker is busy now: a call still ringing on their desk goes to the next agent at once
        // instead of waiting out its timeout there.
        try await withdrawOffers(from: employee, except: id, at: now)
        await bus.publish(.call(id: id, change: .assigned, actor: actor))
        await bus.publish(.presence)
    }

    /// Closes the offers pending for `employee` (busy or marked away), so routing moves them on now.
    private func withdrawOffers(from employee: EmployeeID, except kept: PhoneCallID?, at now: Date) async throws {
        for other in try await repository.callsOffered(to: employee) where other != kept {
            if try await repository.closeOffer(for: other, employee: employee, reason: .busy, at: now) != nil {
                await bus.publish(.offerEnded(id: other, employee: employee, reason: .busy))
            }
        }
    }

    /// A supervisor (or admin) gives a live call to an available agent: a ringing call is claimed
    /// for them, an active one moves from its owner to them. The same conditional writes as
    /// `accept` decide, so of a reassignment and concurrent claims or releases exactly one wins;
    /// the loser gets `409`.
    public func reassign(_ id: PhoneCallID, to target: EmployeeID, by caller: Employee) async throws -> PhoneCall {
        guard caller.role.canSupervise else { throw DomainError.forbidden(message: "Only a supervisor or an admin can reassign calls.") }
        let call = try await self.call(id)
        guard call.state.isLive else {
            throw DomainError.conflict(code: "not_live", message: "Only a live call can be reassigned (this one is \(call.state.rawValue)).")
        }
        guard let agent = try await presence(of: target) else {
            throw DomainError.validation(message: "Please correct the highlighted fields.", fields: ["employee_id": "No such active agent."])
        }
        if call.employeeID == target {
            throw DomainError.conflict(
                code: "already_theirs", message: "\(agent.name) already has this call.", details: ConflictDetails(ownerEmployeeID: target.description)
            )
        }
        guard agent.status == .available else {
            throw DomainError.conflict(
                code: "agent_unavailable",
                message: "\(agent.name) is not available (\(agent.status.rawValue.replacingOccurrences(of: "_", with: " "))).")
        }
        let now = clock.now()
        let moved: PhoneCall?
        if let owner = call.employeeID {
            moved = try await repository.reassign(id, from: owner, to: target, at: now)
        } else {
            moved = try await repository.claim(id, by: target, at: now)
        }
        guard let moved else {
            throw DomainError.conflict(
                code: "call_changed", message: "The call changed meanwhile (taken, released or ended). Reload it and try again.")
        }
        try await repository.log(
            id, kind: .reassigned, actor: caller.id, detail: "from=\(call.employeeID?.description ?? "queue") to=\(target)", at: now)
        logger.notice("call reassigned", metadata: ["phone_call_id": "\(id)", "to": "\(target)", "by": "\(caller.id)"])
        try await claimed(id, by: target, at: now, actor: CallActor(caller))
        return moved
    }

    /// Declines the offer made to `employee`; routing moves on.
    public func decline(_ id: PhoneCallID, by employee: EmployeeID) async throws {
        guard try await repository.closeOffer(for: id, employee: employee, reason: .declined, at: clock.now()) != nil else {
            throw DomainError.notFound(entity: "offer")
        }
        try await repository.log(id, kind: .declined, actor: employee, detail: nil, at: clock.now())
        await bus.publish(.offerEnded(id: id, employee: employee, reason: .declined))
    }

    /// Puts a claimed live call back in the queue (its owner, a supervisor or an admin).
    public func release(_ id: PhoneCallID, by caller: Employee) async throws -> PhoneCall {
        let call = try await self.call(id)
        guard let owner = call.employeeID, call.state == .active else {
            throw DomainError.conflict(code: "not_active", message: "Only a live, claimed call can be released.")
        }
        guard call.employeeID == caller.id || caller.role.canSupervise else {
            throw DomainError.forbidden(message: "Only the agent on this call (or a supervisor) can release it.")
        }
        guard let released = try await repository.release(id, by: owner, at: clock.now()) else {
            throw DomainError.conflict(code: "not_active", message: "The call changed meanwhile.")
        }
        await bus.publish(.call(id: id, change: .updated, actor: CallActor(caller)))
        await bus.publish(.presence)
        return released
    }

    public func returnToQueue(_ id: PhoneCallID) async throws -> PhoneCall? {
        let call = try await call(id)
        guard call.state == .active, let owner = call.employeeID else { return nil }
        guard let released = try await repository.release(id, by: owner, at: clock.now()) else { return nil }
        logger.notice("the rep's phone did not take the call; it rings again", metadata: ["phone_call_id": "\(id)", "employee_id": "\(owner)"])
        await bus.publish(.call(id: id, change: .updated))
        await bus.publish(.presence)
        return released
    }

    /// Links a customer or a job and records outcome and notes (owner or admin). A linked job is
    /// added to the jobs booked on the call (a call can book several; clearing unlinks them all).
    /// Recording an outcome in wrap-up completes the call; `booked` needs a job.
    public func update(_ id: PhoneCallID, by caller: Employee, _ change: CallUpdate) async throws -> PhoneCall {
        var call = try await self.call(id)
        // What the update was decided on; it is written only if the call is still so.
        let read = call
        try requireOwner(call, caller)
        var fields: [String: String] = [:]
        switch change.customer {
        case .unchanged: break
        case .clear: call.customerID = nil
        case .set(let customerID):
            if try await directory.customer(customerID) != nil { call.customerID = customerID } else { fields["customer_id"] = "No such customer." }
        }
        switch change.job {
        case .unchanged: break
        case .clear: call.jobIDs = []
        case .set(let jobID):
            if let job = try await directory.job(jobID) {
                // One more job booked on the call; linking one already on it makes it the latest again.
                call.jobIDs.removeAll { $0 == jobID }
                call.jobIDs.append(jobID)
                if call.customerID == nil { call.customerID = job.customer.id }
                if call.customerID != job.customer.id { fields["job_id"] = "That job belongs to another customer." }
            } else {
                fields["job_id"] = "No such job."
            }
        }
        let (outcome, notes) = (change.outcome, change.notes)
        if let notes {
            if notes.count > 10_000 { fields["notes"] = "At most 10,000 characters." }
            call.notes = notes.isEmpty ? nil : notes
        }
        if let outcome {
            if outcome == .booked && call.jobID == nil { fields["outcome"] = "A booked call needs its job linked." }
            if call.state == .ringing { fields["outcome"] = "Claim the call first." }
            call.outcome = outcome
        }
        guard fields.isEmpty else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields) }
        if call.state == .wrapUp && call.outcome != nil { call.state = .completed }
        call.updatedAt = clock.now()
        guard try await repository.update(call, ifStill: read.state, ownedBy: read.employeeID) else {
            throw DomainError.conflict(
                code: "call_changed", message: "The call changed meanwhile (released, ended or taken). Reload it and try again.")
        }
        let detail = [Self.describe(change.customer, "customer"), Self.describe(change.job, "job"), outcome.map { "outcome=\($0.rawValue)" }]
            .compactMap { $0 }.joined(separator: " ")
        try await repository.log(id, kind: outcome == nil ? .linked : .outcome, actor: caller.id, detail: detail, at: call.updatedAt)
        if read.state == .wrapUp && call.state == .completed {
            // The end of handle time for the reports, whichever update completed the wrap-up.
            try await repository.log(id, kind: .completed, actor: caller.id, detail: nil, at: call.updatedAt)
        }
        await bus.publish(.call(id: id, change: .updated, actor: CallActor(caller)))
        if call.state == .completed { await bus.publish(.presence) }
        return try await self.call(id)
    }

    /// The audit-log form of a link change (`customer=<id>`, `customer=` when cleared).
    private static func describe<Value>(_ change: LinkChange<Value>, _ name: String) -> String? {
        switch change {
        case .unchanged: nil
        case .clear: "\(name)="
        case .set(let value): "\(name)=\(value)"
        }
    }

    private func requireOwner(_ call: PhoneCall, _ caller: Employee) throws {
        guard call.employeeID == caller.id || caller.role == .admin else {
            throw DomainError.forbidden(message: "Only the agent on this call (or an admin) can change it.")
        }
    }

    // MARK: Presence and tickets

    /// Every pending offer, for the supervisors' floor.
    public func pendingOffers() async throws -> [CallOffer] { try await repository.pendingOffers() }

    /// Every agent's presence; connections unseen for 30 s count as gone.
    public func presence() async throws -> [AgentPresence] {
        try await repository.presence(onlineSince: clock.now().addingTimeInterval(-30), of: nil)
    }

    /// One agent's presence (nil for an employee who is not an enrolled, active agent).
    public func presence(of employee: EmployeeID) async throws -> AgentPresence? {
        try await repository.presence(onlineSince: clock.now().addingTimeInterval(-30), of: employee).first
    }

    /// The live floor now, from the database: callers waiting, the longest current wait, agents by state.
    public func floor() async throws -> FloorSnapshot {
        let (waiting, oldest) = try await repository.ringingSummary()
        let now = clock.now()
        var agents = Dictionary(uniqueKeysWithValues: PresenceStatus.allCases.map { ($0, 0) })
        for agent in try await presence() { agents[agent.status, default: 0] += 1 }
        return FloorSnapshot(callsWaiting: waiting, longestWaitSeconds: oldest.map { max(0, now.timeIntervalSince($0)) } ?? 0, agents: agents)
    }

    /// Sets the caller's available/away toggle, with why they are away (break, lunch, …). Routing
    /// alone sets `notResponding`; asked for here it is refused.
    public func setAvailable(_ employee: EmployeeID, _ available: Bool, reason: PresenceReason? = nil) async throws -> AgentPresence? {
        if reason == .notResponding {
            throw DomainError.validation(message: "Choose a reason for being away.", fields: ["reason": "Not a reason you can choose."])
        }
        try await repository.setAvailable(employee, available, reason: reason, at: clock.now())
        await bus.publish(.presence)
        return try await presence(of: employee)
    }

    /// A supervisor (or admin) marks an agent away: routing stops offering them calls, and the offers
    /// pending on their desk move on at once. Only agents make themselves available again.
    public func setAway(_ employee: EmployeeID, by caller: Employee) async throws -> AgentPresence {
        guard caller.role.canSupervise else { throw DomainError.forbidden(message: "Only a supervisor or an admin can set someone's presence.") }
        guard try await presence(of: employee) != nil else { throw DomainError.notFound(entity: "employee") }
        let now = clock.now()
        try await repository.setAvailable(employee, false, at: now)
        try await withdrawOffers(from: employee, except: nil, at: now)
        logger.notice("agent marked away", metadata: ["employee_id": "\(employee)", "by": "\(caller.id)"])
        await bus.publish(.presence)
        guard let marked = try await presence(of: employee) else { throw DomainError.notFound(entity: "employee") }
        return marked
    }

    /// A single-use, 30-second ticket to open the realtime socket.
    public func createTicket(for employee: EmployeeID, session: SessionID) async throws -> (String, Date) {
        let ticket = RandomToken.urlSafe()
        let expires = clock.now().addingTimeInterval(30)
        try await repository.createTicket(hash: tokenHasher.hash(ticket), employee: employee, session: session, expiresAt: expires)
        return (ticket, expires)
    }

    /// Uses a ticket up.
    public func redeemTicket(_ ticket: String) async throws -> (EmployeeID, SessionID)? {
        guard ticket.count <= 100 else { return nil }
        return try await repository.redeemTicket(hash: tokenHasher.hash(ticket), at: clock.now())
    }
}
