import AvocaCore
import Foundation

extension IdentityService {
    /// The one answer sign-up gives, registered or not.
    public static let signUpMessage = "Check your e-mail for a 6-digit verification code."
    /// The one answer resend and forgot-password give.
    public static let codeSentMessage = "If the address belongs to an account, a code is on its way."

    /// Registers an employee and e-mails a verification code. Never reveals whether the address was taken.
    /// Signing up again for an unverified address sends a new code carrying the new password (at
    /// most once per resend interval); only verifying a code puts its password in force, so whoever
    /// signed up first with someone else's address holds nothing once the owner verifies.
    public func signUp(email rawEmail: String, password: String, firstName: String, lastName: String, client: ClientInfo) async throws {
        var fields: [String: String] = [:]
        let email = EmailAddress(rawEmail)
        if email == nil { fields["email"] = "Enter a valid e-mail address." }
        if let problem = PasswordPolicy.problem(with: password, email: email?.value) { fields["password"] = problem }
        let first = firstName.trimmingCharacters(in: .whitespacesAndNewlines)
        let last = lastName.trimmingCharacters(in: .whitespacesAndNewlines)
        if first.isEmpty || first.count > 100 { fields["first_name"] = "Enter a first name (up to 100 characters)." }
        if last.isEmpty || last.count > 100 { fields["last_name"] = "Enter a last name (up to 100 characters)." }
        if let email, !configuration.signupDomains.isEmpty, !configuration.signupDomains.contains(email.domain) {
            fields["email"] = "Sign-up is limited to addresses at \(configuration.signupDomains.joined(separator: ", "))."
        }
        guard fields.isEmpty, let email else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: fields) }
        try await admitMailRequest(.verification, email: email.value, client: client)
        try await requireSignupAllowed(email)

        // Hash before looking the address up, so both paths cost the same.
        let hash = try await passwords.hash(password)
        do {
            let employee = try await repository.createEmployee(
                email: email.value, firstName: first, lastName: last, passwordHash: hash, now: clock.now())
            try await sendCode(to: employee, purpose: .verifyEmail, passwordHash: hash)
        } catch DomainError.conflict(code: "email_taken", _, _) {
            guard let existing = try await repository.employee(email: email.value) else { return }
            if existing.emailVerifiedAt == nil {
                if try await mayResend(existing, purpose: .verifyEmail) {
                    try await sendCode(to: existing, purpose: .verifyEmail, passwordHash: hash)
                }
            } else {
                try await outbox.enqueue(MailTemplates.alreadyRegistered(to: existing, publicURL: configuration.publicURL), at: clock.now())
            }
        }
    }

    /// Confirms an address with its code.
    public func verifyEmail(email rawEmail: String, code: String, client: ClientInfo) async throws {
        let email = try normalisedEmail(rawEmail)
        let keys = ThrottleKeys(codeFor: email.value, client: client)
        try await checkThrottle(keys)
        let employee = try await repository.employee(email: email.value)
        let (verified, used) = try await redeemCode(code, for: employee, purpose: .verifyEmail, throttle: keys)
        try await completeVerification(verified, passwordHash: used.passwordHash)
        try await recordSuccess(keys)
        try await throttles.reset(MailRequest.verification.addressKey(email.value))
    }

    /// Sends a new verification code if the address is registered, unverified, and the last code is over a minute old.
    public func resendVerification(email rawEmail: String, client: ClientInfo) async throws {
        let email = try normalisedEmail(rawEmail)
        try await admitMailRequest(.verification, email: email.value, client: client)
        guard let employee = try await repository.employee(email: email.value), employee.emailVerifiedAt == nil,
            try await mayResend(employee, purpose: .verifyEmail)
        else { return }
        // The new code stands for the same sign-up as the last one, so it carries its password.
        let pending = try await repository.latestEmailCode(employee.id, purpose: .verifyEmail)?.passwordHash
        try await sendCode(to: employee, purpose: .verifyEmail, passwordHash: pending)
    }

    /// E-mails a password-reset code to an active account (at most once a minute).
    public func forgotPassword(email rawEmail: String, client: ClientInfo) async throws {
        let email = try normalisedEmail(rawEmail)
        try await admitMailRequest(.passwordReset, email: email.value, client: client)
        guard let employee = try await repository.employee(email: email.value), employee.isActive,
            try await mayResend(employee, purpose: .resetPassword)
        else { return }
        try await sendCode(to: employee, purpose: .resetPassword)
    }

    /// Sets a new password with a reset code; every session of the account ends and the lock is lifted.
    public func resetPassword(email rawEmail: String, code: String, newPassword: String, client: ClientInfo) async throws {
        let email = try normalisedEmail(rawEmail)
        if let problem = PasswordPolicy.problem(with: newPassword, email: email.value) {
            throw DomainError.validation(message: problem, fields: ["new_password": problem])
        }
        let keys = ThrottleKeys(codeFor: email.value, client: client)
        try await checkThrottle(keys)
        let employee = try await repository.employee(email: email.value)
        let (owner, _) = try await redeemCode(code, for: employee, purpose: .resetPassword, throttle: keys)
        let hash = try await passwords.hash(newPassword)
        if owner.emailVerifiedAt == nil {
            // Only the owner of the mailbox can get here, so the address is proven too.
            try await completeVerification(owner, passwordHash: hash)
        } else {
            try await repository.updatePassword(owner.id, hash: hash)
        }
        try await repository.revokeSessions(of: owner.id, except: nil, reason: .passwordReset, at: clock.now())
        await sessionsEnded(of: owner.id, except: nil)
        try await recordSuccess(keys)
        // The new password is usable at once from here, even if this client had run into the
        // wrong-password limit (that is often why people reset).
        try await recordSuccess(ThrottleKeys(email: email.value, client: client))
        try await throttles.reset(MailRequest.passwordReset.addressKey(email.value))
        try await outbox.enqueue(MailTemplates.passwordChanged(to: owner), at: clock.now())
    }

    /// Changes the password of a signed-in employee; their other sessions end.
    public func changePassword(_ caller: AuthenticatedEmployee, current: String, new: String, client: ClientInfo) async throws {
        let employee = caller.employee
        let keys = ThrottleKeys(email: employee.email, client: client)
        try await checkThrottle(keys)
        guard try await passwords.verify(current, hash: employee.passwordHash) else {
            try await recordFailure(keys, employee: employee)
            throw DomainError.validation(message: "The current password is not correct.", fields: ["current_password": "Not correct."])
        }
        if let problem = PasswordPolicy.problem(with: new, email: employee.email) {
            throw DomainError.validation(message: problem, fields: ["new_password": problem])
        }
        try await repository.updatePassword(employee.id, hash: try await passwords.hash(new))
        try await repository.revokeSessions(of: employee.id, except: caller.sessionID, reason: .passwordChanged, at: clock.now())
        await sessionsEnded(of: employee.id, except: caller.sessionID)
        try await outbox.enqueue(MailTemplates.passwordChanged(to: employee), at: clock.now())
    }

    /// Refuses a sign-up the mode does not allow. An empty install always takes the first sign-ups
    /// (the first of them to verify becomes the admin); after that, `invite` needs a live
    /// invitation for the address. Checked after the mail throttle, so probing for invited
    /// addresses is as slow as mailing them.
    private func requireSignupAllowed(_ email: EmailAddress) async throws {
        guard configuration.signupMode == .invite, try await repository.firstAdminExists() else { return }
        if let invitation = try await repository.invitation(email: email.value), invitation.isLive(at: clock.now()) { return }
        throw DomainError.forbidden(
            message: "Avoca accounts here are by invitation. Ask an admin of your company to invite \(email.value).")
    }

    /// Verifies the address with what it grants: an invitation's role and approval, approval in
    /// `open` mode, or else a wait for an admin, who is told.
    private func completeVerification(_ employee: Employee, passwordHash: String?) async throws {
        let now = clock.now()
        var grant = VerificationGrant(approve: configuration.signupMode == .open, role: nil, invitationID: nil)
        if let invitation = try await repository.invitation(email: employee.email), invitation.isLive(at: now) {
            grant = VerificationGrant(approve: true, role: invitation.role, invitationID: invitation.id)
        }
        guard let stored = try await repository.completeVerification(employee.id, passwordHash: passwordHash, grant: grant, at: now),
            stored.approvedAt == nil
        else { return }
        for admin in try await repository.activeAdmins() {
            try await outbox.enqueue(MailTemplates.approvalWaiting(to: admin, newcomer: stored, publicURL: configuration.publicURL), at: now)
        }
    }
}
