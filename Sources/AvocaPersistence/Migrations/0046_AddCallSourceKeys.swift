import FluentKit
import SQLKit

/// Which API key started each call (`phone_calls.source_api_key_id`), so a `calls:ingest` key can
/// read the state of its own calls — is the caller still waiting, has a rep answered — and of no
/// other. Calls started before this migration have none: only an admin reads those.
struct AddCallSourceKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("phone_calls").field("source_api_key_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("phone_calls").deleteField("source_api_key_id").update()
    }
}
