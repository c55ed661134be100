import Foundation

/// The errors every feature module throws. One middleware in the server maps them to HTTP, so
/// services never know about status codes.
public enum DomainError: Error, Equatable, Sendable {
    /// The request was well-formed but its values are wrong; `fields` maps a field name to what is wrong with it.
    case validation(message: String, fields: [String: String] = [:])
    /// No such resource (or the caller may not know it exists).
    case notFound(entity: String)
    /// Missing or invalid credentials. The message is deliberately generic.
    case unauthorized(code: String = "unauthorized", message: String = "Authentication required.")
    /// Authenticated, but not allowed to do this; `code` names why when a client acts on it
    /// (`approval_pending`: the console shows its waiting page).
    case forbidden(message: String = "You are not allowed to do this.", code: String = "forbidden")
    /// The request conflicts with the current state.
    case conflict(code: String, message: String, details: ConflictDetails = .init())
    /// Too many attempts; try again after `retryAfter` seconds.
    case rateLimited(retryAfter: Int, message: String = "Too many attempts. Try again later.")
    /// The request could not be understood at all.
    case badRequest(message: String)
}
