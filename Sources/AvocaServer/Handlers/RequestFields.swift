import AvocaCore
import Foundation

/// Turns the strings of a request (ids, dates) into typed values, collecting every problem under
/// its wire name so one answer lists them all. Services only ever see typed values.
struct RequestFields {
    /// Problems by wire field name.
    private(set) var problems: [String: String] = [:]

    /// An optional id; a malformed one is a problem of `field`.
    mutating func id<Tag>(_ raw: String?, _ field: String, _ entity: String) -> ID<Tag>? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let id = ID<Tag>(raw) else {
            problems[field] = "Not a \(entity) id."
            return nil
        }
        return id
    }

    /// A list of ids; each malformed one is reported on `field`.
    mutating func ids<Tag>(_ raw: [String], _ field: String, _ entity: String) -> [ID<Tag>] {
        raw.compactMap { text in
            guard let id = ID<Tag>(text) else {
                problems[field] = "Not an \(entity) id: \(text.prefix(64))."
                return nil
            }
            return id
        }
    }

    /// A `YYYY-MM-DD` or ISO-8601 bound; blank is `nil`.
    mutating func bound(_ raw: String?, _ field: String) -> ScheduleBound? {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let bound = ScheduleBound(raw) else {
            problems[field] = "Use YYYY-MM-DD or an ISO-8601 date-time."
            return nil
        }
        return bound
    }

    /// A `YYYY-MM-DD` day; blank is `nil`.
    mutating func day(_ raw: String?, _ field: String) -> CalendarDay? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let day = CalendarDay(raw) else {
            problems[field] = "Use a date that exists, as YYYY-MM-DD."
            return nil
        }
        return day
    }

    /// Records a problem.
    mutating func report(_ field: String, _ problem: String) { problems[field] = problem }

    /// Throws one validation error naming every problem, if there is one.
    func check(_ message: String = "Please correct the highlighted fields.") throws {
        guard problems.isEmpty else { throw DomainError.validation(message: message, fields: problems) }
    }
}

/// Runs a service call and renames the `JobField`s of a validation error to this operation's wire names.
func naming<T>(_ names: [JobField: String], _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch DomainError.validation(let message, let fields) {
        let renamed = fields.map { key, value in (JobField(rawValue: key).flatMap { names[$0] } ?? key, value) }
        throw DomainError.validation(message: message, fields: Dictionary(renamed, uniquingKeysWith: { first, _ in first }))
    }
}
