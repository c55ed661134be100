import FluentKit
import SQLKit

/// Counts wrong codes per sign-in attempt, so one `mfa_token` dies after a few wrong guesses.
struct AddMFAChallengeFailures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("mfa_challenges").field("failed_attempts", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("mfa_challenges").deleteField("failed_attempts").update()
    }
}
