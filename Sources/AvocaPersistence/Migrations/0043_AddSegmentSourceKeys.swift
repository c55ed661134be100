import FluentKit
import SQLKit

/// `transcript_segments.source_key`: the carrier's identity of a transcription result
/// (Twilio: `TranscriptionSid/SequenceId`). Unique per call, so a retried or duplicated carrier
/// callback can never store its words twice. Segments from the ingest API leave it empty (their
/// `seq` is their identity); both databases let many NULLs share a unique index.
struct AddSegmentSourceKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("transcript_segments").field("source_key", .string).update()
        try await database.sql.create(index: "transcript_segments_source_key_idx").unique().on("transcript_segments")
            .column("phone_call_id").column("source_key").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "transcript_segments_source_key_idx").run()
        try await database.schema("transcript_segments").deleteField("source_key").update()
    }
}
