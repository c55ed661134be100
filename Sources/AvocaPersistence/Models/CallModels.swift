import FluentKit
import Foundation

/// Row of `phone_calls` (the original's field names, plus state and wrap-up).
final class PhoneCallModel: Model, @unchecked Sendable {
    static let schema = "phone_calls"
    @ID(custom: "phone_call_id") var id: UUID?
    @Field(key: "phone_number") var phoneNumber: String
    @OptionalField(key: "external_id") var externalID: String?
    @Field(key: "state") var state: String
    @Field(key: "start_date_time") var startDateTime: Date
    @OptionalField(key: "end_date_time") var endDateTime: Date?
    @OptionalField(key: "employee_id") var employeeID: UUID?
    @OptionalField(key: "customer_id") var customerID: UUID?
    @OptionalField(key: "job_id") var jobID: UUID?
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "notes") var notes: String?
    @OptionalField(key: "end_reason") var endReason: String?
    @Field(key: "last_seq") var lastSeq: Int
    @Field(key: "last_activity_at") var lastActivityAt: Date
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "caller_customer_id") var callerCustomerID: UUID?
    @OptionalField(key: "caller_name") var callerName: String?
    @OptionalField(key: "caller_open_jobs") var callerOpenJobs: Int?
    @OptionalField(key: "caller_last_job") var callerLastJob: String?
    @OptionalField(key: "caller_last_job_at") var callerLastJobAt: Date?
    @OptionalField(key: "source_api_key_id") var sourceAPIKeyID: UUID?
    init() {}
}

/// Row of `transcript_segments`; (phone_call_id, seq) is unique, which makes appends idempotent.
final class TranscriptSegmentModel: Model, @unchecked Sendable {
    static let schema = "transcript_segments"
    @ID(key: .id) var id: UUID?
    @Field(key: "phone_call_id") var callID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "speaker") var speaker: String
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// Row of `phone_call_events`: the append-only audit log of a call.
final class PhoneCallEventModel: Model, @unchecked Sendable {
    static let schema = "phone_call_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "phone_call_id") var callID: UUID
    @Field(key: "kind") var kind: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "detail") var detail: String?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

/// Row of `call_offers`.
final class CallOfferModel: Model, @unchecked Sendable {
    static let schema = "call_offers"
    @ID(key: .id) var id: UUID?
    @Field(key: "phone_call_id") var callID: UUID
    @Field(key: "employee_id") var employeeID: UUID
    @Field(key: "status") var status: String
    /// Equal to `phone_call_id` while pending, NULL after: a unique index on it allows one pending offer per call.
    @OptionalField(key: "pending_call_id") var pendingCallID: UUID?
    @Field(key: "offered_at") var offeredAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    init() {}
}

/// Row of `agent_presence`: the explicit toggle and when the agent last became free.
final class AgentPresenceModel: Model, @unchecked Sendable {
    static let schema = "agent_presence"
    @ID(custom: "employee_id", generatedBy: .user) var id: UUID?
    @Field(key: "available") var available: Bool
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "missed_offers") var missedOffers: Int
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// Row of `realtime_connections`: one open WebSocket, refreshed by heartbeats from whichever instance holds it.
final class RealtimeConnectionModel: Model, @unchecked Sendable {
    static let schema = "realtime_connections"
    @ID(key: .id) var id: UUID?
    @Field(key: "employee_id") var employeeID: UUID
    @Field(key: "connected_at") var connectedAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    /// When the socket ended; `nil` while open (or if its instance died: then `last_seen_at` goes stale).
    @OptionalField(key: "closed_at") var closedAt: Date?
    init() {}
}

/// Row of `realtime_tickets`.
final class RealtimeTicketModel: Model, @unchecked Sendable {
    static let schema = "realtime_tickets"
    @ID(key: .id) var id: UUID?
    @Field(key: "ticket_hash") var ticketHash: String
    @Field(key: "employee_id") var employeeID: UUID
    @Field(key: "session_id") var sessionID: UUID
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}
}
