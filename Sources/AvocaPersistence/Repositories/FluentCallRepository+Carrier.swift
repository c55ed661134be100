import AvocaCore
import FluentKit
import Foundation
import SQLKit

extension FluentCallRepository {
    public func call(externalID: String) async throws -> PhoneCall? {
        guard let model = try await PhoneCallModel.query(on: db).filter(\.$externalID == externalID).first() else { return nil }
        return try await named([model]).first
    }

    public func appendKeyedSegment(
        speaker: Speaker, text: String, sourceKey: String, to id: PhoneCallID, at: Date, acceptEndedSince: Date
    ) async throws -> TranscriptSegment? {
        let isPostgres = database.location.isPostgres
        return try await db.transaction { tx in
            // The same row lock as `appendSegments`: concurrent callbacks of one call take turns, so
            // each gets the next seq in the order it arrived.
            let locked = try await tx.sql.raw(
                "SELECT last_seq FROM phone_calls WHERE phone_call_id = \(bind: id.uuid)\(unsafeRaw: isPostgres ? " FOR UPDATE" : "")"
            ).first()
            guard locked != nil, let call = try await PhoneCallModel.find(id.uuid, on: tx) else { throw DomainError.notFound(entity: "phone_call") }
            let state = CallState(rawValue: call.state) ?? .completed
            if !state.isLive {
                // Carriers deliver the last words after the hang-up; within the grace they still count.
                guard let ended = call.endDateTime, ended >= acceptEndedSince else {
                    throw DomainError.conflict(code: "call_ended", message: "The call has ended; no new transcript is accepted.")
                }
            }
            let seen = try await tx.sql.select().column("seq").from(TranscriptSegmentModel.schema)
                .where("phone_call_id", .equal, id.uuid).where("source_key", .equal, sourceKey).first()
            if seen != nil { return nil }  // a retry or duplicate of a stored result
            let seq = call.lastSeq + 1
            try await tx.sql.insert(into: TranscriptSegmentModel.schema).columns(
                "id", "phone_call_id", "seq", "speaker", "text", "created_at", "source_key"
            )
            .values(SQLBind(UUID()), SQLBind(id.uuid), SQLBind(seq), SQLBind(speaker.rawValue), SQLBind(text), SQLBind(at), SQLBind(sourceKey)).run()
            let update = try tx.sql.update("phone_calls").set("last_seq", to: seq)
            // Late words do not make an ended call look active again.
            if state.isLive { update.set("last_activity_at", to: at) }
            try await update.where("phone_call_id", .equal, id.uuid).run()
            return TranscriptSegment(seq: seq, speaker: speaker, text: text, createdAt: at)
        }
    }

    public func ringNumber(for employee: EmployeeID) async throws -> String? {
        try await db.sql.select().column("number").from("ring_numbers").where("employee_id", .equal, employee.uuid).first()?
            .decode(column: "number", as: String.self)
    }

    public func setRingNumber(_ number: String?, for employee: EmployeeID, at: Date) async throws {
        try await db.transaction { tx in
            // Replace rather than upsert: the same two statements on SQLite and PostgreSQL.
            try await tx.sql.delete(from: "ring_numbers").where("employee_id", .equal, employee.uuid).run()
            guard let number else { return }
            try await tx.sql.insert(into: "ring_numbers").columns("id", "employee_id", "number", "updated_at")
                .values(SQLBind(UUID()), SQLBind(employee.uuid), SQLBind(number), SQLBind(at)).run()
        }
    }
}
