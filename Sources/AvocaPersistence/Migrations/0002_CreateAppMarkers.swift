import FluentKit

/// Creates `app_markers`, one-time decisions settled by a primary-key insert (first admin).
struct CreateAppMarkers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("app_markers")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("app_markers").delete() }
}
