import AvocaCore
import Foundation

/// The texts of every e-mail Avoca sends. Plain text: codes must be easy to read and copy.
enum MailTemplates {
    static func verification(to employee: Employee, code: String, publicURL: String) -> MailMessage {
        MailMessage(
            to: employee.email, subject: "Your Avoca verification code: \(code)",
            textBody: """
                Hi \(employee.firstName),

                Your Avoca verification code is: \(code)

                It expires in 10 minutes. Enter it at \(publicURL) to finish signing up.
                If you did not sign up for Avoca, ignore this e-mail.
                """)
    }

    static func passwordReset(to employee: Employee, code: String, publicURL: String) -> MailMessage {
        MailMessage(
            to: employee.email, subject: "Your Avoca password reset code: \(code)",
            textBody: """
                Hi \(employee.firstName),

                Someone asked to reset your Avoca password. Your reset code is: \(code)

                It expires in 10 minutes. Enter it at \(publicURL).
                If it was not you, ignore this e-mail; your password has not changed.
                """)
    }

    static func alreadyRegistered(to employee: Employee, publicURL: String) -> MailMessage {
        MailMessage(
            to: employee.email, subject: "You already have an Avoca account",
            textBody: """
                Hi \(employee.firstName),

                Someone tried to sign up for Avoca with this address, but you already have an account.
                Sign in at \(publicURL), or use "Forgot password" if you need a new password.
                """)
    }

    static func approvalWaiting(to admin: Employee, newcomer: Employee, publicURL: String) -> MailMessage {
        MailMessage(
            to: admin.email, subject: "\(newcomer.firstName) \(newcomer.lastName) is waiting for your approval",
            textBody: """
                Hi \(admin.firstName),

                \(newcomer.firstName) \(newcomer.lastName) <\(newcomer.email)> signed up for Avoca and verified the
                address. They cannot sign in or see any customer until an admin approves them.
                Approve or deactivate them in Settings → Employees: \(publicURL)/#/settings
                """)
    }

    static func invitation(email: String, role: EmployeeRole, by admin: Employee, publicURL: String, expiresAt: Date) -> MailMessage {
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "email", value: email)]
        let link = "\(publicURL)/#/signup?\(query.percentEncodedQuery ?? "")"
        return MailMessage(
            to: email, subject: "\(admin.firstName) \(admin.lastName) invited you to Avoca",
            textBody: """
                Hello,

                \(admin.firstName) \(admin.lastName) invited you to join Avoca as \(role == .admin ? "an admin" : role == .supervisor ? "a supervisor" : "an agent").
                Create your account here (the invitation works until \(expiresAt.formatted(.iso8601))):
                \(link)
                You will confirm this address with a code and set up an authenticator app.
                """)
    }

    static func failedSignIns(to employee: Employee, failures: Int) -> MailMessage {
        MailMessage(
            to: employee.email, subject: "Repeated failed sign-ins on your Avoca account",
            textBody: """
                Hi \(employee.firstName),

                There were \(failures) failed attempts to sign in to your Avoca account. Sign-in from the
                addresses that failed is paused; you can still sign in as usual.
                If this was not you, someone is guessing your password: if it is a guessable one,
                change it (or reset it from the sign-in screen) and tell your administrator.
                """)
    }

    static func secondFactorLocked(to employee: Employee, minutes: Int) -> MailMessage {
        MailMessage(
            to: employee.email, subject: "Your Avoca sign-in codes were locked",
            textBody: """
                Hi \(employee.firstName),

                Someone signed in to Avoca with your password and then entered wrong authenticator or
                recovery codes many times. Code entry is locked for \(minutes) minutes.
                If this was not you, your password is known to someone else: reset it now and tell
                your administrator.
                """)
    }

    static func passwordChanged(to employee: Employee) -> MailMessage {
        MailMessage(
            to: employee.email, subject: "Your Avoca password was changed",
            textBody: """
                Hi \(employee.firstName),

                Your Avoca password was just changed and your other sessions were signed out.
                If this was not you, reset your password immediately and tell your administrator.
                """)
    }

    static func recoveryCodeUsed(to employee: Employee) -> MailMessage {
        MailMessage(
            to: employee.email, subject: "A recovery code was used to sign in to Avoca",
            textBody: """
                Hi \(employee.firstName),

                A one-time recovery code was just used to sign in to your Avoca account.
                If this was not you, reset your password immediately and tell your administrator.
                """)
    }
}
