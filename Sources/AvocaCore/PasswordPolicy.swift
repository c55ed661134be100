import Foundation

/// The rules a new password must meet: at least 12 characters, at most 128, and not a well-known password.
public enum PasswordPolicy {
    /// Minimum length in characters.
    public static let minimumLength = 12
    /// Maximum length; bcrypt ignores bytes past 72, and huge inputs are a denial-of-service vector.
    public static let maximumLength = 128

    /// The problem with `password`, or `nil` when it is acceptable.
    public static func problem(with password: String, email: String? = nil) -> String? {
        if password.count < minimumLength { return "Use at least \(minimumLength) characters." }
        if password.count > maximumLength || password.utf8.count > 72 { return "Use at most 72 bytes." }
        let lowered = password.lowercased()
        if commonPasswords.contains(lowered) { return "This password is too common." }
        if Set(lowered).count < 4 { return "This password is too repetitive." }
        if let email, let local = email.lowercased().split(separator: "@").first, local.count >= 4,
            lowered.contains(local)
        {
            return "The password must not contain your e-mail address."
        }
        return nil
    }

    // Well-known leaked passwords of 12+ characters (shorter ones already fail the length rule).
    private static let commonPasswords: Set<String> = [
        "password1234", "password12345", "password123456", "123456789012", "1234567890123",
        "qwertyuiop12", "qwertyuiop123", "qwertyuiopasdf", "qwerty123456", "1q2w3e4r5t6y",
        "1qaz2wsx3edc", "iloveyou1234", "administrator", "letmein12345", "welcome12345",
        "passw0rd1234", "p@ssw0rd1234", "p@ssword1234", "password!234", "football1234",
        "baseball1234", "sunshine1234", "princess1234", "monkey123456", "dragon123456",
        "abc123456789", "abcdefghijkl", "aaaaaaaaaaaa", "111111111111", "000000000000",
        "changeme1234", "trustno11234", "superman1234", "starwars1234", "mypassword12",
        "passwordpassword", "qwertyqwerty", "asdfghjkl123", "zxcvbnm12345", "correcthorsebatterystaple",
    ]
}
