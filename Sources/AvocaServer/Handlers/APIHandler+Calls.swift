import AvocaAPI
import AvocaCalls
import AvocaCore
import AvocaIdentity
import AvocaJSON
import AvocaTelephony
import Foundation

extension APIHandler {
    func listPhoneCalls(_ input: Operations.ListPhoneCalls.Input) async throws -> Operations.ListPhoneCalls.Output {
        let (page, size) = try Paging.validate(page: input.query.page, pageSize: input.query.pageSize ?? 20)
        var query = CallQuery(
            states: (input.query.state ?? []).compactMap { CallState(rawValue: $0.rawValue) }, from: input.query.from, to: input.query.to,
            page: page, pageSize: size)
        if input.query.missed == true { query.states = [.missed] }
        if input.query.mine == true { query.ownerID = try Self.callerEmployee().id }
        var fields = RequestFields()
        query.customerID = fields.id(input.query.customerId, "customer_id", "customer")
        try fields.check("Invalid filter.")
        let result = try await calls.list(query)
        return .ok(
            .init(
                body: .json(
                    .init(
                        page: result.page, pageSize: result.pageSize, totalPages: result.totalPages, totalItems: result.totalItems,
                        phoneCalls: result.items.map(Components.Schemas.PhoneCall.init)))))
    }

    func startPhoneCall(_ input: Operations.StartPhoneCall.Input) async throws -> Operations.StartPhoneCall.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let call = try await calls.startCall(
            phoneNumber: body.phoneNumber, startedAt: body.startDateTime, externalID: body.externalId, source: Self.callerKey()?.id)
        return .created(.init(body: .json(.init(call))))
    }

    func getPhoneCallState(_ input: Operations.GetPhoneCallState.Input) async throws -> Operations.GetPhoneCallState.Output {
        let id = try Self.callID(input.path.phoneCallId)
        // OperationAccessMiddleware let through an ingest key or an admin; a key sees its own calls only.
        let call: PhoneCall
        if let key = Self.callerKey() {
            call = try await calls.call(id, startedBy: key.id)
        } else {
            call = try await calls.call(id)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        phoneCallId: call.id.description, state: Components.Schemas.CallState(rawValue: call.state.rawValue) ?? .completed,
                        answered: call.state == .active, lastSeq: call.lastSeq))))
    }

    func getPhoneCall(_ input: Operations.GetPhoneCall.Input) async throws -> Operations.GetPhoneCall.Output {
        let (call, segments, insights, matches) = try await calls.detail(try Self.callID(input.path.phoneCallId))
        return .ok(
            .init(
                body: .json(
                    .init(
                        value1: .init(call),
                        value2: .init(
                            transcript: segments.map { "\($0.speaker == .caller ? "Caller" : "Agent"): \($0.text)" }.joined(separator: "\n"),
                            segments: segments.map(Components.Schemas.TranscriptSegment.init),
                            insights: insights.map(Components.Schemas.Insight.init),
                            customerMatches: matches.map(Components.Schemas.Customer.init))))))
    }

    func updatePhoneCall(_ input: Operations.UpdatePhoneCall.Input) async throws -> Operations.UpdatePhoneCall.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        var fields = RequestFields()
        let change = CallUpdate(
            customer: Self.link(body.customerId, "customer_id", "customer", &fields), job: Self.link(body.jobId, "job_id", "job", &fields),
            outcome: body.outcome.flatMap { CallOutcome(rawValue: $0.rawValue) }, notes: body.notes)
        try fields.check()
        let call = try await calls.update(try Self.callID(input.path.phoneCallId), by: try Self.callerEmployee(), change)
        return .ok(.init(body: .json(.init(call))))
    }

    func appendTranscript(_ input: Operations.AppendTranscript.Input) async throws -> Operations.AppendTranscript.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let segments = body.segments.map { TranscriptSegment(seq: $0.seq, speaker: $0.speaker == .agent ? .agent : .caller, text: $0.text) }
        let result = try await calls.appendTranscript(try Self.callID(input.path.phoneCallId), segments: segments)
        return .ok(.init(body: .json(.init(lastSeq: result.lastSeq, stored: result.stored))))
    }

    func endPhoneCall(_ input: Operations.EndPhoneCall.Input) async throws -> Operations.EndPhoneCall.Output {
        .ok(.init(body: .json(.init(try await calls.endCall(try Self.callID(input.path.phoneCallId))))))
    }

    func acceptPhoneCall(_ input: Operations.AcceptPhoneCall.Input) async throws -> Operations.AcceptPhoneCall.Output {
        let id = try Self.callID(input.path.phoneCallId)
        let me = try Self.callerEmployee()
        // A Twilio caller still in the queue has to be connected to the rep's phone as well.
        if let twilio, let call = try await calls.optionalCall(id), call.state == .ringing,
            let sid = TwilioWebhookDecoder.callSid(ofExternalID: call.externalID)
        {
            return .ok(.init(body: .json(.init(try await acceptCarrierCall(id, sid: sid, twilio: twilio, by: me)))))
        }
        return .ok(.init(body: .json(.init(try await calls.accept(id, by: me.id)))))
    }

    func declinePhoneCall(_ input: Operations.DeclinePhoneCall.Input) async throws -> Operations.DeclinePhoneCall.Output {
        try await calls.decline(try Self.callID(input.path.phoneCallId), by: try Self.callerEmployee().id)
        return .noContent(.init())
    }

    func releasePhoneCall(_ input: Operations.ReleasePhoneCall.Input) async throws -> Operations.ReleasePhoneCall.Output {
        let released = try await calls.release(try Self.callID(input.path.phoneCallId), by: try Self.callerEmployee())
        if let twilio { await requeueCarrierCall(released, twilio: twilio) }
        return .ok(.init(body: .json(.init(released))))
    }

    func reassignPhoneCall(_ input: Operations.ReassignPhoneCall.Input) async throws -> Operations.ReassignPhoneCall.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let id = try Self.callID(input.path.phoneCallId)
        var fields = RequestFields()
        let target: EmployeeID? = fields.id(body.employeeId, "employee_id", "employee")
        if body.employeeId.isEmpty { fields.report("employee_id", "Choose the agent who takes the call.") }
        try fields.check()
        guard let target else {
            throw DomainError.validation(message: "Please correct the highlighted fields.", fields: ["employee_id": "Not an employee id."])
        }
        let caller = try Self.callerEmployee()
        // A Twilio call follows its new owner: the caller is connected to their phone.
        if let twilio, let call = try await calls.optionalCall(id), call.state.isLive,
            let sid = TwilioWebhookDecoder.callSid(ofExternalID: call.externalID)
        {
            return .ok(.init(body: .json(.init(try await reassignCarrierCall(id, sid: sid, to: target, twilio: twilio, by: caller)))))
        }
        return .ok(.init(body: .json(.init(try await calls.reassign(id, to: target, by: caller)))))
    }

    func setAgentPresence(_ input: Operations.SetAgentPresence.Input) async throws -> Operations.SetAgentPresence.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        guard let employee = EmployeeID(input.path.employeeId) else { throw DomainError.notFound(entity: "employee") }
        guard !body.available else {
            throw DomainError.validation(
                message: "Only the agent can make themselves available.", fields: ["available": "A supervisor can only mark an agent away (false)."])
        }
        return .ok(.init(body: .json(.init(try await calls.setAway(employee, by: try Self.callerEmployee())))))
    }

    func getPresence(_ input: Operations.GetPresence.Input) async throws -> Operations.GetPresence.Output {
        .ok(.init(body: .json(.init(agents: try await calls.presence().map(Components.Schemas.AgentPresence.init)))))
    }

    func setPresence(_ input: Operations.SetPresence.Input) async throws -> Operations.SetPresence.Output {
        guard case .json(let body) = input.body else { throw DomainError.badRequest(message: "Expected a JSON body.") }
        let me = try Self.callerEmployee()
        let presence =
            try await calls.setAvailable(me.id, body.available, reason: body.reason.flatMap { PresenceReason(rawValue: $0.rawValue) })
            ?? AgentPresence(employeeID: me.id, name: "\(me.firstName) \(me.lastName)", status: .offline, available: body.available, idleSince: nil)
        return .ok(.init(body: .json(.init(presence))))
    }

    func createRealtimeTicket(_ input: Operations.CreateRealtimeTicket.Input) async throws -> Operations.CreateRealtimeTicket.Output {
        let caller = try RequestEnvironment.employee
        let (ticket, expires) = try await calls.createTicket(for: caller.employee.id, session: caller.sessionID)
        return .created(.init(body: .json(.init(ticket: ticket, expiresAt: expires, url: "/api/realtime?ticket=\(ticket)"))))
    }

    func simulateCall(_ input: Operations.SimulateCall.Input) async throws -> Operations.SimulateCall.Output {
        guard let simulator else { throw DomainError.conflict(code: "simulator_off", message: "The call simulator is off (AVOCA_SIMULATOR=off).") }
        await simulator.triggerCall()
        return .accepted(.init(body: .json(.init(message: "A simulated call will ring in a moment."))))
    }

    static func callID(_ raw: String) throws -> PhoneCallID {
        guard let id = PhoneCallID(raw) else { throw DomainError.notFound(entity: "phone_call") }
        return id
    }

    static func callerEmployee() throws -> Employee { try RequestEnvironment.employee.employee }

    /// The API key making this request (`nil` for an employee).
    static func callerKey() -> APIKey? {
        guard case .apiKey(let key) = RequestEnvironment.current.principal else { return nil }
        return key
    }
}

extension Components.Schemas.PhoneCall {
    init(_ call: PhoneCall) {
        self.init(
            phoneCallId: call.id.description, phoneNumber: call.phoneNumber, startDateTime: call.startedAt, endDateTime: call.endedAt,
            state: Components.Schemas.CallState(rawValue: call.state.rawValue) ?? .completed, employeeId: call.employeeID?.description,
            employeeName: call.employeeName, customerId: call.customerID?.description, jobId: call.jobID?.description,
            jobIds: call.jobIDs.map(\.description),
            outcome: call.outcome?.rawValue, notes: call.notes, endReason: call.endReason.flatMap { .init(rawValue: $0.rawValue) },
            lastSeq: call.lastSeq, createdAt: call.createdAt,
            updatedAt: call.updatedAt, callerCustomerId: call.caller?.customerID.description, callerName: call.caller?.name,
            callerOpenJobs: call.caller?.openJobs, callerLastJob: call.caller?.lastJob, callerLastJobAt: call.caller?.lastJobAt)
    }
}

extension Components.Schemas.TranscriptSegment {
    init(_ segment: TranscriptSegment) {
        self.init(seq: segment.seq, speaker: segment.speaker == .agent ? .agent : .caller, text: segment.text, createdAt: segment.createdAt)
    }
}

extension Components.Schemas.Insight {
    init(_ insight: Insight) {
        self.init(
            kind: Components.Schemas.Insight.KindPayload(rawValue: insight.kind.rawValue) ?? .name, value: insight.value, seq: insight.seq,
            normalized: insight.normalized)
    }
}

extension Components.Schemas.AgentPresence {
    init(_ presence: AgentPresence) {
        self.init(
            employeeId: presence.employeeID.description, name: presence.name,
            status: Components.Schemas.AgentPresence.StatusPayload(rawValue: presence.status.rawValue) ?? .offline,
            available: presence.available, idleSince: presence.idleSince,
            reason: presence.reason.flatMap { Components.Schemas.AgentPresence.ReasonPayload(rawValue: $0.rawValue) },
            statusSince: presence.statusSince)
    }
}

/// Renders realtime payloads with the same schema types (and explicit nulls) as the REST API,
/// straight to JSON text.
struct SchemaRealtimeRenderer: RealtimeRenderer {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .internetDateTime
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    private func fragment(_ value: some Encodable) -> JSONFragment {
        // The schema types encode plain strings, numbers and dates: encoding cannot fail.
        guard let data = try? Self.encoder.encode(value) else { return JSONFragment("null") }
        return JSONFragment(String(decoding: data, as: UTF8.self))
    }

    func call(_ call: PhoneCall) -> JSONFragment { fragment(Components.Schemas.PhoneCall(call)) }
    /// The same writer as `GET /customers/{id}`: every insights message carries the caller's matches.
    func customer(_ customer: Customer) -> JSONFragment { JSONFragment(CustomerJSON.encoded(customer)) }
    func presence(_ presence: AgentPresence) -> JSONFragment { fragment(Components.Schemas.AgentPresence(presence)) }
    func insight(_ insight: Insight) -> JSONFragment { fragment(Components.Schemas.Insight(insight)) }
}

extension APIHandler {
    /// A link field of `PhoneCallUpdate`: absent leaves it, `""` clears it, an id sets it.
    static func link<Tag>(_ raw: String?, _ field: String, _ entity: String, _ fields: inout RequestFields) -> LinkChange<ID<Tag>> {
        guard let raw else { return .unchanged }
        if raw.isEmpty { return .clear }
        guard let id: ID<Tag> = fields.id(raw, field, entity) else { return .unchanged }
        return .set(id)
    }
}
