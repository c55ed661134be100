import AvocaCore
import Foundation
import PostgresNIO

extension PostgresHotPaths {
    /// Stores `segments` (consecutive, sorted) if they continue the live call `id` exactly where it
    /// stands, and sends `notification` with them; `false` (nothing stored, nothing sent) otherwise.
    func appendContinuing(
        _ segments: [TranscriptSegment], to id: PhoneCallID, at: Date, notifying notification: DatabaseNotification?
    )
        async throws -> Bool
    {
        guard let first = segments.first, let last = segments.last else { return false }
        let statement = AppendContinuing(
            callID: id.uuid, expectedLastSeq: first.seq &- 1, lastSeq: last.seq, at: at, ids: segments.map { _ in UUID() },
            seqs: segments.map(\.seq), speakers: segments.map(\.speaker.rawValue), texts: segments.map(\.text),
            channel: notification?.channel, payload: notification?.payload)
        var moved = false
        for try await _ in try await client.execute(statement) { moved = true }
        return moved
    }
}

/// The append of every word: one statement, prepared once per connection, whatever the batch size
/// (the words travel as arrays). It moves the call's `last_seq` only if the batch continues it and
/// the call is live; the insert then stores every word (or the statement fails), and the
/// notification is evaluated once for the moved row, so PostgreSQL delivers it only if all of it
/// commits. The update's row lock orders concurrent appends to one call.
private struct AppendContinuing: PostgresPreparedStatement {
    /// Named here: PostgresNIO's default name is the type's reflected name, built on every execution.
    static let name = "avoca_append_continuing"
    static let sql = """
        WITH moved AS (
            UPDATE phone_calls SET last_seq = $3, last_activity_at = $4
            WHERE phone_call_id = $1 AND last_seq = $2 AND state IN ('\(CallState.ringing.rawValue)', '\(CallState.active.rawValue)')
            RETURNING phone_call_id),
        inserted AS (
            INSERT INTO transcript_segments (id, phone_call_id, seq, speaker, text, created_at)
            SELECT v.id, moved.phone_call_id, v.seq, v.speaker, v.text, $4
            FROM moved, unnest($5::uuid[], $6::int8[], $7::text[], $8::text[]) AS v(id, seq, speaker, text))
        SELECT moved.phone_call_id, CASE WHEN $9::text IS NOT NULL THEN pg_notify($9, $10)::text END FROM moved
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .int8, .int8, .timestamptz, .uuidArray, .int8Array, .textArray, .textArray, .text, .text,
    ]

    let callID: UUID
    let expectedLastSeq: Int
    let lastSeq: Int
    let at: Date
    let ids: [UUID]
    let seqs: [Int]
    let speakers: [String]
    let texts: [String]
    let channel: String?
    let payload: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(callID)
        bindings.append(expectedLastSeq)
        bindings.append(lastSeq)
        bindings.append(at)
        bindings.append(ids)
        bindings.append(seqs)
        bindings.append(speakers)
        bindings.append(texts)
        bindings.append(channel)
        bindings.append(payload)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
