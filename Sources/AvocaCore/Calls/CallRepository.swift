import Foundation

/// Persistence for calls, transcripts, offers and presence. Claims, transitions and offers are
/// conditional writes decided by the database, so they hold across server instances.
public protocol CallRepository: Sendable {
    /// Inserts a ringing call, or returns the existing one with the same external id.
    func startCall(_ call: PhoneCall) async throws -> (PhoneCall, created: Bool)
    /// One call.
    func call(_ id: PhoneCallID) async throws -> PhoneCall?
    /// One page of calls, newest first.
    func calls(_ query: CallQuery) async throws -> ResultPage<PhoneCall>
    /// Live calls plus the newest `recentEnded` ended ones.
    func board(recentEnded: Int) async throws -> [PhoneCall]
    /// Stores segments idempotently, stamped `at`: a seq already stored is skipped (the text must match), a gap
    /// throws `conflict("transcript_gap")` naming the expected seq. Updates `last_seq` and activity.
    /// `notification` announces the whole batch; the repository may send it with the store when
    /// exactly the batch is stored, and says so in `AppendResult.notified`.
    func appendSegments(
        _ segments: [TranscriptSegment], to id: PhoneCallID, at: Date, notifying notification: DatabaseNotification?
    )
        async throws -> AppendResult
    /// The call a carrier knows by `externalID` (`twilio:CA…`).
    func call(externalID: String) async throws -> PhoneCall?
    /// Stores one carrier result at the call's next seq, unless a segment with `sourceKey` is
    /// already stored (then `nil`: a retry). Accepted while the call is live, or after it ended at
    /// or after `acceptEndedSince` (late words); otherwise `conflict("call_ended")`.
    func appendKeyedSegment(
        speaker: Speaker, text: String, sourceKey: String, to id: PhoneCallID, at: Date, acceptEndedSince: Date
    ) async throws -> TranscriptSegment?
    /// The E.164 number `employee`'s accepted carrier calls are connected to, if set.
    func ringNumber(for employee: EmployeeID) async throws -> String?
    /// Sets (or, with `nil`, clears) the number `employee`'s calls ring at.
    func setRingNumber(_ number: String?, for employee: EmployeeID, at: Date) async throws
    /// Segments with seq > `afterSeq`, in order.
    func segments(of id: PhoneCallID, after afterSeq: Int) async throws -> [TranscriptSegment]
    /// `ringing` → `active` for `employee`, only if still ringing and unclaimed. Returns the call when this claim won.
    func claim(_ id: PhoneCallID, by employee: EmployeeID, at: Date) async throws -> PhoneCall?
    /// Gives an unowned missed call to `employee`, who calls back (state stays `missed`). Returns the
    /// call when this claim won.
    func claimCallback(_ id: PhoneCallID, by employee: EmployeeID, at: Date) async throws -> PhoneCall?
    /// `active` → `ringing` (owner gives it back).
    func release(_ id: PhoneCallID, by employee: EmployeeID, at: Date) async throws -> PhoneCall?
    /// Moves a live, claimed call from `owner` to `target`, only if `owner` still has it. Returns the
    /// call when this move won (a concurrent release, hang-up or other move makes it `nil`).
    func reassign(_ id: PhoneCallID, from owner: EmployeeID, to target: EmployeeID, at: Date) async throws -> PhoneCall?
    /// Ends a live call: `active` → `wrap_up`, `ringing` → `missed`. Idempotent; returns the call and whether this ended it.
    func end(_ id: PhoneCallID, reason: CallEndReason, at: Date) async throws -> (PhoneCall, ended: Bool)?
    /// Saves links, outcome, notes and state of a call — only if it is still in `state` with
    /// `owner`, as it was read. `false` when it changed meanwhile (a release, a hang-up, another
    /// claim): nothing is written then.
    func update(_ call: PhoneCall, ifStill state: CallState, ownedBy owner: EmployeeID?) async throws -> Bool
    /// Live calls whose source has been silent since before `cutoff`.
    func staleCalls(silentSince cutoff: Date) async throws -> [PhoneCall]
    /// Appends to the call's audit log.
    func log(_ id: PhoneCallID, kind: CallLogKind, actor: EmployeeID?, detail: String?, at: Date) async throws

    // MARK: Offers and presence

    /// Creates an offer unless the call already has a pending one; `false` if it had.
    func createOffer(_ offer: CallOffer, at: Date) async throws -> Bool
    /// The pending offer of a call.
    func pendingOffer(for id: PhoneCallID) async throws -> CallOffer?
    /// Pending offers past their expiry; marks them expired and returns them.
    func expireOffers(now: Date) async throws -> [CallOffer]
    /// Closes the pending offer of a call with a reason; returns it if there was one.
    func closeOffer(for id: PhoneCallID, employee: EmployeeID?, reason: OfferEndReason, at: Date) async throws -> CallOffer?
    /// Agents that already had (and did not take) an offer for this call.
    func offeredAgents(for id: PhoneCallID) async throws -> Set<EmployeeID>
    /// Every pending offer (who holds which call, until when).
    func pendingOffers() async throws -> [CallOffer]
    /// The calls offered to this agent right now.
    func callsOffered(to employee: EmployeeID) async throws -> [PhoneCallID]
    /// How many calls ring right now, and when the longest-waiting of them started.
    func ringingSummary() async throws -> (count: Int, oldestStartedAt: Date?)
    /// Ringing calls without a pending offer, oldest first.
    func ringingCallsWithoutOffer() async throws -> [PhoneCall]

    /// Sets the explicit available/away toggle.
    func setAvailable(_ employee: EmployeeID, _ available: Bool, reason: PresenceReason?, at: Date) async throws
    /// Counts an offer `employee` let expire; at `limit` in a row they become not responding (away,
    /// reason `notResponding`). `true` when this call made them so.
    func recordMissedOffer(_ employee: EmployeeID, limit: Int, at: Date) async throws -> Bool
    /// An answered offer: the count of missed offers in a row starts again.
    func resetMissedOffers(_ employee: EmployeeID) async throws
    /// Registers or refreshes a realtime connection (heartbeat); connections unseen for a while count as gone.
    func touchConnection(_ connectionID: UUID, employee: EmployeeID, at: Date) async throws
    /// Refreshes the heartbeat of many open connections at once.
    func touchConnections(_ connectionIDs: [UUID], at: Date) async throws
    /// Marks a realtime connection closed (the row stays: it is the history of who was online when).
    func dropConnection(_ connectionID: UUID, at: Date) async throws
    /// Every active employee's presence (or only `employee`'s), derived from connections seen since
    /// `onlineSince`, the toggle and their calls.
    func presence(onlineSince: Date, of employee: EmployeeID?) async throws -> [AgentPresence]

    // MARK: Realtime tickets

    /// Stores a single-use WebSocket ticket (hashed).
    func createTicket(hash: String, employee: EmployeeID, session: SessionID, expiresAt: Date) async throws
    /// Uses a ticket up; returns its employee and session if it was valid and unused.
    func redeemTicket(hash: String, at: Date) async throws -> (EmployeeID, SessionID)?
}

extension CallRepository {
    /// Sets the toggle without a reason (Available, or plain Away).
    public func setAvailable(_ employee: EmployeeID, _ available: Bool, at: Date) async throws {
        try await setAvailable(employee, available, reason: nil, at: at)
    }
}
