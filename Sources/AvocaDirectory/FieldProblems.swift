import AvocaCore

/// Collects what is wrong with a job request, keyed by `JobField`, and throws them all at once.
struct FieldProblems {
    /// Problems by `JobField` raw value.
    var raw: [String: String] = [:]

    subscript(field: JobField) -> String? {
        get { raw[field.rawValue] }
        set { raw[field.rawValue] = newValue }
    }

    /// Throws a validation error naming every problem, if there is one.
    func check() throws {
        guard raw.isEmpty else { throw DomainError.validation(message: "Please correct the highlighted fields.", fields: raw) }
    }
}
