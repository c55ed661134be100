import FluentKit

/// Creates `api_keys` (hashed secrets, comma-separated scopes).
struct CreateAPIKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("api_keys")
            .id()
            .field("name", .string, .required)
            .field("scopes", .string, .required)
            .field("prefix", .string, .required)
            .field("key_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "key_hash")
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("api_keys").delete() }
}
