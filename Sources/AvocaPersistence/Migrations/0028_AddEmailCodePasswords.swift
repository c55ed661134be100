import FluentKit

/// Gives a verification code the password of the sign-up that sent it: verifying the code puts
/// that password in force, so a stranger who signed up first with someone else's address does not
/// keep a password on the account its owner then verifies.
struct AddEmailCodePasswords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("email_codes").field("password_hash", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("email_codes").deleteField("password_hash").update()
    }
}
