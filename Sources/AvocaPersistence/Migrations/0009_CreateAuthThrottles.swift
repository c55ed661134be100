import FluentKit

/// Creates `auth_throttles` (failure counters shared by every instance).
struct CreateAuthThrottles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("auth_throttles")
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("blocked_until", .datetime)
            .field("updated_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema("auth_throttles").delete() }
}
